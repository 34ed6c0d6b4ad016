package io.warren.broker.cluster.link;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warren.broker.model.Message;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The link's wire format: what one node writes the other reads back the same; garbage is refused. */
class LinkMessageTest {
    private static final byte[] PROPS = {(byte) 0x90, 0, 10, 't', 'e', 'x', 't', '/', 'p', 'l', 'a', 'i', 'n', 2};

    private static LinkMessage roundTrip(LinkMessage m) {
        ByteBuf buf = Unpooled.buffer();
        try {
            m.write(buf);
            LinkMessage back = LinkMessage.read(buf);
            assertFalse(buf.isReadable(), "every byte read");
            return back;
        } finally {
            buf.release();
        }
    }

    private static Message message(String body) {
        return new Message("ex", "rk.é", PROPS, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertSameMessage(Message expected, Message got) {
        assertEquals(expected.exchange(), got.exchange());
        assertEquals(expected.routingKey(), got.routingKey());
        assertArrayEquals(expected.rawProperties(), got.rawProperties(), "property bytes kept exactly");
        assertArrayEquals(expected.bodyOrNull(), got.bodyOrNull());
    }

    @Test
    void publishCarriesItsQueuesAndTheMessageUnchanged() {
        Message m = message("hello");
        LinkMessage.Publish back = (LinkMessage.Publish) roundTrip(new LinkMessage.Publish(7, true, "/v", List.of("a", "b"), m));
        assertEquals(7, back.corr());
        assertTrue(back.wantsReply());
        assertEquals("/v", back.vhost());
        assertEquals(List.of("a", "b"), back.queues());
        assertSameMessage(m, back.message());
        assertTrue(back.message().persistent(), "delivery mode read from the kept property bytes");
    }

    @Test
    void everyOtherMessageRoundTrips() {
        Message m = message("");
        LinkMessage.Deliver d = (LinkMessage.Deliver) roundTrip(new LinkMessage.Deliver(3, 99, true, m));
        assertEquals(3, d.consumer());
        assertEquals(99, d.id());
        assertTrue(d.redelivered());
        assertSameMessage(m, d.message());
        LinkMessage.GotMessage g = (LinkMessage.GotMessage) roundTrip(new LinkMessage.GotMessage(5, 6, false, 41, m));
        assertEquals(41, g.remaining());
        assertEquals(new LinkMessage.Reply(1, 404, "NOT_FOUND - x", -1),
                roundTrip(new LinkMessage.Reply(1, 404, "NOT_FOUND - x", -1)));
        assertEquals(new LinkMessage.Get(2, "/", "q", true), roundTrip(new LinkMessage.Get(2, "/", "q", true)));
        assertEquals(new LinkMessage.Consume(1, 2, "/", "q", "ctag", false, true, 10, -5),
                roundTrip(new LinkMessage.Consume(1, 2, "/", "q", "ctag", false, true, 10, -5)));
        LinkMessage.Settle s = (LinkMessage.Settle) roundTrip(new LinkMessage.Settle(LinkMessage.Settlement.REJECT,
                new long[] {1, 5, Long.MAX_VALUE}));
        assertEquals(LinkMessage.Settlement.REJECT, s.kind());
        assertArrayEquals(new long[] {1, 5, Long.MAX_VALUE}, s.ids());
        assertEquals(new LinkMessage.Cancel(8), roundTrip(new LinkMessage.Cancel(8)));
        // a consumer's place (quorum queues' subscription order) and a cancel that moves it keep theirs
        assertEquals(new LinkMessage.Consume(1, 2, "/", "q", "ctag", false, true, 10, -5, "a-place"),
                roundTrip(new LinkMessage.Consume(1, 2, "/", "q", "ctag", false, true, 10, -5, "a-place")));
        assertEquals(new LinkMessage.Cancel(8, true), roundTrip(new LinkMessage.Cancel(8, true)));
        assertEquals(new LinkMessage.Cancelled(8), roundTrip(new LinkMessage.Cancelled(8)));
        assertEquals(new LinkMessage.Purge(4, "/", "q"), roundTrip(new LinkMessage.Purge(4, "/", "q")));
        assertSameMessage(m, ((LinkMessage.DirectReply) roundTrip(new LinkMessage.DirectReply(m))).message());
        assertEquals(new LinkMessage.ReplyAddressCheck(9, "amq.rabbitmq.reply-to.bjE.x"),
                roundTrip(new LinkMessage.ReplyAddressCheck(9, "amq.rabbitmq.reply-to.bjE.x")));
        LinkMessage.Hello h = (LinkMessage.Hello) roundTrip(new LinkMessage.Hello("n1", new byte[] {1, 2}));
        assertEquals("n1", h.node());
        assertArrayEquals(new byte[] {1, 2}, h.nonce());
    }

    @Test
    void nodeStatsTravelWithEveryFigureAndListener() {
        io.warren.management.model.NodeStats sent = new io.warren.management.model.NodeStats("n2", true, 4321,
                100_000, 2_000_000, true, 5_000_000_000L, 50_000_000, false, 41, 1024, 3, 57, 2, 98_765,
                List.of(new io.warren.management.model.ListenerInfo("n2", "amqp", "0.0.0.0", 5672),
                        new io.warren.management.model.ListenerInfo("n2", "http", "0.0.0.0", 15672)));
        assertEquals(new LinkMessage.StatsRequest(9), roundTrip(new LinkMessage.StatsRequest(9)));
        LinkMessage.Stats back = (LinkMessage.Stats) roundTrip(new LinkMessage.Stats(9, sent));
        assertEquals(9, back.corr());
        assertEquals(sent, back.stats());
    }

    @Test
    void anUnknownTypeOrATruncatedOrLyingFrameIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> LinkMessage.read(Unpooled.wrappedBuffer(new byte[] {99})));
        ByteBuf truncated = Unpooled.buffer();
        new LinkMessage.Deliver(1, 2, false, message("body")).write(truncated);
        truncated.writerIndex(truncated.writerIndex() - 2);
        assertThrows(IndexOutOfBoundsException.class, () -> LinkMessage.read(truncated));
        // a settle announcing more ids than the frame holds allocates nothing for them
        ByteBuf lying = Unpooled.buffer();
        lying.writeByte(LinkMessage.SETTLE).writeByte(0).writeInt(Integer.MAX_VALUE);
        assertThrows(IllegalArgumentException.class, () -> LinkMessage.read(lying));
    }

    @Test
    void aProofHoldsOnlyForTheSameSecretRoleNameAndNonces() {
        LinkAuth auth = new LinkAuth("secret");
        byte[] d = LinkAuth.nonce();
        byte[] a = LinkAuth.nonce();
        byte[] proof = auth.proof("dialer", "n1", d, a);
        assertTrue(auth.verify(proof, new LinkAuth("secret").proof("dialer", "n1", d, a)));
        assertFalse(auth.verify(proof, new LinkAuth("other").proof("dialer", "n1", d, a)), "another secret");
        assertFalse(auth.verify(proof, auth.proof("acceptor", "n1", d, a)), "reflected as the other role");
        assertFalse(auth.verify(proof, auth.proof("dialer", "n2", d, a)), "another node's name");
        assertFalse(auth.verify(proof, auth.proof("dialer", "n1", d, LinkAuth.nonce())), "replayed on another link");
    }
}
