package io.warren.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Primitive AMQP domains on a ByteBuf. Reads throw {@link IndexOutOfBoundsException} on truncated input so that
 * the caller (method decoder, field tables, properties) can turn it into the reply code RabbitMQ uses there.
 */
public final class Wire {
    private Wire() {
    }

    /** Writes an octet; the value must be 0..255 (a silent wrap-around would hide a broker bug). */
    public static void writeOctet(ByteBuf out, int value) {
        if ((value & ~0xFF) != 0) {
            throw new IllegalArgumentException("octet out of range: " + value);
        }
        out.writeByte(value);
    }

    /** Writes an unsigned short; the value must be 0..65535. */
    public static void writeShort(ByteBuf out, int value) {
        if ((value & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("short out of range: " + value);
        }
        out.writeShort(value);
    }

    /** Writes a shortstr as UTF-8; null is written as the empty string. */
    public static void writeShortStr(ByteBuf out, String s) {
        if (s == null || s.isEmpty()) {
            out.writeByte(0);
            return;
        }
        // One pass over the string (every delivery writes three): the length byte is filled in afterwards.
        int lengthAt = out.writerIndex();
        out.writeByte(0);
        int len = ByteBufUtil.writeUtf8(out, s);
        if (len > 255) {
            out.writerIndex(lengthAt);
            throw new IllegalArgumentException("shortstr longer than 255 bytes (" + len + "): "
                    + s.substring(0, Math.min(s.length(), 40)) + "...");
        }
        out.setByte(lengthAt, len);
    }

    /**
     * Whether {@code s} can be written as a shortstr (at most 255 UTF-8 bytes). Names and routing keys that
     * reach the broker other than through a method frame (HTTP API, queue arguments, policies) must pass this
     * before a message can carry them, or every delivery of that message would fail.
     */
    public static boolean fitsShortStr(String s) {
        return s.length() <= 255 / 3 || ByteBufUtil.utf8Bytes(s) <= 255;
    }

    /** Writes a longstr as UTF-8; null is written as the empty string. */
    public static void writeLongStr(ByteBuf out, String s) {
        if (s == null || s.isEmpty()) {
            out.writeInt(0);
            return;
        }
        int lenIndex = out.writerIndex();
        out.writeInt(0);
        int len = ByteBufUtil.writeUtf8(out, s);
        out.setInt(lenIndex, len);
    }

    /** Writes a longstr from raw bytes; null is written as empty. */
    public static void writeLongStr(ByteBuf out, byte[] bytes) {
        if (bytes == null) {
            out.writeInt(0);
            return;
        }
        out.writeInt(bytes.length);
        out.writeBytes(bytes);
    }

    /** Reads a shortstr as UTF-8, replacing malformed sequences (content properties are not validated). */
    public static String readShortStr(ByteBuf in) {
        int len = in.readUnsignedByte();
        return readUtf8(in, len);
    }

    /**
     * Reads a shortstr and rejects malformed UTF-8 with RabbitMQ's error, as rabbit_framing does for the
     * shortstr fields of methods without content.
     */
    public static String readShortStrStrict(ByteBuf in) {
        int len = in.readUnsignedByte();
        if (len == 0) {
            return "";
        }
        ensureReadable(in, len);
        int start = in.readerIndex();
        if (isAscii(in, start, len)) {
            String s = in.toString(start, len, StandardCharsets.US_ASCII);
            in.skipBytes(len);
            return s;
        }
        ByteBuffer nio = in.nioBuffer(start, len);
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(nio).toString();
            in.skipBytes(len);
            return s;
        } catch (CharacterCodingException e) {
            throw new FrameException(AmqpConstants.FRAME_ERROR, "FRAME_ERROR - Malformed UTF-8 in shortstr");
        }
    }

    public static void skipShortStr(ByteBuf in) {
        in.skipBytes(in.readUnsignedByte());
    }

    /** Reads a longstr as UTF-8. */
    public static String readLongStr(ByteBuf in) {
        return readUtf8(in, readLongStrLength(in));
    }

    /** Reads a longstr as raw bytes (SASL responses and secrets are binary, not text). */
    public static byte[] readLongBytes(ByteBuf in) {
        int len = readLongStrLength(in);
        byte[] bytes = new byte[len];
        in.readBytes(bytes);
        return bytes;
    }

    public static void skipLongStr(ByteBuf in) {
        in.skipBytes(readLongStrLength(in));
    }

    /** Reads the unsigned 32-bit length of a longstr, table or array and checks that many bytes follow. */
    public static int readLongStrLength(ByteBuf in) {
        long len = in.readUnsignedInt();
        if (len > in.readableBytes()) {
            throw new IndexOutOfBoundsException("length " + len + " exceeds the " + in.readableBytes()
                    + " readable bytes");
        }
        return (int) len;
    }

    static String readUtf8(ByteBuf in, int len) {
        if (len == 0) {
            return "";
        }
        ensureReadable(in, len);
        String s = in.toString(in.readerIndex(), len, StandardCharsets.UTF_8);
        in.skipBytes(len);
        return s;
    }

    private static void ensureReadable(ByteBuf in, int len) {
        if (in.readableBytes() < len) {
            throw new IndexOutOfBoundsException("need " + len + " bytes, have " + in.readableBytes());
        }
    }

    private static boolean isAscii(ByteBuf in, int start, int len) {
        for (int i = start; i < start + len; i++) {
            if (in.getByte(i) < 0) {
                return false;
            }
        }
        return true;
    }
}
