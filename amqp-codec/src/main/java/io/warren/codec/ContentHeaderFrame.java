package io.warren.codec;

import java.util.Arrays;

/**
 * A content header frame. {@code rawProperties} are the property flags and list exactly as received, so the
 * broker can deliver them without re-encoding. The weight field is always 0 and not kept.
 */
public record ContentHeaderFrame(int channel, int classId, long bodySize, byte[] rawProperties) implements Frame {

    /** Decodes the properties on each call (records cannot cache); keep the result if you need it twice. */
    public BasicProperties properties() {
        return BasicProperties.decode(rawProperties);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContentHeaderFrame f && channel == f.channel && classId == f.classId
                && bodySize == f.bodySize && Arrays.equals(rawProperties, f.rawProperties);
    }

    @Override
    public int hashCode() {
        return (31 * (31 * channel + classId) + Long.hashCode(bodySize)) * 31 + Arrays.hashCode(rawProperties);
    }

    @Override
    public String toString() {
        return "ContentHeaderFrame[channel=" + channel + ", classId=" + classId + ", bodySize=" + bodySize
                + ", rawProperties=<" + rawProperties.length + " bytes>]";
    }
}
