package io.warren.codec;

/**
 * Field-table value of type 'B' (unsigned 8-bit),
 * kept distinct from the signed type so that it re-encodes with the same tag.
 */
public record UnsignedByte(int value) {
    public UnsignedByte {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException("UnsignedByte out of range: " + value);
        }
    }
}
