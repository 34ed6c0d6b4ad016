package io.warren.mqtt;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicsTest {
    @Test
    void mapsAsRabbitMqsPluginDoes() {
        assertEquals("home.kitchen.temp", Topics.toAmqp("home/kitchen/temp"));
        assertEquals("home.*.#", Topics.toAmqp("home/+/#"));
        assertEquals("v1/2.x", Topics.toAmqp("v1.2/x"), "dots and slashes swap so both survive");
        assertEquals("v1.2/x", Topics.toMqtt(Topics.toAmqp("v1.2/x")));
        assertEquals("a/+/#", Topics.toMqtt("a.*.#"));
    }

    @Test
    void filtersMatchTopicsForRetainedMessages() {
        assertTrue(Topics.matches("a/+/c", "a/b/c"));
        assertTrue(Topics.matches("a/#", "a"));
        assertTrue(Topics.matches("a/#", "a/b/c"));
        assertTrue(Topics.matches("#", "x/y"));
        assertTrue(Topics.matches("a/b", "a/b"));
        assertFalse(Topics.matches("a/+", "a/b/c"));
        assertFalse(Topics.matches("a/b", "a/b/c"));
        assertFalse(Topics.matches("a/+/c", "a/b"));
    }

    @Test
    void dollarTopicsAreNotMatchedByFiltersStartingWithAWildcard() { // MQTT 3.1.1 4.7.2
        assertFalse(Topics.matches("#", "$SYS/broker/uptime"));
        assertFalse(Topics.matches("+/broker/uptime", "$SYS/broker/uptime"));
        assertTrue(Topics.matches("$SYS/#", "$SYS/broker/uptime"));
        assertTrue(Topics.matches("$SYS/+/uptime", "$SYS/broker/uptime"));
        assertTrue(Topics.matches("#", "a/$SYS"), "only a leading $ counts");
    }
}
