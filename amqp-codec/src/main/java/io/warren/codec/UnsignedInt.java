package io.warren.codec;

/**
 * Field-table value of type 'i' (unsigned 32-bit),
 * kept distinct from the signed type so that it re-encodes with the same tag.
 */
public record UnsignedInt(long value) {
    public UnsignedInt {
        if (value < 0 || value > 4294967295L) {
            throw new IllegalArgumentException("UnsignedInt out of range: " + value);
        }
    }
}
