package io.warren.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExchangeTypeTest {

    @Test
    void wireNamesRoundTrip() {
        assertEquals("direct", ExchangeType.DIRECT.wireName());
        assertEquals("fanout", ExchangeType.FANOUT.wireName());
        assertEquals("topic", ExchangeType.TOPIC.wireName());
        assertEquals("headers", ExchangeType.HEADERS.wireName());
        for (ExchangeType t : ExchangeType.values()) {
            assertEquals(Optional.of(t), ExchangeType.fromWireName(t.wireName()));
        }
    }

    @Test
    void unknownNamesAreEmptyAndCaseMatters() {
        assertTrue(ExchangeType.fromWireName("Topic").isEmpty());
        assertTrue(ExchangeType.fromWireName("x-consistent-hash").isEmpty());
        assertTrue(ExchangeType.fromWireName("").isEmpty());
        assertTrue(ExchangeType.fromWireName(null).isEmpty());
    }

    @Test
    void factoryCreatesTheMatchingTable() {
        assertInstanceOf(DirectBindingTable.class, BindingTables.create(ExchangeType.DIRECT));
        assertInstanceOf(FanoutBindingTable.class, BindingTables.create(ExchangeType.FANOUT));
        assertInstanceOf(TopicBindingTable.class, BindingTables.create(ExchangeType.TOPIC));
        assertInstanceOf(HeadersBindingTable.class, BindingTables.create(ExchangeType.HEADERS));
    }
}
