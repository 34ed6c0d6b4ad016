package io.warren.codec;

import io.netty.buffer.ByteBuf;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAccumulator;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * Field tables and arrays in RabbitMQ's dialect of the type tags (the one amqp-client and Pika speak, which
 * differs from the 0-9-1 spec text): 's' is a signed 16-bit short, 'l' a signed 64-bit long, 'x' a byte array.
 *
 * <p>Decoded tables are {@link LinkedHashMap}s in wire order and every tag maps to its own Java type, so that
 * re-encoding a decoded table gives back the same bytes (message headers must pass through unchanged). The one
 * exception is 'L', which RabbitMQ also reads as a signed 64-bit long: it comes back as a Long and is re-encoded
 * as 'l', as RabbitMQ does.
 *
 * <p>Malformed input (unknown tag, truncated value, nesting deeper than {@value #MAX_DEPTH}) gives a
 * {@link FrameException} with 502 SYNTAX_ERROR.
 */
public final class FieldTables {
    /** Deep enough for any real header; shallow enough that a hostile frame cannot overflow the stack. */
    static final int MAX_DEPTH = 100;

    private FieldTables() {
    }

    /** Reads a table (32-bit length, then name/value pairs). Never returns null. */
    public static Map<String, Object> read(ByteBuf in) {
        try {
            return readTable(in, 0);
        } catch (IndexOutOfBoundsException e) {
            throw syntaxError("truncated field table");
        }
    }

    /** Reads one tagged value (tag octet, then the value). */
    public static Object readValue(ByteBuf in) {
        try {
            return readValue(in, 0);
        } catch (IndexOutOfBoundsException e) {
            throw syntaxError("truncated field value");
        }
    }

    /** Reads an array (32-bit length, then tagged values). */
    public static List<Object> readArray(ByteBuf in) {
        try {
            return readArray(in, 0);
        } catch (IndexOutOfBoundsException e) {
            throw syntaxError("truncated field array");
        }
    }

    /**
     * Checks that a table is well formed, exactly as {@link #read} would see it, without building it: a
     * publish's headers are checked once when its content header arrives, so that no later decode (routing,
     * dead-lettering, delivery) can fail on them. Throws 502 SYNTAX_ERROR like {@link #read}.
     */
    public static void skipTable(ByteBuf in) {
        try {
            skipTable(in, 0);
        } catch (IndexOutOfBoundsException e) {
            throw syntaxError("truncated field table");
        }
    }

    /** Writes a table; null is written as the empty table. Keys must be at most 255 UTF-8 bytes. */
    public static void write(ByteBuf out, Map<String, ?> table) {
        int lenIndex = out.writerIndex();
        out.writeInt(0);
        if (table != null) {
            writeEntries(out, table, 0);
        }
        out.setInt(lenIndex, out.writerIndex() - lenIndex - 4);
    }

    /** Writes one value with its tag. See the class comment for the accepted Java types. */
    public static void writeValue(ByteBuf out, Object v) {
        writeValue(out, v, 0);
    }

    /** Writes an array (32-bit length, then tagged values). */
    public static void writeArray(ByteBuf out, Collection<?> values) {
        writeArrayOf(out, values, 0);
    }

    private static Map<String, Object> readTable(ByteBuf in, int depth) {
        checkDepth(depth);
        int len = Wire.readLongStrLength(in);
        ByteBuf t = in.readSlice(len);
        Map<String, Object> map = new LinkedHashMap<>();
        while (t.isReadable()) {
            String key = Wire.readShortStr(t);
            map.put(key, readValue(t, depth));
        }
        return map;
    }

    private static List<Object> readArray(ByteBuf in, int depth) {
        checkDepth(depth);
        int len = Wire.readLongStrLength(in);
        ByteBuf a = in.readSlice(len);
        List<Object> list = new ArrayList<>();
        while (a.isReadable()) {
            list.add(readValue(a, depth));
        }
        return list;
    }

    private static Object readValue(ByteBuf in, int depth) {
        int tag = in.readUnsignedByte();
        return switch (tag) {
            case 't' -> in.readUnsignedByte() != 0 ? Boolean.TRUE : Boolean.FALSE;
            case 'b' -> in.readByte();
            case 'B' -> new UnsignedByte(in.readUnsignedByte());
            case 's' -> in.readShort();
            case 'u' -> new UnsignedShort(in.readUnsignedShort());
            case 'I' -> in.readInt();
            case 'i' -> new UnsignedInt(in.readUnsignedInt());
            case 'l', 'L' -> in.readLong();
            case 'f' -> in.readFloat();
            case 'd' -> in.readDouble();
            case 'D' -> readDecimal(in);
            case 'S' -> Wire.readLongStr(in);
            case 'x' -> Wire.readLongBytes(in);
            case 'T' -> new Timestamp(in.readLong());
            case 'F' -> readTable(in, depth + 1);
            case 'A' -> readArray(in, depth + 1);
            case 'V' -> null;
            default -> throw syntaxError("unknown field type " + describeTag(tag));
        };
    }

    private static void skipTable(ByteBuf in, int depth) {
        checkDepth(depth);
        ByteBuf t = in.readSlice(Wire.readLongStrLength(in));
        while (t.isReadable()) {
            Wire.skipShortStr(t);
            skipValue(t, depth);
        }
    }

    private static void skipArray(ByteBuf in, int depth) {
        checkDepth(depth);
        ByteBuf a = in.readSlice(Wire.readLongStrLength(in));
        while (a.isReadable()) {
            skipValue(a, depth);
        }
    }

    /** Mirrors {@link #readValue(ByteBuf, int)} tag for tag. */
    private static void skipValue(ByteBuf in, int depth) {
        int tag = in.readUnsignedByte();
        switch (tag) {
            case 't', 'b', 'B' -> in.skipBytes(1);
            case 's', 'u' -> in.skipBytes(2);
            case 'I', 'i', 'f' -> in.skipBytes(4);
            case 'l', 'L', 'd', 'T' -> in.skipBytes(8);
            case 'D' -> in.skipBytes(5);
            case 'S', 'x' -> Wire.skipLongStr(in);
            case 'F' -> skipTable(in, depth + 1);
            case 'A' -> skipArray(in, depth + 1);
            case 'V' -> { }
            default -> throw syntaxError("unknown field type " + describeTag(tag));
        }
    }

    private static BigDecimal readDecimal(ByteBuf in) {
        int scale = in.readUnsignedByte();
        int unscaled = in.readInt();
        return BigDecimal.valueOf(unscaled, scale);
    }

    private static void writeEntries(ByteBuf out, Map<String, ?> table, int depth) {
        checkWriteDepth(depth);
        for (Map.Entry<String, ?> e : table.entrySet()) {
            Object key = e.getKey();
            if (key == null) {
                throw new IllegalArgumentException("field table key is null");
            }
            Wire.writeShortStr(out, key.toString());
            writeValue(out, e.getValue(), depth);
        }
    }

    private static void writeArrayOf(ByteBuf out, Iterable<?> values, int depth) {
        checkWriteDepth(depth);
        int lenIndex = out.writerIndex();
        out.writeInt(0);
        for (Object v : values) {
            writeValue(out, v, depth);
        }
        out.setInt(lenIndex, out.writerIndex() - lenIndex - 4);
    }

    @SuppressWarnings("unchecked")
    private static void writeValue(ByteBuf out, Object v, int depth) {
        if (v == null) {
            out.writeByte('V');
        } else if (v instanceof String s) {
            out.writeByte('S');
            Wire.writeLongStr(out, s);
        } else if (v instanceof Integer i) {
            out.writeByte('I').writeInt(i);
        } else if (v instanceof Long l) {
            out.writeByte('l').writeLong(l);
        } else if (v instanceof Boolean b) {
            out.writeByte('t').writeByte(b ? 1 : 0);
        } else if (v instanceof Map<?, ?> m) {
            out.writeByte('F');
            int lenIndex = out.writerIndex();
            out.writeInt(0);
            writeEntries(out, (Map<String, ?>) m, depth + 1);
            out.setInt(lenIndex, out.writerIndex() - lenIndex - 4);
        } else if (v instanceof Collection<?> c) {
            out.writeByte('A');
            writeArrayOf(out, c, depth + 1);
        } else if (v instanceof Object[] a) {
            out.writeByte('A');
            writeArrayOf(out, List.of(a), depth + 1);
        } else if (v instanceof byte[] bytes) {
            out.writeByte('x');
            Wire.writeLongStr(out, bytes);
        } else if (v instanceof Timestamp t) {
            out.writeByte('T').writeLong(t.epochSeconds());
        } else if (v instanceof Date d) {
            out.writeByte('T').writeLong(Math.floorDiv(d.getTime(), 1000L));
        } else if (v instanceof Byte b) {
            out.writeByte('b').writeByte(b);
        } else if (v instanceof UnsignedByte b) {
            out.writeByte('B').writeByte(b.value());
        } else if (v instanceof Short s) {
            out.writeByte('s').writeShort(s);
        } else if (v instanceof UnsignedShort s) {
            out.writeByte('u').writeShort(s.value());
        } else if (v instanceof UnsignedInt i) {
            out.writeByte('i').writeInt((int) i.value());
        } else if (v instanceof Float f) {
            out.writeByte('f').writeFloat(f);
        } else if (v instanceof Double d) {
            out.writeByte('d').writeDouble(d);
        } else if (v instanceof BigDecimal d) {
            writeDecimal(out, d);
        } else if (v instanceof CharSequence || v instanceof Character) {
            out.writeByte('S');
            Wire.writeLongStr(out, v.toString());
        } else if (v instanceof Number n) {
            writeOtherNumber(out, n);
        } else {
            throw new IllegalArgumentException("cannot encode a " + v.getClass().getName() + " in a field table");
        }
    }

    private static void writeDecimal(ByteBuf out, BigDecimal d) {
        if (d.scale() < 0 || d.scale() > 255) {
            throw new IllegalArgumentException("decimal scale must be 0..255: " + d);
        }
        BigInteger unscaled = d.unscaledValue();
        if (unscaled.bitLength() > 31) {
            throw new IllegalArgumentException("decimal unscaled value does not fit in 32 bits: " + d);
        }
        out.writeByte('D').writeByte(d.scale()).writeInt(unscaled.intValue());
    }

    /** Numbers without a tag of their own: integers as 'I' or 'l' by width, everything else as a double. */
    private static void writeOtherNumber(ByteBuf out, Number n) {
        if (n instanceof BigInteger big) {
            if (big.bitLength() > 63) {
                throw new IllegalArgumentException("BigInteger does not fit in a signed 64-bit long: " + big);
            }
            out.writeByte('l').writeLong(big.longValue());
        } else if (n instanceof AtomicInteger) {
            out.writeByte('I').writeInt(n.intValue());
        } else if (n instanceof DoubleAdder || n instanceof DoubleAccumulator) {
            out.writeByte('d').writeDouble(n.doubleValue());
        } else if (n.doubleValue() == n.longValue()) {
            out.writeByte('l').writeLong(n.longValue()); // AtomicLong, LongAdder and other integral numbers
        } else {
            out.writeByte('d').writeDouble(n.doubleValue());
        }
    }

    private static void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw syntaxError("field table nested deeper than " + MAX_DEPTH);
        }
    }

    private static void checkWriteDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("field table nested deeper than " + MAX_DEPTH + " (a cycle?)");
        }
    }

    private static String describeTag(int tag) {
        return tag >= 0x20 && tag < 0x7F ? "'" + (char) tag + "'" : "0x" + Integer.toHexString(tag);
    }

    private static FrameException syntaxError(String what) {
        return new FrameException(AmqpConstants.SYNTAX_ERROR, "SYNTAX_ERROR - " + what);
    }
}
