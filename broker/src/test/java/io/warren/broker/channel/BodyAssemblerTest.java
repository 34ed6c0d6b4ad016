package io.warren.broker.channel;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BodyAssemblerTest {

    @Test
    void anAnnouncedSizeCostsNothingUntilBytesArrive() {
        BodyAssembler b = new BodyAssembler();
        b.start(100_000_000);
        assertEquals(0, b.capacity());
        b.append(Unpooled.wrappedBuffer("abc".getBytes()));
        assertEquals(3, b.capacity(), "only what arrived is held");
        assertEquals(100_000_000 - 3, b.missing());
        assertFalse(b.complete());
    }

    @Test
    void aOneFrameBodyIsOneArrayOfExactlyItsSize() {
        BodyAssembler b = new BodyAssembler();
        byte[] body = new byte[131_064];
        new Random(1).nextBytes(body);
        b.start(body.length);
        b.append(Unpooled.wrappedBuffer(body));
        assertTrue(b.complete());
        assertArrayEquals(body, b.take());
    }

    @Test
    void manyFramesGrowByDoublingUpToTheExactSize() {
        Random random = new Random(7);
        byte[] body = new byte[1_000_003];
        random.nextBytes(body);
        BodyAssembler b = new BodyAssembler();
        b.start(body.length);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        int off = 0;
        while (off < body.length) {
            int n = Math.min(body.length - off, 1 + random.nextInt(20_000));
            b.append(Unpooled.wrappedBuffer(body, off, n));
            sent.write(body, off, n);
            off += n;
            assertTrue(b.capacity() <= 2L * off, "held " + b.capacity() + " for " + off + " bytes arrived");
            assertTrue(b.capacity() <= body.length);
        }
        assertTrue(b.complete());
        byte[] got = b.take();
        assertEquals(body.length, got.length, "no slack: the array is the message body");
        assertArrayEquals(sent.toByteArray(), got);
    }

    @Test
    void anEmptyBodyIsCompleteAtOnceAndClearDropsAPartialOne() {
        BodyAssembler b = new BodyAssembler();
        b.start(0);
        assertTrue(b.complete());
        assertEquals(0, b.take().length);
        b.start(10);
        b.append(Unpooled.wrappedBuffer(new byte[4]));
        b.clear();
        assertEquals(0, b.capacity());
    }
}
