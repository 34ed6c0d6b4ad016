package io.warren.codec;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.warren.codec.method.BasicAck;
import io.warren.codec.method.BasicConsume;
import io.warren.codec.method.BasicPublish;
import io.warren.codec.method.BasicQos;
import io.warren.codec.method.ChannelClose;
import io.warren.codec.method.ChannelOpen;
import io.warren.codec.method.ConnectionOpen;
import io.warren.codec.method.ConnectionStartOk;
import io.warren.codec.method.ConnectionTuneOk;
import io.warren.codec.method.ExchangeDeclare;
import io.warren.codec.method.QueueBind;
import io.warren.codec.method.QueueDeclare;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A small, bounded fuzz run (fixed seeds, so a failure reproduces) of what a hostile peer controls: frames and
 * content-header properties. Valid traffic is mutated (bit flips, overwritten lengths, cut and spliced bytes, pure
 * garbage) and fed to the decoder in random chunks. The only acceptable failure is a {@link FrameException} with
 * one of the connection-error codes; the decoder never buffers more than about one frame; and content-header
 * properties that {@link BasicProperties#validate} accepts always decode (the broker relies on that to check a
 * publish once).
 */
class FrameDecoderFuzzTest {
    private static final int FRAME_MAX = 4096;
    private static final int RUNS = 1500;
    private static final Set<Integer> CONNECTION_ERRORS = Set.of(AmqpConstants.FRAME_ERROR, AmqpConstants.SYNTAX_ERROR,
            AmqpConstants.COMMAND_INVALID, AmqpConstants.UNEXPECTED_FRAME);

