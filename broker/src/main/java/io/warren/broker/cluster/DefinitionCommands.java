package io.warren.broker.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warren.broker.persist.ArgumentCodec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The commands of the cluster's definitions log, as JSON objects with an {@code op}. AMQP
 * arguments travel as field-table bytes (base64), as on disk, so every type survives exactly (an
 * equivalence check on another node must see a long as a long). Management actions travel as the
 * action's name and its JSON arguments and are replayed through the same admin code on every node.
 */
public final class DefinitionCommands {
    static final ObjectMapper JSON = new ObjectMapper();

    private DefinitionCommands() {
    }

    public static Map<String, Object> exchangeDeclare(String vhost, String name, String type, boolean durable,
                                                      boolean autoDelete, boolean internal, Map<String, Object> args) {
        Map<String, Object> c = op("exchange.declare", vhost, name);
        c.put("type", type);
        c.put("durable", durable);
        c.put("auto_delete", autoDelete);
        c.put("internal", internal);
        c.put("arguments", ArgumentCodec.encode(args));
        return c;
    }

    public static Map<String, Object> exchangeDelete(String vhost, String name, boolean ifUnused) {
        Map<String, Object> c = op("exchange.delete", vhost, name);
        c.put("if_unused", ifUnused);
        return c;
    }

    /** {@code node}: the node that hosts the queue (RabbitMQ's client-local placement: the declaring node). */
    public static Map<String, Object> queueDeclare(String vhost, String name, boolean serverNamed, boolean durable,
                                                   boolean autoDelete, Map<String, Object> args, String node) {
        Map<String, Object> c = op("queue.declare", vhost, name);
        c.put("server_named", serverNamed);
        c.put("durable", durable);
        c.put("auto_delete", autoDelete);
        c.put("arguments", ArgumentCodec.encode(args));
        c.put("node", node);
        return c;
    }

    public static Map<String, Object> queueDelete(String vhost, String name, boolean ifUnused, boolean ifEmpty) {
        Map<String, Object> c = op("queue.delete", vhost, name);
        c.put("if_unused", ifUnused);
        c.put("if_empty", ifEmpty);
        return c;
    }

    /** A binding change: {@code op} is queue.bind, queue.unbind, exchange.bind or exchange.unbind. */
    public static Map<String, Object> binding(String op, String vhost, String source, String destination, String key,
                                              Map<String, Object> args) {
        Map<String, Object> c = op(op, vhost, destination);
        c.put("source", source);
        c.put("routing_key", key);
        c.put("arguments", ArgumentCodec.encode(args));
        return c;
    }

    public static Map<String, Object> vhostLimits(String vhost, int maxConnections, int maxQueues) {
        Map<String, Object> c = op("vhost.limits", vhost, vhost);
        c.put("max_connections", maxConnections);
        c.put("max_queues", maxQueues);
        return c;
    }

    /** The vhost's settings that travel with its limits in a snapshot: limits and default_queue_type. */
    public static Map<String, Object> vhostSettings(String vhost, int maxConnections, int maxQueues, String defaultQueueType) {
        Map<String, Object> c = vhostLimits(vhost, maxConnections, maxQueues);
        if (defaultQueueType != null) {
            c.put("default_queue_type", defaultQueueType);
        }
        return c;
    }

    /** A management action, replayed through the admin code on each node. */
    public static Map<String, Object> admin(String action, Object... args) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("op", "admin");
        c.put("action", action);
        c.put("args", new ArrayList<>(Arrays.asList(args)));
        return c;
    }

    private static Map<String, Object> op(String op, String vhost, String name) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("op", op);
        c.put("vhost", vhost);
        c.put("name", name);
        return c;
    }

    static byte[] encode(Object command) {
        try {
            return JSON.writeValueAsBytes(command);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode cluster command: " + e.getMessage(), e);
        }
    }

    static Map<String, Object> decode(byte[] bytes) {
        try {
            return JSON.readValue(bytes, new TypeReference<>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Map<String, Object>> decodeList(byte[] bytes) {
        try {
            return JSON.readValue(bytes, new TypeReference<>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
