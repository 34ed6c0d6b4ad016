package io.warren.interop.management;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.AMQP;
import io.warren.interop.WarrenBroker;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The three Prometheus endpoints of the real broker after real traffic, checked as rabbitmq_prometheus
 * answers them. Against RabbitMQ ({@code -Dwarren.test.port}) the plugin's port comes from
 * {@code -Dwarren.test.prometheusPort}; RabbitMQ updates its numbers every 5 s, so values are polled.
 */
class PrometheusMetricsTest extends ManagementTestBase {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)$",
            Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @Test
    void endpointsShowTheBrokersNumbers() throws Exception {
        String before = scrape("/metrics");
        double receivedBefore = value(before, "rabbitmq_global_messages_received_total", Map.of("protocol", "amqp091"));
        newConnection().close(); // one login, one connection opened and closed
        com.rabbitmq.client.ConnectionFactory wrong = factory();
        wrong.setPassword("not-the-password");
        org.junit.jupiter.api.Assertions.assertThrows(Exception.class, wrong::newConnection); // one refused login
        String q = declareQueue();
        ch.confirmSelect();
        for (int i = 0; i < 5; i++) {
            ch.basicPublish("", q, null, ("m" + i).getBytes(StandardCharsets.UTF_8));
        }
        ch.waitForConfirmsOrDie(5_000);
        ch.basicAck(getOrFail(ch, q, false).getEnvelope().getDeliveryTag(), false);
        Channel consuming = conn.createChannel();
        consuming.basicQos(2);
        CountDownLatch two = new CountDownLatch(2);
        consuming.basicConsume(q, false, new DefaultConsumer(consuming) {
            @Override
            public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body) {
                two.countDown(); // held unacked
            }
        });
        assertTrue(two.await(5, TimeUnit.SECONDS));

        Map<String, String> queue = Map.of("vhost", "/", "queue", q);
        String perObject = awaitScrape("/metrics/per-object",
                t -> value(t, "rabbitmq_queue_messages_ready", queue) == 2
                        && value(t, "rabbitmq_queue_messages_unacked", queue) == 2
                        && value(t, "rabbitmq_queue_consumers", queue) == 1);
        assertEquals(4, value(perObject, "rabbitmq_queue_messages", queue));
        assertTrue(perObject.contains("# TYPE rabbitmq_queue_messages_ready gauge"));

        String all = awaitScrape("/metrics", t -> value(t, "rabbitmq_global_messages_received_total",
                Map.of("protocol", "amqp091")) >= receivedBefore + 5
                && grew(before, t, "rabbitmq_connections_closed_total", Map.of()));
        for (String churn : new String[]{"rabbitmq_connections_opened_total", "rabbitmq_channels_opened_total",
                "rabbitmq_queues_declared_total", "rabbitmq_queues_created_total"}) {
            assertTrue(grew(before, all, churn, Map.of()), churn + " did not grow");
        }
        assertTrue(grew(before, all, "rabbitmq_auth_attempts_succeeded_total", Map.of("protocol", "amqp091")));
        assertTrue(grew(before, all, "rabbitmq_auth_attempts_failed_total", Map.of("protocol", "amqp091")));
        assertTrue(all.contains("# TYPE rabbitmq_global_messages_received_total counter"));
        assertTrue(all.contains("# TYPE rabbitmq_identity_info untyped"));
        assertTrue(value(all, "rabbitmq_queue_messages_ready", Map.of()) >= 2, "summed over all queues");
        assertTrue(value(all, "rabbitmq_connections", Map.of()) >= 1);
        assertTrue(value(all, "rabbitmq_channels", Map.of()) >= 2);
        assertTrue(value(all, "rabbitmq_consumers", Map.of()) >= 1);
        assertTrue(value(all, "rabbitmq_queues", Map.of()) >= 1);
        assertTrue(value(all, "rabbitmq_global_messages_confirmed_total", Map.of("protocol", "amqp091")) >= 5);
        assertTrue(value(all, "rabbitmq_global_messages_acknowledged_total",
                Map.of("protocol", "amqp091", "queue_type", "rabbit_classic_queue")) >= 1);
        assertTrue(value(all, "rabbitmq_process_open_fds", Map.of()) > 0);
        assertTrue(value(all, "rabbitmq_resident_memory_limit_bytes", Map.of()) > 0);
        assertTrue(value(all, "rabbitmq_disk_space_available_bytes", Map.of()) > 0);
        Map<String, String> identity = labels(all, "rabbitmq_identity_info");
        assertFalse(identity.getOrDefault("rabbitmq_node", "").isEmpty(), all);
        assertFalse(identity.getOrDefault("rabbitmq_cluster", "").isEmpty(), all);

        String detailed = scrape("/metrics/detailed?family=queue_coarse_metrics&vhost=%2F");
        assertEquals(4, value(detailed, "rabbitmq_detailed_queue_messages", queue));
        assertFalse(detailed.contains("rabbitmq_detailed_channel_"), "only the family asked for");
        assertFalse(detailed.contains("rabbitmq_queue_messages"), "only the detailed names");
        assertTrue(detailed.contains("rabbitmq_identity_info{"));
        String otherVhost = scrape("/metrics/detailed?family=queue_coarse_metrics&vhost=no-such-vhost");
        assertFalse(otherVhost.contains("queue=\"" + q + "\""), otherVhost);
    }

    private static boolean grew(String before, String after, String name, Map<String, String> labels) {
        return value(after, name, labels) > value(before, name, labels);
    }

    private static int prometheusPort() {
        if (WarrenBroker.external()) {
            Integer p = Integer.getInteger("warren.test.prometheusPort");
            assumeTrue(p != null, "external broker without -Dwarren.test.prometheusPort");
            return p;
        }
        return httpPort(); // Warren serves the metrics next to the management API
    }

    private static String scrape(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + prometheusPort()
                + path)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain"), path);
        return r.body();
    }

    /** Scrapes until the text satisfies the condition (RabbitMQ's numbers lag by up to its 5 s stats interval). */
    private static String awaitScrape(String path, Predicate<String> until) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        String last = null;
        while (System.currentTimeMillis() < deadline) {
            last = scrape(path);
            if (until.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        return fail(path + " never showed the expected values:\n" + last);
    }

    /** The value of the sample with this name and exactly these labels; NaN when there is none. */
    private static double value(String text, String name, Map<String, String> labels) {
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(name) && parse(m.group(2)).equals(labels)) {
                return Double.parseDouble(m.group(3));
            }
        }
        return Double.NaN;
    }

    /** The labels of the first sample with this name. */
    private static Map<String, String> labels(String text, String name) {
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return parse(m.group(2));
            }
        }
        return Map.of();
    }

    private static Map<String, String> parse(String labels) {
        Map<String, String> out = new HashMap<>();
        Matcher l = LABEL.matcher(labels == null ? "" : labels);
        while (l.find()) {
            out.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
        }
        return out;
    }
}
