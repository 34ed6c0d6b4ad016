package io.warren.interop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Random;
import java.util.Set;

import static io.warren.interop.RawAmqp.BODY;
import static io.warren.interop.RawAmqp.HEADER;
import static io.warren.interop.RawAmqp.METHOD;
import static io.warren.interop.RawAmqp.method;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * A bounded fuzz run (fixed seed) of the publish state machine over real sockets: each session sends a random
 * sequence of publishes (to real, missing and internal exchanges), content headers (sizes from 0 to 2^64-1,
 * properties valid, mutated or garbage, wrong class), body frames and other methods, then checks the session with
 * a channel.open on a fresh channel. Every answer must be one of the protocol's errors (never 541 INTERNAL_ERROR),
 * the broker must answer every session, and its log must hold no stack trace.
 */
@Timeout(120)
class PublishFuzzTest extends InteropTestBase {
    private static final int SESSIONS = 150;
    private static final Set<Integer> CHANNEL_ERRORS = Set.of(403, 404, 406);
    private static final Set<Integer> CONNECTION_ERRORS = Set.of(501, 502, 503, 504, 505, 540);
    private static final byte[] VALID_PROPS = new RawAmqp.Buf().s(0x9000 | 0x0800).shortstr("text/plain")
            .octet(2).octet(5).bytes(); // content-type, delivery-mode 2, priority 5

    @Test
    void randomPublishSequencesGetOnlyProtocolErrors() throws Exception {
        assumeFalse(WarrenBroker.external(), "RabbitMQ 3.10 answers malformed properties with 541 and waits for huge bodies");
        String q = declareQueue();
        long logStart = Files.size(broker.logFile());
        Random random = new Random(0xF022);
        int alive = 0;
        for (int s = 0; s < SESSIONS; s++) {
            try (RawAmqp r = RawAmqp.open(broker.host(), broker.port())) {
                r.openChannel(1);
                int attempts = 1 + random.nextInt(3);
                for (int i = 0; i < attempts; i++) {
                    attempt(r, random, q);
                }
                r.send(METHOD, 99, method(20, 10).shortstr("").bytes());
                alive += outcome(r, s) ? 1 : 0;
            }
        }
        assertTrue(alive > 0 && alive < SESSIONS, "the run must reach both outcomes to prove much: " + alive);
        String log = new String(Files.readAllBytes(broker.logFile()), StandardCharsets.UTF_8).substring((int) logStart);
        assertTrue(log.lines().noneMatch(l -> l.startsWith("\tat ") || l.contains("INTERNAL_ERROR")),
                "no stack trace, no internal error:\n" + log);
        // whatever made it into the queue is deliverable: a message no delivery can carry would fail here
        while (ch.basicGet(q, true) != null) {
            assertTrue(ch.isOpen());
        }
        assertEquals(0, ch.messageCount(q));
    }

    /**
     * One publish attempt, mostly well ordered (publish, header, the announced body in one to three frames) so the
     * run gets past the first frame, with each part sometimes left out, repeated, of the wrong size or class, or
     * interrupted by another method.
     */
    private static void attempt(RawAmqp r, Random random, String q) throws IOException {
        if (random.nextInt(10) != 0) {
            String[] exchanges = {"", "", "amq.direct", "no.such.exchange", "amq.rabbitmq.trace"};
            r.publishMethod(1, exchanges[random.nextInt(exchanges.length)], random.nextBoolean() ? q : "nowhere");
        }
        if (random.nextInt(12) == 0) {
            r.send(METHOD, 1, method(60, 10).l(0).s(random.nextInt(100)).octet(0).bytes()); // basic.qos
        }
        long[] sizes = {0, 3, 10, 5000, 5000, 200_000_000L, Long.MIN_VALUE, -1L, random.nextLong()};
        long size = sizes[random.nextInt(sizes.length)];
        if (random.nextInt(10) != 0) {
            int classId = random.nextInt(20) == 0 ? 50 : 60;
            r.send(HEADER, 1, new RawAmqp.Buf().s(classId).s(0).ll(size).raw(properties(random)).bytes());
        }
        long left = size >= 0 && size <= 5000 ? size + (random.nextInt(8) == 0 ? random.nextInt(5) - 2 : 0)
                : random.nextInt(20);
        for (int frames = 1 + random.nextInt(3); left > 0 && frames > 0; frames--) {
            int n = frames == 1 ? (int) left : 1 + random.nextInt((int) left);
            byte[] body = new byte[n];
            random.nextBytes(body);
            r.send(BODY, 1, body);
            left -= n;
        }
    }

    private static byte[] properties(Random random) {
        byte[] p = VALID_PROPS.clone();
        switch (random.nextInt(4)) {
            case 0 -> {
                return new byte[]{0, 0};
            }
            case 1 -> p[random.nextInt(p.length)] ^= (byte) (1 << random.nextInt(8));
            case 2 -> {
                byte[] garbage = new byte[random.nextInt(20)];
                random.nextBytes(garbage);
                return garbage;
            }
            default -> { }
        }
        return p;
    }

    /** True if the session is still open (open-ok on channel 99), false if it was closed with a proper error. */
    private static boolean outcome(RawAmqp r, int session) throws IOException {
        while (true) {
            RawAmqp.Frame f;
            try {
                f = r.readFrame();
            } catch (EOFException | SocketException e) {
                return fail("session " + session + ": socket closed without connection.close");
            }
            if (f.isMethod(10, 50)) {
                RawAmqp.Close c = f.close();
                assertTrue(CONNECTION_ERRORS.contains(c.code()), () -> "session " + session + ": " + c);
                r.send(METHOD, 0, method(10, 51).bytes());
                return false;
            }
            if (f.isMethod(20, 40)) {
                RawAmqp.Close c = f.close();
                assertTrue(CHANNEL_ERRORS.contains(c.code()), () -> "session " + session + ": " + c);
            } else if (f.channel() == 99 && f.isMethod(20, 11)) {
                return true;
            }
        }
    }
}