    private static byte[] validTraffic() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("x-max-length", 10);
        args.put("x-dead-letter-exchange", "dlx");
        args.put("nested", Map.of("a", List.of(1L, "two", new Timestamp(3))));
        Map<String, Object> clientProps = Map.of("product", "fuzz", "capabilities", Map.of("publisher_confirms", true));
        byte[] body = new byte[5000];
        new Random(1).nextBytes(body);
        ByteBuf content = Unpooled.buffer();
        FrameWriter.writeContent(content, 1, new BasicPublish("ex", "rk", true, false),
                BasicPropertiesTest.all().encode(), body, FRAME_MAX);
        byte[] contentBytes = io.netty.buffer.ByteBufUtil.getBytes(content);
        content.release();
        return TestFrames.concat(
                TestFrames.methodBytes(0, new ConnectionStartOk(clientProps, "PLAIN", "\0guest\0guest".getBytes(), "en_US")),
                TestFrames.methodBytes(0, new ConnectionTuneOk(2047, FRAME_MAX, 60)),
                TestFrames.methodBytes(0, new ConnectionOpen("/")),
                TestFrames.methodBytes(1, new ChannelOpen()),
                TestFrames.methodBytes(1, new ExchangeDeclare("ex", "topic", false, true, false, false, false, args)),
                TestFrames.methodBytes(1, new QueueDeclare("q", false, true, false, false, false, args)),
                TestFrames.methodBytes(1, new QueueBind("q", "ex", "a.#", false, args)),
                TestFrames.methodBytes(1, new BasicQos(0, 10, false)),
                TestFrames.methodBytes(1, new BasicConsume("q", "tag", false, false, false, false, args)),
                contentBytes,
                TestFrames.hex("08 0000 00000000 ce"),
                TestFrames.methodBytes(1, new BasicAck(1, true)),
                TestFrames.methodBytes(1, new ChannelClose(200, "bye", 0, 0)));
    }

    @Test
    void mutatedFramesGiveOnlyConnectionErrorsAndBoundedBuffering() {
        byte[] valid = validTraffic();
        Random random = new Random(0x5EED);
        for (int run = 0; run < RUNS; run++) {
            byte[] input = run % 10 == 0 ? garbage(random) : mutate(valid, random);
            feed(input, random, run);
        }
    }

    @Test
    void propertiesThatValidateAlwaysDecode() {
        byte[] valid = BasicPropertiesTest.all().encode();
        Random random = new Random(0xBA5E);
        int accepted = 0;
        for (int run = 0; run < 10_000; run++) {
            byte[] raw = run % 10 == 0 ? garbage(random) : mutate(valid, random);
            boolean validates = outcome(() -> BasicProperties.validate(raw), raw);
            boolean decodes = outcome(() -> BasicProperties.decode(raw), raw);
            if (validates != decodes) {
                fail("validate says " + validates + " but decode says " + decodes + " for " + hex(raw));
            }
            accepted += validates ? 1 : 0;
        }
        assertTrue(accepted > 100, "the mutations must leave some headers valid, or the run proves little: " + accepted);
    }

    /** True if the operation succeeded, false on a 502 SYNTAX_ERROR; anything else fails the test. */
    private static boolean outcome(Runnable op, byte[] raw) {
        try {
            op.run();
            return true;
        } catch (FrameException e) {
            if (e.replyCode() != AmqpConstants.SYNTAX_ERROR) {
                fail("properties error with code " + e.replyCode() + " for " + hex(raw));
            }
            return false;
        } catch (RuntimeException e) {
            throw new AssertionError("unexpected " + e + " for properties " + hex(raw), e);
        }
    }

    private static void feed(byte[] input, Random random, int run) {
        UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(FRAME_MAX));
        ch.config().setAllocator(alloc);
        int maxChunk = 1 + random.nextInt(3 * FRAME_MAX);
        try {
            for (int off = 0; off < input.length; ) {
                int n = Math.min(input.length - off, 1 + random.nextInt(maxChunk));
                ch.writeInbound(Unpooled.wrappedBuffer(input, off, n));
                off += n;
                checkFrames(ch, run);
                long held = alloc.metric().usedHeapMemory() + alloc.metric().usedDirectMemory();
                // what the decoder holds between reads: at most one frame plus the chunk it arrived with
                if (held > 2L * (FRAME_MAX + maxChunk)) {
                    fail("run " + run + ": the decoder holds " + held + " bytes");
                }
            }
        } catch (DecoderException e) {
            if (!(e.getCause() instanceof FrameException fe)) {
                throw new AssertionError("run " + run + ": unexpected " + e.getCause(), e);
            }
            if (!CONNECTION_ERRORS.contains(fe.replyCode())) {
                fail("run " + run + ": code " + fe.replyCode() + " " + fe.replyText());
            }
            assertTrue(fe.replyText().length() <= 255, "reply text fits a shortstr");
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    /** Decoded frames must be usable: a header's properties validate or fail cleanly, bodies are released. */
    private static void checkFrames(EmbeddedChannel ch, int run) {
        Object o;
        while ((o = ch.readInbound()) != null) {
            if (o instanceof ContentBodyFrame b) {
                b.release();
            } else if (o instanceof ContentHeaderFrame h) {
                byte[] raw = h.rawProperties();
                if (outcome(() -> BasicProperties.validate(raw), raw)) {
                    BasicProperties.decode(raw);
                }
            } else if (!(o instanceof Frame)) {
                fail("run " + run + ": decoded " + o);
            }
        }
    }

    private static byte[] garbage(Random random) {
        byte[] b = new byte[random.nextInt(200)];
        random.nextBytes(b);
        if (b.length > 0 && random.nextBoolean()) {
            b[0] = (byte) (1 + random.nextInt(3)); // a plausible frame type, so the header is taken seriously
        }
        return b;
    }

    /** One to four mutations of a copy of {@code valid}. */
    private static byte[] mutate(byte[] valid, Random random) {
        List<Byte> b = new ArrayList<>(valid.length + 16);
        for (byte x : valid) {
            b.add(x);
        }
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations && !b.isEmpty(); m++) {
            // half the mutations hit the first kilobyte: the method frames and the content header, not the body
            int at = random.nextInt(random.nextBoolean() ? Math.min(b.size(), 1024) : b.size());
            switch (random.nextInt(6)) {
                case 0 -> b.set(at, (byte) (b.get(at) ^ (1 << random.nextInt(8)))); // bit flip
                case 1 -> b.set(at, (byte) random.nextInt(256));                  // random byte
                case 2 -> {                                                          // a length of 0xFF.. or 0
                    byte v = random.nextBoolean() ? (byte) 0xFF : 0;
                    for (int i = at; i < Math.min(b.size(), at + 1 + random.nextInt(8)); i++) {
                        b.set(i, v);
                    }
                }
                case 3 -> b.subList(at, Math.min(b.size(), at + 1 + random.nextInt(16))).clear(); // cut
                case 4 -> {                                                          // insert
                    for (int i = random.nextInt(16); i >= 0; i--) {
                        b.add(at, (byte) random.nextInt(256));
                    }
                }
                default -> b.subList(Math.min(b.size(), at + random.nextInt(64)), b.size()).clear(); // truncate
            }
        }
        byte[] out = new byte[b.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.get(i);
        }
        return out;
    }

    private static String hex(byte[] raw) {
        return io.netty.buffer.ByteBufUtil.hexDump(raw);
    }
}
