package io.warren.storage;

/** Told, on the executor it was registered with, when free space crosses the alarm level. */
@FunctionalInterface
public interface DiskAlarmListener {
    void alarmChanged(boolean alarm, long freeBytes);
}
