package io.warren.interop.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The firehose tracer as RabbitMQ 3.10 has it: amq.rabbitmq.trace in every vhost, switched by
 * {@code warrenctl trace_on/trace_off} or {@code PUT /api/vhosts/{vhost}} with {"tracing": ...}, and
 * publish./deliver. copies with rabbit_trace's headers. Each test traces a vhost of its own.
 */
class TraceTest extends ManagementTestBase {
    private static final String TRACE = "amq.rabbitmq.trace";

    private String vhost;
    private Connection vconn;
    private Channel vch;
    private String traceQueue;
    private final BlockingQueue<Delivery> traced = new LinkedBlockingQueue<>();

    @BeforeEach
    void tracedVhost() throws Exception {
        vhost = uniqueName("trace");
        assertTrue(http("PUT", "/api/vhosts/" + enc(vhost), "{}").statusCode() / 100 == 2);
        assertTrue(http("PUT", "/api/permissions/" + enc(vhost) + "/guest",
                "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}").statusCode() / 100 == 2);
        ConnectionFactory f = factory().clone();
        f.setVirtualHost(vhost);
        vconn = track(f.newConnection("trace-test"));
        vch = vconn.createChannel();
        traceQueue = vch.queueDeclare("", false, true, true, null).getQueue();
        vch.queueBind(traceQueue, TRACE, "#");
        vconn.createChannel().basicConsume(traceQueue, true, (t, d) -> traced.add(d), t -> { });
    }

    @AfterEach
    void dropVhost() throws Exception {
        if (vconn != null) {
            closeQuietly(vconn);
        }
        http("DELETE", "/api/vhosts/" + enc(vhost), null);
    }

