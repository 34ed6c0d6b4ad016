package io.warren.codec.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.codec.TestFrames;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MethodRoundTripTest {

    static Stream<AmqpMethod> samples() {
        return MethodSamples.all().stream();
    }

    @Test
    void thereIsOneSamplePerMethodOfTheSpec() {
        List<AmqpMethod> all = MethodSamples.all();
        assertEquals(66, all.size());
        Set<Integer> ids = new HashSet<>();
        for (AmqpMethod m : all) {
            assertTrue(ids.add((m.classId() << 16) | m.methodId()), "duplicate id " + m.name());
            assertEquals(m.name(), MethodDecoder.methodName(m.classId(), m.methodId()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void roundTripsThroughFrameWriterAndFrameDecoder(AmqpMethod m) {
        AmqpMethod decoded = TestFrames.roundTrip(m);
        assertEquals(m, decoded);
        assertEquals(m.hashCode(), decoded.hashCode());
    }

    /** Guards the samples: a zero / false / empty component would let a dropped field pass unnoticed. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void sampleHasNoDefaultComponent(AmqpMethod m) throws Exception {
        for (RecordComponent c : m.getClass().getRecordComponents()) {
            Object v = c.getAccessor().invoke(m);
            assertNotNull(v, c.getName());
            assertNotEquals(0, v instanceof Number n ? n.longValue() : 1, m.name() + "." + c.getName());
            assertNotEquals(Boolean.FALSE, v, m.name() + "." + c.getName());
            assertNotEquals("", v, m.name() + "." + c.getName());
            if (v instanceof Map<?, ?> map) {
                assertFalse(map.isEmpty(), c.getName());
            }
            if (v instanceof byte[] b) {
                assertTrue(b.length > 0, c.getName());
            }
        }
    }

    /** All bits true would not notice two swapped bit positions; set one bit at a time. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void eachBitRoundTripsAlone(AmqpMethod m) throws Exception {
        RecordComponent[] comps = m.getClass().getRecordComponents();
        Class<?>[] types = new Class<?>[comps.length];
        Object[] values = new Object[comps.length];
        for (int i = 0; i < comps.length; i++) {
            types[i] = comps[i].getType();
            values[i] = comps[i].getAccessor().invoke(m);
        }
        Constructor<?> ctor = m.getClass().getDeclaredConstructor(types);
        for (int bit = 0; bit < comps.length; bit++) {
            if (types[bit] != boolean.class) {
                continue;
            }
            Object[] args = values.clone();
            for (int i = 0; i < args.length; i++) {
                if (types[i] == boolean.class) {
                    args[i] = i == bit;
                }
            }
            AmqpMethod single = (AmqpMethod) ctor.newInstance(args);
            assertEquals(single, TestFrames.roundTrip(single), comps[bit].getName());
        }
    }

    @Test
    void contentMethodsSayTheyHaveContent() {
        for (AmqpMethod m : MethodSamples.all()) {
            boolean expected = m instanceof BasicPublish || m instanceof BasicReturn || m instanceof BasicDeliver
                    || m instanceof BasicGetOk;
            assertEquals(expected, m.hasContent(), m.name());
        }
    }

    @Test
    void rabbitmqExtensionIds() {
        assertIds(40, 30, ExchangeBind.CLASS_ID, ExchangeBind.METHOD_ID);
        assertIds(40, 31, ExchangeBindOk.CLASS_ID, ExchangeBindOk.METHOD_ID);
        assertIds(40, 40, ExchangeUnbind.CLASS_ID, ExchangeUnbind.METHOD_ID);
        assertIds(40, 51, ExchangeUnbindOk.CLASS_ID, ExchangeUnbindOk.METHOD_ID);
        assertIds(60, 120, BasicNack.CLASS_ID, BasicNack.METHOD_ID);
        assertIds(85, 10, ConfirmSelect.CLASS_ID, ConfirmSelect.METHOD_ID);
        assertIds(85, 11, ConfirmSelectOk.CLASS_ID, ConfirmSelectOk.METHOD_ID);
        assertIds(10, 60, ConnectionBlocked.CLASS_ID, ConnectionBlocked.METHOD_ID);
        assertIds(10, 61, ConnectionUnblocked.CLASS_ID, ConnectionUnblocked.METHOD_ID);
        assertIds(10, 70, ConnectionUpdateSecret.CLASS_ID, ConnectionUpdateSecret.METHOD_ID);
        assertIds(10, 71, ConnectionUpdateSecretOk.CLASS_ID, ConnectionUpdateSecretOk.METHOD_ID);
        assertEquals("exchange.unbind-ok", new ExchangeUnbindOk().name());
        assertEquals("basic.recover-async", new BasicRecoverAsync(false).name());
        assertEquals("connection.update-secret-ok", new ConnectionUpdateSecretOk().name());
    }

    @Test
    void accessRequestOkDefaultsToRabbitmqsTicket() {
        assertEquals(1, new AccessRequestOk().ticket());
    }

    @Test
    void byteArrayComponentsAreNotPrinted() {
        String s = new ConnectionStartOk(Map.of(), "PLAIN", MethodSamples.bytes("\0user\0secret"), "en_US").toString();
        assertFalse(s.contains("secret"), s);
        assertTrue(s.contains("response=<12 bytes>"), s);
    }

    private static void assertIds(int classId, int methodId, int actualClass, int actualMethod) {
        assertEquals(classId, actualClass);
        assertEquals(methodId, actualMethod);
    }
}
