package io.warren.interop;

import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * N broker processes on free ports forming one cluster: node {@code n1..nN}, each started with
 * {@code --node-name} and the same {@code --cluster-peers} list, its own AMQP/HTTP ports and data
 * directory. Nodes can be killed and started again with the same ports and data.
 *
 * <p>As a JUnit extension ({@code @RegisterExtension static final WarrenCluster cluster = new WarrenCluster(3);})
 * it starts the nodes before the class's tests and stops them after (skipped with an external broker). When a
 * test fails it prints the tail of every node's log and keeps the logs (and each live node's thread dump) under
 * {@code target/cluster-logs/<class>.<test>/}: a cluster failure is rarely explained by the client's view.
 */
public final class WarrenCluster implements AutoCloseable, BeforeAllCallback, AfterAllCallback, TestWatcher {
    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newBuilder()
            .connectTimeout(java.time.Duration.ofSeconds(5)).build();
    private final List<WarrenBroker> nodes = new ArrayList<>();
    private final String peers;
    /** The secret every node's links prove (a fresh one per cluster). */
    private final String secret = java.util.UUID.randomUUID().toString();

    /** A cluster of {@code size} nodes, for a static extension field (no checked exception). */
    public static WarrenCluster of(int size) {
        return of(size, new String[0]);
    }

    /** The same, every node started with {@code extraArgs} too (e.g. {@code --definitions FILE}). */
    public static WarrenCluster of(int size, String... extraArgs) {
        try {
            return new WarrenCluster(size, extraArgs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public WarrenCluster(int size, String... extraArgs) throws IOException {
        List<String> entries = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            entries.add("n" + i + "=127.0.0.1:" + clusterPort());
        }
        peers = String.join(",", entries);
        for (int i = 1; i <= size; i++) {
            // three JVMs starting at once on a busy 2-core machine take longer than one
            List<String> args = new ArrayList<>(List.of("--node-name", "n" + i, "--cluster-peers", peers,
                    "--cluster-secret", secret));
            args.addAll(List.of(extraArgs));
            nodes.add(WarrenBroker.isolated(args.toArray(String[]::new)).startTimeoutMs(120_000));
        }
    }

    /**
     * A free port below the kernel's ephemeral range (32768+) whose port + 10000 is free too (the
     * node's cluster data port): the cluster ports are chosen before the nodes start, and a port the kernel
     * hands out for "any free port" meanwhile (another broker's AMQP port, a client socket) would
     * otherwise take it.
     */
    private static int clusterPort() throws IOException {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = random.nextInt(12_000, 22_000); // and its data port below 32768 too
            try (java.net.ServerSocket s = new java.net.ServerSocket();
                 java.net.ServerSocket data = new java.net.ServerSocket()) {
                s.bind(new java.net.InetSocketAddress("127.0.0.1", port));
                data.bind(new java.net.InetSocketAddress("127.0.0.1", port + 10_000));
                if (WarrenBroker.handOut(port, port + 10_000)) { // free now, and not drawn before in this JVM
                    return port;
                }
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port found for the cluster");
    }

    public String peers() {
        return peers;
    }

    public String secret() {
        return secret;
    }

    /** The cluster data port (node-to-node links) of node i: its --cluster-peers port + 10000. */
    public int dataPort(int i) {
        String entry = peers.split(",")[i - 1];
        return Integer.parseInt(entry.substring(entry.lastIndexOf(':') + 1)) + 10_000;
    }

    /** Node i, counting from 1 as the names do. */
    public WarrenBroker node(int i) {
        return nodes.get(i - 1);
    }

    /** Starts these nodes at once (a JVM start is slow; they do not wait for each other). */
    public void start(int... which) {
        List<CompletableFuture<Void>> starting = new ArrayList<>();
        for (int i : which) {
            WarrenBroker b = node(i);
            starting.add(CompletableFuture.runAsync(() -> {
                try {
                    b.start();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        }
        starting.forEach(CompletableFuture::join);
    }

    public void startAll() {
        start(java.util.stream.IntStream.rangeClosed(1, nodes.size()).toArray());
    }

    /** A management API request to node i as guest (JSON body or none). */
    public java.net.http.HttpResponse<String> http(int i, String method, String path, String body)
            throws IOException, InterruptedException {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://localhost:" + node(i).httpPort() + path))
                .timeout(java.time.Duration.ofSeconds(30))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        "guest:guest".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    /** A connection to node i (no automatic recovery, the harness's generous timeouts). */
    public Connection connect(int i) throws IOException, TimeoutException {
        return node(i).connectionFactory().newConnection();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        assumeFalse(WarrenBroker.external(), "starts its own broker processes");
        startAll();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        close();
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Path kept = Paths.get(System.getProperty("user.dir"), "target", "cluster-logs",
                context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName());
        StringBuilder out = new StringBuilder("cluster logs at the failure of " + kept.getFileName() + ":\n");
        for (int i = 1; i <= nodes.size(); i++) {
            Path log = node(i).logFile();
            if (log == null) {
                continue;
            }
            try {
                Files.createDirectories(kept);
                Files.copy(log, kept.resolve("n" + i + ".log"), StandardCopyOption.REPLACE_EXISTING);
                node(i).dumpThreads(kept.resolve("n" + i + ".threads"));
            } catch (IOException e) {
                out.append("(could not keep ").append(log).append(": ").append(e).append(")\n");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.append("---- n").append(i).append(" (").append(log).append(")\n").append(WarrenBroker.tail(log)).append('\n');
        }
        System.err.println(out);
    }

    @Override
    public void close() throws IOException {
        for (WarrenBroker b : nodes) {
            b.stop();
            b.deleteDataDir();
        }
    }
}
