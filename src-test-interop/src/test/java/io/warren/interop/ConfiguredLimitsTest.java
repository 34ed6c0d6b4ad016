package io.warren.interop;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.util.ArrayList;
import java.util.List;

import static io.warren.interop.RawAmqp.METHOD;
import static io.warren.interop.RawAmqp.method;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A broker configured with small limits: max message size 1024 bytes, frame_max 8192, channel_max 8. Warren gets its
 * own process with {@code --max-message-size 1024 --frame-max 8192 --channel-max 8}. Against an external broker the
 * class runs only with {@code -Dwarren.test.configuredLimits=true}, for a broker set up the same way (RabbitMQ:
 * {@code rabbitmqctl eval 'application:set_env(rabbit, max_message_size, 1024), application:set_env(rabbit,
 * frame_max, 8192), application:set_env(rabbit, channel_max, 8).'}, effective for new connections).
 */
class ConfiguredLimitsTest {

    static final int MAX_MESSAGE_SIZE = 1024;
    static final int FRAME_MAX = 8192;
    static final int CHANNEL_MAX = 8;

    @RegisterExtension
    static final WarrenBroker broker = WarrenBroker.isolated("--max-message-size", Integer.toString(MAX_MESSAGE_SIZE),
            "--frame-max", Integer.toString(FRAME_MAX), "--channel-max", Integer.toString(CHANNEL_MAX));

    private final List<Connection> connections = new ArrayList<>();

    @BeforeEach
    void onlyWhenConfigured() {
        assumeTrue(!WarrenBroker.external() || Boolean.getBoolean("warren.test.configuredLimits"),
                "the external broker is not known to have these limits (-Dwarren.test.configuredLimits=true)");
    }

    @AfterEach
    void closeConnections() {
        for (Connection c : connections) {
            InteropTestBase.closeQuietly(c);
        }
    }

    private Connection connect(int frameMax, int channelMax) throws Exception {
        ConnectionFactory f = broker.connectionFactory();
        f.setRequestedFrameMax(frameMax);
        f.setRequestedChannelMax(channelMax);
        Connection c = f.newConnection("interop-configured-limits");
        connections.add(c);
        return c;
    }

    private static String declareQueue(Channel c) throws Exception {
        return c.queueDeclare("", false, true, true, null).getQueue();
    }

    @Test
    void theBrokerOffersItsConfiguredFrameMaxAndChannelMax() throws Exception {
        try (RawAmqp r = new RawAmqp(broker.host(), broker.port())) {
            r.write(RawAmqp.PROTOCOL_HEADER);
            r.readFrame().expectMethod(10, 10);
            r.send(METHOD, 0, RawAmqp.startOk("PLAIN", RawAmqp.plainResponse("guest", "guest")));
            RawAmqp.Frame tune = r.readFrame();
            tune.expectMethod(10, 30);
            DataInputStream d = new DataInputStream(new ByteArrayInputStream(tune.payload(), 4, 8));
            assertEquals(CHANNEL_MAX, d.readUnsignedShort(), "channel_max in connection.tune");
            assertEquals(FRAME_MAX, d.readInt(), "frame_max in connection.tune");
        }
    }

    @Test
    void amqpClientNegotiatesTheConfiguredLimits() throws Exception {
        Connection unlimited = connect(0, 0);
        assertEquals(FRAME_MAX, unlimited.getFrameMax());
        assertEquals(CHANNEL_MAX, unlimited.getChannelMax());
        Connection higher = connect(131072, 2047);
        assertEquals(FRAME_MAX, higher.getFrameMax());
        assertEquals(CHANNEL_MAX, higher.getChannelMax());
        Connection lower = connect(4096, 3);
        assertEquals(4096, lower.getFrameMax());
        assertEquals(3, lower.getChannelMax());
    }

    @Test
    void openingMoreChannelsThanTheConfiguredMaxIs530() throws Exception {
        try (RawAmqp r = RawAmqp.open(broker.host(), broker.port(), CHANNEL_MAX, FRAME_MAX, 0)) {
            for (int ch = 1; ch <= CHANNEL_MAX; ch++) {
                r.openChannel(ch);
            }
            r.send(METHOD, CHANNEL_MAX + 1, method(20, 10).shortstr("").bytes());
            RawAmqp.Close c = r.expectConnectionClose();
            assertEquals(530, c.code());
            assertEquals("NOT_ALLOWED - number of channels opened (" + CHANNEL_MAX
                    + ") has reached the negotiated channel_max (" + CHANNEL_MAX + ")", c.text());
        }
    }

    @Test
    void aMessageAtTheMaxIsAcceptedAndOneByteMoreIs406() throws Exception {
        Connection c = connect(0, 0);
        Channel ok = c.createChannel();
        String q = declareQueue(ok);
        ok.confirmSelect();
        ok.basicPublish("", q, null, new byte[MAX_MESSAGE_SIZE]);
        ok.basicPublish("", q, null, new byte[0]);
        ok.waitForConfirmsOrDie(5_000);
        assertEquals(2, ok.messageCount(q));

        Channel bad = c.createChannel();
        bad.basicPublish("", q, null, new byte[MAX_MESSAGE_SIZE + 1]);
        assertEquals("PRECONDITION_FAILED - message size " + (MAX_MESSAGE_SIZE + 1)
                + " is larger than configured max size " + MAX_MESSAGE_SIZE, InteropTestBase.awaitChannelError(406, bad));
        assertTrue(c.isOpen(), "a channel error only");
        assertEquals(2, ok.messageCount(q), "the refused message was not enqueued; the other channel works");
    }

    @Test
    void aLargeMessageIsRefusedWhateverTheFrameSize() throws Exception {
        Connection c = connect(4096, 0);
        Channel bad = c.createChannel();
        bad.confirmSelect();
        bad.basicPublish("", "amq.rabbitmq.nowhere", null, new byte[100_000]); // 25 body frames
        assertEquals("PRECONDITION_FAILED - message size 100000 is larger than configured max size "
                + MAX_MESSAGE_SIZE, InteropTestBase.awaitChannelError(406, bad));
        assertFalse(bad.isOpen());
        Channel next = c.createChannel();
        next.queueDeclarePassive(declareQueue(next));
    }

    @Test
    void inATransactionTheOversizedPublishFailsAtOnce() throws Exception {
        Connection c = connect(0, 0);
        Channel tx = c.createChannel();
        String q = declareQueue(c.createChannel());
        tx.txSelect();
        tx.basicPublish("", q, null, new byte[10]);
        tx.basicPublish("", q, null, new byte[MAX_MESSAGE_SIZE + 100]);
        assertEquals("PRECONDITION_FAILED - message size " + (MAX_MESSAGE_SIZE + 100)
                + " is larger than configured max size " + MAX_MESSAGE_SIZE, InteropTestBase.awaitChannelError(406, tx));
        assertEquals(0, c.createChannel().messageCount(q), "the uncommitted publish went with the channel");
    }
}
