package io.warren.broker;

import java.util.Locale;

/**
 * The broker cannot start for a reason the operator can fix (a port in use, an unusable data directory); the
 * message is the one line {@link Main} prints before it exits, e.g. {@code cannot listen on 0.0.0.0:5672:
 * address in use}. It carries no stack trace: the cause is not a bug. Unchecked, so that code starting a
 * {@link Broker} (tests, an embedding application) need not change; it can still catch it by name.
 */
public final class StartupException extends RuntimeException {

    public StartupException(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    /**
     * {@code cannot listen on ADDR:PORT: address in use (--amqp-port)}: the OS's reason in a few words, then the
     * setting that chose the port.
     */
    static StartupException cannotListen(String bind, int port, String setting, Throwable cause) {
        return new StartupException("cannot listen on " + bind + ":" + port + ": " + reason(cause) + " (--" + setting + ")",
                cause);
    }

    /**
     * Fails fast, before the journal is opened (seconds on a large data directory), when a port the broker is about
     * to listen on is taken: binds and releases it at once. The real bind in {@link Broker#start} stays the word
     * that counts; this only spares the operator the wait.
     */
    static void checkFree(String bind, int port, String setting) {
        if (port <= 0) {
            return; // 0: any free port; below 0: no listener
        }
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.setReuseAddress(true); // as Netty's listener: a port in TIME_WAIT is free
            s.bind(new java.net.InetSocketAddress(bind, port));
        } catch (java.io.IOException | RuntimeException e) {
            throw cannotListen(bind, port, setting, e);
        }
    }

    /** The OS's reason in a few lower-case words; Netty's epoll transport and the JDK word them differently. */
    static String reason(Throwable cause) {
        String m = String.valueOf(cause.getMessage());
        String lower = m.toLowerCase(Locale.ROOT);
        if (lower.contains("address already in use")) {
            return "address in use";
        }
        if (lower.contains("permission denied")) {
            return "permission denied";
        }
        if (lower.contains("cannot assign requested address")) {
            return "address not available on this host";
        }
        if (cause instanceof java.nio.channels.UnresolvedAddressException || cause.getCause() instanceof java.net.UnknownHostException) {
            return "unknown host";
        }
        int colon = m.lastIndexOf("failed: ");
        return colon >= 0 ? m.substring(colon + 8) : m;
    }
}
