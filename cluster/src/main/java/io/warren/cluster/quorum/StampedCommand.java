package io.warren.cluster.quorum;

/**
 * A command as the leader writes it into the log: a marker byte, the leader's clock (epoch
 * milliseconds) when it accepted the command, then the command. Message TTL and x-expires are
 * decided from these stamps, never from a member's own clock at apply time, so every member
 * expires the same messages at the same point of the log. Entries written before stamps existed
 * start with the command's type byte (never the marker) and carry no time.
 */
final class StampedCommand {
    /** Not a command type: command types are small positive numbers. */
    private static final byte MARKER = 0x7F;
    private static final int HEADER = 9;
    /** The time of an entry without a stamp: it does not move the queue's clock. */
    static final long NO_TIME = Long.MIN_VALUE;

    private StampedCommand() {
    }

    static byte[] stamp(long time, byte[] command) {
        byte[] out = new byte[HEADER + command.length];
        System.arraycopy(header(time), 0, out, 0, HEADER);
        System.arraycopy(command, 0, out, HEADER, command.length);
        return out;
    }

    /** The stamp alone: the leader puts it in front of the command without copying the command. */
    static byte[] header(long time) {
        byte[] out = new byte[HEADER];
        out[0] = MARKER;
        for (int i = 0; i < 8; i++) {
            out[1 + i] = (byte) (time >>> (56 - 8 * i));
        }
        return out;
    }

    static boolean isStamped(byte[] entry) {
        return entry.length >= HEADER && entry[0] == MARKER;
    }

    /** The leader's time in the entry, or {@link #NO_TIME}. */
    static long time(byte[] entry) {
        if (!isStamped(entry)) {
            return NO_TIME;
        }
        long t = 0;
        for (int i = 0; i < 8; i++) {
            t = (t << 8) | (entry[1 + i] & 0xFF);
        }
        return t;
    }

    static QueueCommand command(byte[] entry) {
        return QueueCommand.decode(entry, isStamped(entry) ? HEADER : 0);
    }

    /** The command to apply: enqueues without their contents, which stay in the log until delivered. */
    static QueueCommand commandToApply(byte[] entry) {
        return QueueCommand.decode(entry, isStamped(entry) ? HEADER : 0, false);
    }
}
