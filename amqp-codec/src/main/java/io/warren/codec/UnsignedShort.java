package io.warren.codec;

/**
 * Field-table value of type 'u' (unsigned 16-bit),
 * kept distinct from the signed type so that it re-encodes with the same tag.
 */
public record UnsignedShort(int value) {
    public UnsignedShort {
        if (value < 0 || value > 65535) {
            throw new IllegalArgumentException("UnsignedShort out of range: " + value);
        }
    }
}
