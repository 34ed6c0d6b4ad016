package io.warren.interop;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The lines a Warren broker process logged after a mark, for tests that check what reaches the log (one line per
 * event, no forged lines). The broker logs synchronously, so a line is in the file before the event it reports
 * (e.g. a socket being closed) reaches the client.
 */
final class BrokerLog {
    private final Path file;
    private final long start;

    private BrokerLog(Path file, long start) {
        this.file = file;
        this.start = start;
    }

    /** Marks the end of the log as it is now. */
    static BrokerLog mark(WarrenBroker broker) throws IOException {
        Path f = broker.logFile();
        return new BrokerLog(f, Files.size(f));
    }

    /** Every line written since the mark. */
    List<String> lines() throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            byte[] b = new byte[(int) (raf.length() - start)];
            raf.seek(start);
            raf.readFully(b);
            return Arrays.asList(new String(b, StandardCharsets.UTF_8).split("\n"));
        }
    }

    /**
     * The lines since the mark that mention the connection from this client port ("127.0.0.1:PORT -> ..."), but for
     * the "accepting AMQP connection" line every connection gets once its protocol header arrives: what is left is
     * what the broker had to say about this connection.
     */
    List<String> aboutClientPort(int localPort) throws IOException {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(":" + localPort + "\\b");
        return lines().stream().filter(l -> p.matcher(l).find() && !l.contains("accepting AMQP connection")).toList();
    }

    /** Every line since the mark that mentions this client port, lifecycle lines included. */
    List<String> allAboutClientPort(int localPort) throws IOException {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(":" + localPort + "\\b");
        return lines().stream().filter(l -> p.matcher(l).find()).toList();
    }

    /** Waits (up to 10 s) until a line since the mark contains {@code text}; the broker logs after the event. */
    String await(String text) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            for (String l : lines()) {
                if (l.contains(text)) {
                    return l;
                }
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no log line with '" + text + "' within 10 s; lines: " + lines());
            }
            Thread.sleep(20);
        }
    }
}
