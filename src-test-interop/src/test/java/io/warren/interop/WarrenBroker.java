package io.warren.interop;

import com.rabbitmq.client.ConnectionFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The broker under test, as a JUnit 5 extension.
 *
 * <p>With {@code -Dwarren.test.port=N} every test talks to an already running broker on localhost:N (this is how the
 * suite is validated against RabbitMQ). Otherwise it starts the real Warren process:
 * {@code java ... io.warren.broker.Main --amqp-port P --http-port H --data-dir D} with the classpath from
 * {@code warren.broker.classpath}, waits until the AMQP port accepts connections, logs to
 * {@code target/broker-P.log} and stops it with SIGTERM (SIGKILL after 10 s).
 *
 * <p>{@link #shared()} is one process per test JVM (started by the first class that needs it, stopped when the JUnit
 * run ends). {@link #isolated()} is one process per test class, for tests that stop, restart or signal the broker.
 */
public final class WarrenBroker implements BeforeAllCallback, AfterAllCallback {

    public static final String PORT_PROPERTY = "warren.test.port";
    public static final String CLASSPATH_PROPERTY = "warren.broker.classpath";
    /** With an external broker: its MQTT port (RabbitMQ's MQTT plugin), 1883 if not given. */
    public static final String MQTT_PORT_PROPERTY = "warren.test.mqtt.port";
    static final String HOST = "localhost";
    /**
     * A deadline, not a wait: a healthy start takes 1-3 s. On a machine at load 25 (parallel builds) the
     * journal alone took 14 s to open and 30 s failed a test that had nothing to do with start-up.
     */
    private static final long START_TIMEOUT_MS = 90_000;
    private static final long STOP_GRACE_MS = 10_000;

    private static final WarrenBroker SHARED = new WarrenBroker(true);

    private final boolean shared;
    private final List<String> extraArgs;
    private final List<String> jvmOptions = new ArrayList<>();
    private Process process;
    private int amqpPort = -1;
    private int httpPort = -1;
    private int mqttPort = -1;
    private int mqttsPort = -1;
    private Path dataDir;
    private Path logFile;
    private long startTimeoutMs = START_TIMEOUT_MS;

    private WarrenBroker(boolean shared, String... extraArgs) {
        this.shared = shared;
        this.extraArgs = List.of(extraArgs);
    }

    /** How long {@link #start} waits for the AMQP port (a cluster node starts Raft first). */
    public WarrenBroker startTimeoutMs(long ms) {
        this.startTimeoutMs = ms;
        return this;
    }

    /** The broker shared by all test classes of this JVM. */
    public static WarrenBroker shared() {
        return SHARED;
    }

    /** A broker process of its own for one test class (ignored, i.e. the external one, when external). */
    public static WarrenBroker isolated() {
        return new WarrenBroker(false);
    }

    /** An isolated broker started with extra command-line options (e.g. {@code --definitions FILE}). */
    public static WarrenBroker isolated(String... extraArgs) {
        return new WarrenBroker(false, extraArgs);
    }

    /** Extra options for the broker's JVM (e.g. {@code -Xmx96m}); call before it starts. */
    public WarrenBroker jvmOptions(String... options) {
        jvmOptions.addAll(List.of(options));
        return this;
    }

    /** True when the tests run against an already running broker ({@code -Dwarren.test.port}). */
    public static boolean external() {
        String p = System.getProperty(PORT_PROPERTY);
        return p != null && !p.isBlank();
    }

    public String host() {
        return HOST;
    }

    public synchronized int port() {
        if (external()) {
            return Integer.parseInt(System.getProperty(PORT_PROPERTY).trim());
        }
        if (amqpPort < 0) {
            throw new IllegalStateException("broker not started");
        }
        return amqpPort;
    }

    /** The MQTT listener's port: a free port of its own (never 1883, which parallel runs would fight over). */
    public synchronized int mqttPort() {
        if (external()) {
            return Integer.parseInt(System.getProperty(MQTT_PORT_PROPERTY, "1883").trim());
        }
        return mqttPort;
    }

    /** The MQTT-over-TLS port (listening only when the broker has TLS certificates). */
    public synchronized int mqttsPort() {
        return mqttsPort;
    }

    public synchronized int httpPort() {
        return httpPort;
    }

    public synchronized Path logFile() {
        return logFile;
    }

    /** A connection factory for this broker with short timeouts and no automatic recovery. */
    public ConnectionFactory connectionFactory() {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(host());
        f.setPort(port());
        f.setUsername("guest");
        f.setPassword("guest");
        f.setVirtualHost("/");
        // generous: a just-started broker JVM on a busy 2-core CI machine can take seconds to answer
        // its first connection (amqp-client waits only half the handshake timeout for connection.start)
        f.setConnectionTimeout(10_000);
        f.setHandshakeTimeout(20_000);
        f.setChannelRpcTimeout(10_000);
        f.setShutdownTimeout(2_000);
        f.setAutomaticRecoveryEnabled(false);
        f.setTopologyRecoveryEnabled(false);
        return f;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (external()) {
            return;
        }
        if (shared) {
            // stopped when the root context closes, i.e. at the end of the whole run
            context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                    .getOrComputeIfAbsent(WarrenBroker.class.getName() + ".shared", k -> {
                        startUnchecked();
                        return (ExtensionContext.Store.CloseableResource) this::stopAndCleanUp;
                    });
            synchronized (this) {
                if (process == null || !process.isAlive()) {
                    start(); // someone stopped the shared broker; bring it back for the next class
                }
            }
        } else {
            start();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (!shared && !external()) {
            stopAndCleanUp();
        }
    }

    private void stopAndCleanUp() throws IOException {
        stop();
        deleteDataDir();
    }

    private void startUnchecked() {
        try {
            start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the broker process (same ports and data dir as before when restarting). */
    public synchronized void start() throws IOException {
        requireOwnProcess();
        if (process != null && process.isAlive()) {
            return;
        }
        boolean firstStart = amqpPort < 0;
        if (firstStart) {
            dataDir = Files.createTempDirectory("warren-interop-");
        }
        // a port found free may be taken (often as some client's ephemeral port) before the broker binds it: on a
        // first start, when the broker says so, it gets fresh ports; a restart keeps its ports, as tests expect
        for (int attempt = 1; ; attempt++) {
            if (firstStart) {
                amqpPort = freePort();
                httpPort = freePort();
                mqttPort = freePort();
                mqttsPort = freePort();
            }
            try {
                launch();
                return;
            } catch (PortTakenException e) {
                if (!firstStart || attempt == 3) {
                    throw new IllegalStateException(e.getMessage());
                }
            }
        }
    }

    /** The broker exited at start because a port it was given is in use. */
    private static final class PortTakenException extends IOException {
        PortTakenException(String message) {
            super(message);
        }
    }

    private void launch() throws IOException {
        Path target = Paths.get(System.getProperty("user.dir"), "target");
        Files.createDirectories(target);
        logFile = target.resolve("broker-" + amqpPort + ".log");
        List<String> cmd = mainCommand(jvmOptions);
        cmd.addAll(List.of(
                "--amqp-port", Integer.toString(amqpPort),
                "--http-port", Integer.toString(httpPort),
                "--mqtt-port", Integer.toString(mqttPort),
                "--mqtts-port", Integer.toString(mqttsPort), // used only when the test turns TLS on
                "--data-dir", dataDir.toString()));
        cmd.addAll(extraArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        process = pb.start();
        long deadline = System.currentTimeMillis() + startTimeoutMs;
        while (true) {
            if (!process.isAlive()) {
                String message = "broker exited with code " + process.exitValue() + " before opening port " + amqpPort
                        + "; log:\n" + tail(logFile);
                if (message.contains("in use")) {
                    throw new PortTakenException(message);
                }
                throw new IllegalStateException(message);
            }
            if (accepts(amqpPort) && process.isAlive()) { // alive: the port is this process's
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                killNow();
                throw new IllegalStateException("broker did not open AMQP port " + amqpPort + " within "
                        + startTimeoutMs + " ms; log:\n" + tail(logFile));
            }
            sleep(100);
        }
    }

    /**
     * {@code java <the flags bin/warren passes> <jvmOptions> -cp <broker classpath> io.warren.broker.Main}: add the
     * broker's arguments and run it (tests of the command line start it this way too).
     */
    static List<String> mainCommand(List<String> jvmOptions) {
        String cp = System.getProperty(CLASSPATH_PROPERTY);
        if (cp == null || cp.isBlank()) {
            throw new IllegalStateException("system property " + CLASSPATH_PROPERTY
                    + " is not set; run through Maven or pass -D" + PORT_PROPERTY + "=<port> for an external broker");
        }
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java,
                "-Dchronicle.analytics.disable=true",
                // what Chronicle Queue (the message journal) needs on JDK 17+, as bin/warren passes it
                "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
                "--add-exports=java.base/jdk.internal.util=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
                "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
                "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
                "-Dio.netty.leakDetection.level=paranoid",
                // C1 only: test brokers live seconds to minutes, and on a 2-core CI machine the C2 compiler
                // threads of three cluster nodes at once take CPU the tests wait for
                "-XX:TieredStopAtLevel=1"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", cp, "io.warren.broker.Main"));
        return cmd;
    }

    /** SIGTERM, then SIGKILL after 10 s; waits until the process is gone. */
    public synchronized void stop() {
        if (external() || process == null) {
            return;
        }
        Process p = process;
        p.destroy();
        try {
            if (!p.waitFor(STOP_GRACE_MS, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    /** Sends SIGTERM and returns at once (the caller observes what the clients see). */
    public synchronized void sigterm() {
        requireOwnProcess();
        process.destroy();
    }

    /** SIGKILL, for crash tests. */
    public synchronized void kill() throws InterruptedException {
        requireOwnProcess();
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** Waits for the process to exit; returns its exit code or -1 on timeout. */
    public int waitForExit(long timeoutMs) throws InterruptedException {
        Process p;
        synchronized (this) {
            p = process;
        }
        return p.waitFor(timeoutMs, TimeUnit.MILLISECONDS) ? p.exitValue() : -1;
    }

    /** Stops and starts again with the same ports and data directory. */
    public synchronized void restart() throws IOException {
        stop();
        start();
    }

    public synchronized boolean isRunning() {
        return external() || (process != null && process.isAlive());
    }

    public synchronized long pid() {
        requireOwnProcess();
        return process.pid();
    }

    public synchronized Path dataDir() {
        return dataDir;
    }

    private void requireOwnProcess() {
        if (external()) {
            throw new IllegalStateException("the broker is external (-D" + PORT_PROPERTY + "); it cannot be controlled");
        }
    }

    private void killNow() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    /** Deletes the temporary data directory (only once the process is stopped). */
    public synchronized void deleteDataDir() throws IOException {
        if (dataDir == null || (process != null && process.isAlive())) {
            return;
        }
        try (Stream<Path> s = Files.walk(dataDir)) {
            s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    /**
     * Ports this test JVM handed out. A port is only free until its broker binds it: the brokers of a
     * cluster start at once, and the kernel handed one node's MQTT port out again as another node's AMQP
     * port (the second node exited "address in use" while its port answered, for the first node).
     */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static int freePort() throws IOException {
        while (true) {
            try (ServerSocket s = new ServerSocket(0)) {
                s.setReuseAddress(true);
                if (HANDED_OUT.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            }
        }
    }

    /**
     * Takes {@code port} and {@code alsoPort} for this test JVM if neither was handed out yet (a cluster's Raft
     * port and its data port); false if either was. Two nodes of one cluster once drew the same free port.
     */
    static boolean handOut(int port, int alsoPort) {
        synchronized (HANDED_OUT) {
            if (HANDED_OUT.contains(port) || HANDED_OUT.contains(alsoPort)) {
                return false;
            }
            HANDED_OUT.add(port);
            HANDED_OUT.add(alsoPort);
            return true;
        }
    }

    static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Writes the running process's thread dump ({@code jcmd Thread.print}) to {@code file}: what a node
     * was doing when a cluster test gave up on it. Nothing when the process is not running.
     */
    void dumpThreads(Path file) throws IOException, InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        String jcmd = Paths.get(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process p = new ProcessBuilder(jcmd, Long.toString(process.pid()), "Thread.print")
                .redirectErrorStream(true).redirectOutput(file.toFile()).start();
        if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }

    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
