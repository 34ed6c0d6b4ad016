package io.warren.broker.alarm;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResourceAlarmsTest {
    @Test
    void listenersHearEachChangeOnceAndTheBlockLastsUntilEveryAlarmClears() {
        ResourceAlarms alarms = new ResourceAlarms();
        List<String> heard = new ArrayList<>();
        alarms.onChange(a -> heard.add(a.any() + ":" + a.reason()));
        alarms.set(ResourceAlarms.Resource.MEMORY, true);
        alarms.set(ResourceAlarms.Resource.MEMORY, true); // no change, no event
        alarms.set(ResourceAlarms.Resource.DISK, true);
        alarms.set(ResourceAlarms.Resource.MEMORY, false);
        assertTrue(alarms.any(), "disk still raised");
        assertEquals("low on disk", alarms.reason());
        alarms.set(ResourceAlarms.Resource.DISK, false);
        assertFalse(alarms.any());
        assertEquals(List.of("true:low on memory", "true:low on memory", "true:low on disk", "false:"), heard);
    }

    @Test
    void memoryMonitorUsesAnAbsoluteLimitWhenGiven() {
        assertEquals(12345, new MemoryMonitor(new ResourceAlarms(), 0.4, 12345).limitBytes());
        long fractionLimit = new MemoryMonitor(new ResourceAlarms(), 0.5, 0).limitBytes();
        assertTrue(fractionLimit >= Runtime.getRuntime().maxMemory() / 2, "half of heap plus direct memory");
    }
}
