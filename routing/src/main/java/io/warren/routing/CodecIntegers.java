package io.warren.routing;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.RecordComponent;
import java.math.BigInteger;

/**
 * Recognises integers that the codec wraps in its own small records (unsigned ints, timestamps) without
 * depending on the codec module. RabbitMQ decodes all of those into plain Erlang integers, so for header
 * matching a timestamp 5 equals a signed int 5. A record with exactly one component that is an integral
 * primitive, a {@link BigInteger} or a Byte/Short/Integer/Long is taken to be such an integer; any other type
 * falls back to {@code equals}. The accessor is looked up once per class.
 */
final class CodecIntegers {

    private static final ClassValue<MethodHandle> ACCESSOR = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            return integralAccessor(type);
        }
    };

    private CodecIntegers() {
    }

    /** The integer a codec record stands for (Long or BigInteger), or null if {@code value} is not one. */
    static Number unwrap(Object value) {
        MethodHandle accessor = ACCESSOR.get(value.getClass());
        if (accessor == null) {
            return null;
        }
        try {
            Object n = accessor.invoke(value);
            if (n instanceof BigInteger big) {
                return big;
            }
            return n == null ? null : ((Number) n).longValue();
        } catch (Throwable e) {
            return null;
        }
    }

    private static MethodHandle integralAccessor(Class<?> type) {
        if (!type.isRecord()) {
            return null;
        }
        RecordComponent[] components = type.getRecordComponents();
        if (components.length != 1) {
            return null;
        }
        Class<?> t = components[0].getType();
        boolean integral = t == long.class || t == int.class || t == short.class || t == byte.class
                || t == Long.class || t == Integer.class || t == Short.class || t == Byte.class
                || t == BigInteger.class;
        if (!integral) {
            return null;
        }
        try {
            components[0].getAccessor().setAccessible(true);
            return MethodHandles.lookup().unreflect(components[0].getAccessor())
                    .asType(java.lang.invoke.MethodType.methodType(Object.class, Object.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // not accessible (module boundaries): fall back to equals()
        }
    }
}
