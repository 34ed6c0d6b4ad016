package io.warren.mqtt;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Retained messages, one per topic per vhost, kept durably: each vhost's set is one small file under
 * {@code <data-dir>/mqtt/retained/}, rewritten (to a temporary file, then renamed, so a crash leaves the old or the
 * new set, never half) by one writer thread so event loops never wait for the disk. Several changes in a row
 * cost one write. Simplest correct, as RabbitMQ's own per-vhost retained store; a huge retained set would want an
 * append-only log instead.
 */
final class RetainedStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RetainedStore.class);

    record Retained(String topic, int qos, byte[] payload) {
    }

    private final Path dir;
    private final Map<String, Map<String, Retained>> byVhost = new ConcurrentHashMap<>();
    private final Map<String, Boolean> dirty = new ConcurrentHashMap<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "warren-mqtt-retained");
        t.setDaemon(true);
        return t;
    });

    RetainedStore(Path dataDir) throws IOException {
        this.dir = dataDir.resolve("mqtt").resolve("retained");
        Files.createDirectories(dir);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.retained")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                String vhost = new String(HexFormat.of().parseHex(name.substring(0, name.length() - ".retained".length())),
                        StandardCharsets.UTF_8);
                byVhost.put(vhost, read(f));
            }
        }
    }

    /** Stores (or, for an empty payload, clears) the retained message of a topic. */
    void put(String vhost, String topic, int qos, byte[] payload) {
        Map<String, Retained> m = byVhost.computeIfAbsent(vhost, v -> new ConcurrentHashMap<>());
        if (payload.length == 0) {
            if (m.remove(topic) == null) {
                return;
            }
        } else {
            m.put(topic, new Retained(topic, qos, payload));
        }
        if (dirty.put(vhost, Boolean.TRUE) == null) {
            writer.execute(() -> {
                dirty.remove(vhost);
                write(vhost, m);
            });
        }
    }

    /** The retained messages whose topics match an MQTT filter. */
    List<Retained> matching(String vhost, String filter) {
        Map<String, Retained> m = byVhost.get(vhost);
        List<Retained> out = new ArrayList<>();
        if (m != null) {
            for (Retained r : m.values()) {
                if (Topics.matches(filter, r.topic())) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    private Path file(String vhost) {
        return dir.resolve(HexFormat.of().formatHex(vhost.getBytes(StandardCharsets.UTF_8)) + ".retained");
    }

    private void write(String vhost, Map<String, Retained> m) {
        Path target = file(vhost);
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
                java.nio.file.StandardOpenOption.WRITE)) {
            DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(
                    java.nio.channels.Channels.newOutputStream(ch)));
            List<Retained> all = List.copyOf(m.values());
            out.writeInt(all.size());
            for (Retained r : all) {
                byte[] topic = r.topic().getBytes(StandardCharsets.UTF_8);
                out.writeInt(topic.length);
                out.write(topic);
                out.writeByte(r.qos());
                out.writeInt(r.payload().length);
                out.write(r.payload());
            }
            out.flush();
            ch.force(true);
        } catch (IOException e) {
            LOG.error("cannot write retained messages of vhost '{}' to {}: {}", vhost, tmp, e.toString());
            return;
        }
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.error("cannot replace {}: {}", target, e.toString());
        }
    }

    private static Map<String, Retained> read(Path f) throws IOException {
        Map<String, Retained> m = new ConcurrentHashMap<>();
        try (InputStream is = Files.newInputStream(f); DataInputStream in = new DataInputStream(
                new java.io.BufferedInputStream(is))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String topic = new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
                int qos = in.readByte();
                byte[] payload = in.readNBytes(in.readInt());
                m.put(topic, new Retained(topic, qos, payload));
            }
        }
        return m;
    }

    /** Finishes pending writes. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