    private Delivery nextTraced() throws InterruptedException {
        Delivery d = traced.poll(5, TimeUnit.SECONDS);
        assertNotNull(d, "a message in the trace queue within 5 s");
        return d;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    private static List<String> strings(Object array) {
        assertInstanceOf(List.class, array);
        List<String> out = new ArrayList<>();
        ((List<?>) array).forEach(o -> out.add(o.toString()));
        return out;
    }

    private boolean tracing() throws Exception {
        return getJson("/api/vhosts/" + enc(vhost)).path("tracing").asBoolean();
    }

    @Test
    void traceExchangeExistsInEveryVhost() throws Exception {
        for (String v : List.of("/", vhost)) {
            JsonNode x = getJson("/api/exchanges/" + enc(v) + "/" + TRACE);
            assertEquals("topic", x.path("type").asText());
            assertTrue(x.path("durable").asBoolean());
            assertTrue(x.path("internal").asBoolean());
        }
        vch.exchangeDeclarePassive(TRACE);
        assertFalse(tracing(), "tracing is off in a new vhost");
    }

    @Test
    void publishAndDeliverCopiesCarryRabbitmqHeaders() throws Exception {
        HttpResponse<String> on = http("PUT", "/api/vhosts/" + enc(vhost), "{\"tracing\":true}");
        assertEquals(204, on.statusCode(), on.body()); // the vhost existed
        assertTrue(tracing());

        String q = vch.queueDeclare("traced-q", false, false, true, null).getQueue();
        vch.exchangeDeclare("traced-x", "direct", false, true, null);
        vch.queueBind(q, "traced-x", "k");
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("text/plain").deliveryMode(2)
                .priority(3).messageId("m1").headers(Map.of("h", "v")).build();
        vch.basicPublish("", q, props, "one".getBytes(StandardCharsets.UTF_8));
        vch.basicPublish("traced-x", "k", null, "two".getBytes(StandardCharsets.UTF_8));

        Delivery p1 = nextTraced();
        assertEquals("publish.", p1.getEnvelope().getRoutingKey());
        assertEquals(TRACE, p1.getEnvelope().getExchange());
        assertEquals("one", new String(p1.getBody(), StandardCharsets.UTF_8));
        Map<String, Object> h = p1.getProperties().getHeaders();
        assertEquals("", str(h.get("exchange_name")));
        assertEquals(List.of(q), strings(h.get("routing_keys")));
        assertEquals(List.of(q), strings(h.get("routed_queues")));
        assertEquals(vhost, str(h.get("vhost")));
        assertEquals("guest", str(h.get("user")));
        assertInstanceOf(Integer.class, h.get("channel"));
        assertFalse(str(h.get("node")).isEmpty());
        assertTrue(str(h.get("connection")).contains(" -> "), str(h.get("connection")));
        assertFalse(h.containsKey("redelivered"));
        @SuppressWarnings("unchecked")
        Map<String, Object> p = (Map<String, Object>) h.get("properties");
        assertEquals("text/plain", str(p.get("content_type")));
        assertEquals(2, p.get("delivery_mode"));
        assertEquals(3, p.get("priority"));
        assertEquals("m1", str(p.get("message_id")));
        assertEquals("v", str(((Map<?, ?>) p.get("headers")).get("h")));
        assertEquals(null, p1.getProperties().getDeliveryMode(), "the copy itself is transient");

        Delivery p2 = nextTraced();
        assertEquals("publish.traced-x", p2.getEnvelope().getRoutingKey());
        assertEquals("traced-x", str(p2.getProperties().getHeaders().get("exchange_name")));
        assertEquals(List.of("k"), strings(p2.getProperties().getHeaders().get("routing_keys")));
        assertEquals(List.of(q), strings(p2.getProperties().getHeaders().get("routed_queues")));
        assertTrue(((Map<?, ?>) p2.getProperties().getHeaders().get("properties")).isEmpty());

        GetResponse got = vch.basicGet(q, false); // a basic.get is a delivery too
        assertNotNull(got);
        vch.basicNack(got.getEnvelope().getDeliveryTag(), false, true);
        Delivery d1 = nextTraced();
        assertEquals("deliver." + q, d1.getEnvelope().getRoutingKey());
        assertEquals("one", new String(d1.getBody(), StandardCharsets.UTF_8));
        Map<String, Object> dh = d1.getProperties().getHeaders();
        assertEquals(0, dh.get("redelivered"));
        assertEquals("", str(dh.get("exchange_name")));
        assertEquals(List.of(q), strings(dh.get("routing_keys")));
        assertFalse(dh.containsKey("routed_queues"));
        assertEquals(vhost, str(dh.get("vhost")));
        assertEquals("guest", str(dh.get("user")));
        assertEquals("text/plain", str(((Map<?, ?>) dh.get("properties")).get("content_type")));

        BlockingQueue<Delivery> consumed = new LinkedBlockingQueue<>();
        vch.basicConsume(q, true, (t, d) -> consumed.add(d), t -> { });
        Delivery d2 = nextTraced();
        assertEquals("deliver." + q, d2.getEnvelope().getRoutingKey());
        assertEquals("one", new String(d2.getBody(), StandardCharsets.UTF_8));
        assertEquals(1, d2.getProperties().getHeaders().get("redelivered"));
        Delivery d3 = nextTraced();
        assertEquals("two", new String(d3.getBody(), StandardCharsets.UTF_8));
        assertEquals("traced-x", str(d3.getProperties().getHeaders().get("exchange_name")));
        assertNotNull(consumed.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void aDirectReplyIsTracedAsRoutedToNoQueue() throws Exception {
        assertEquals(204, http("PUT", "/api/vhosts/" + enc(vhost), "{\"tracing\":true}").statusCode());
        String q = vch.queueDeclare("", false, true, true, null).getQueue();
        Channel requester = vconn.createChannel();
        BlockingQueue<Delivery> replies = new LinkedBlockingQueue<>();
        requester.basicConsume("amq.rabbitmq.reply-to", true, (t, d) -> replies.add(d), t -> { });
        requester.basicPublish("", q, new AMQP.BasicProperties.Builder().replyTo("amq.rabbitmq.reply-to").build(),
                "request".getBytes(StandardCharsets.UTF_8));
        assertEquals("publish.", nextTraced().getEnvelope().getRoutingKey());
        GetResponse request = vch.basicGet(q, true);
        assertNotNull(request);
        assertEquals("deliver." + q, nextTraced().getEnvelope().getRoutingKey());
        String address = request.getProps().getReplyTo();
        vch.basicPublish("", address, null, "reply".getBytes(StandardCharsets.UTF_8));
        assertNotNull(replies.poll(5, TimeUnit.SECONDS));
        Delivery copy = nextTraced();
        assertEquals("publish.", copy.getEnvelope().getRoutingKey());
        assertEquals("reply", new String(copy.getBody(), StandardCharsets.UTF_8));
        assertEquals(List.of(address), strings(copy.getProperties().getHeaders().get("routing_keys")));
        assertEquals(List.of(), strings(copy.getProperties().getHeaders().get("routed_queues")));
    }

    @Test
    void warrenctlSwitchesTracingOnAndOff() throws Exception {
        WarrenctlTest.Run on = WarrenctlTest.warrenctl("trace_on", "-p", vhost);
        assertEquals(0, on.exit(), on.err());
        assertEquals(List.of("Starting tracing for vhost \"" + vhost + "\" ...", "Trace enabled for vhost " + vhost),
                on.lines());
        assertTrue(tracing());
        String q = vch.queueDeclare("", false, true, true, null).getQueue();
        vch.basicPublish("", q, null, "before".getBytes(StandardCharsets.UTF_8));
        Delivery copy = nextTraced();
        assertEquals("publish.", copy.getEnvelope().getRoutingKey());
        assertEquals("before", new String(copy.getBody(), StandardCharsets.UTF_8));

        WarrenctlTest.Run off = WarrenctlTest.warrenctl("-q", "trace_off", "-p", vhost);
        assertEquals(0, off.exit(), off.err());
        assertEquals(List.of("Trace disabled for vhost " + vhost), off.lines());
        assertFalse(tracing());
        vch.basicPublish("", q, null, "after".getBytes(StandardCharsets.UTF_8));
        GetResponse before = vch.basicGet(q, true);
        GetResponse after = vch.basicGet(q, true);
        assertEquals("after", new String(after.getBody(), StandardCharsets.UTF_8));
        assertNotNull(before);
        // a marker sent straight to the trace queue behind them: no copy may arrive before it
        vch.basicPublish("", traceQueue, null, "marker".getBytes(StandardCharsets.UTF_8));
        Delivery next = nextTraced();
        assertEquals("marker", new String(next.getBody(), StandardCharsets.UTF_8),
                "nothing traced after trace_off, got " + next.getEnvelope().getRoutingKey());
    }
}
