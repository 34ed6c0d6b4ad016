package io.warren.broker.net;

import io.netty.channel.Channel;
import io.netty.handler.ssl.NotSslRecordException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * A connection's life in the log, in RabbitMQ 3.10's words (checked against its log) so that log searches and
 * alerts written for RabbitMQ keep working:
 * <pre>
 * accepting AMQP connection &lt;0.7.0&gt; (127.0.0.1:54321 -&gt; 127.0.0.1:5672)
 * connection &lt;0.7.0&gt; (127.0.0.1:54321 -&gt; 127.0.0.1:5672): user 'guest' authenticated and granted access to vhost '/'
 * closing AMQP connection &lt;0.7.0&gt; (127.0.0.1:54321 -&gt; 127.0.0.1:5672, vhost: '/', user: 'guest')
 * closing AMQP connection &lt;0.7.0&gt; (127.0.0.1:54321 -&gt; 127.0.0.1:5672, vhost: '/', user: 'guest'): client unexpectedly closed TCP connection
 * </pre>
 * RabbitMQ's {@code <0.N.0>} is the Erlang process of the connection; Warren numbers its connections instead.
 * RabbitMQ writes the last one as two lines (the reason on a line of its own); here it is one, so one event is
 * one line. User and vhost names are escaped ({@link LogText}): a client chose them.
 */
final class ConnectionLog {
    private static final Logger LOG = LoggerFactory.getLogger(AmqpConnection.class);

    private final String id;
    private final String name;

    ConnectionLog(long number, Channel channel) {
        this.id = "<0." + number + ".0>";
        this.name = hostPort(channel.remoteAddress()) + " -> " + hostPort(channel.localAddress());
    }

    /** {@code <0.7.0> (127.0.0.1:54321 -> 127.0.0.1:5672)}: how the other log lines of the connection name it. */
    @Override
    public String toString() {
        return id + " (" + name + ")";
    }

    /** The protocol header arrived (RabbitMQ logs nothing for a socket that closes before sending one). */
    void accepted() {
        LOG.info("accepting AMQP connection {} ({})", id, name);
    }

    void authenticated(String user, String vhost) {
        LOG.info("connection {} ({}): user '{}' authenticated and granted access to vhost '{}'", id, name,
                LogText.escape(user), LogText.escape(vhost));
    }

    /** The client closed with connection.close. */
    void closed(String user, String vhost) {
        LOG.info("closing AMQP connection {} ({})", id, details(user, vhost));
    }

    /** The socket went away without connection.close (after the protocol header). */
    void unexpectedlyClosed(String user, String vhost) {
        LOG.warn("closing AMQP connection {} ({}): client unexpectedly closed TCP connection", id, details(user, vhost));
    }

    /**
     * A failed TLS handshake (no or an untrusted client certificate, a plain-text client on the amqps port): one
     * line with the reason, no stack trace, as it is the client's problem. Returns false for other errors.
     */
    boolean tlsFailed(Throwable cause) {
        Throwable tls = cause instanceof javax.net.ssl.SSLException || cause instanceof NotSslRecordException ? cause
                : cause.getCause() instanceof javax.net.ssl.SSLException ? cause.getCause() : null;
        if (tls == null) {
            return false;
        }
        LOG.warn("closing connection {}: TLS handshake failed: {}", this,
                tls instanceof NotSslRecordException ? "not a TLS record (plain AMQP on the amqps port?)"
                        : LogText.escape(tls.getMessage()));
        return true;
    }

    private String details(String user, String vhost) {
        return user == null || vhost == null ? name
                : name + ", vhost: '" + LogText.escape(vhost) + "', user: '" + LogText.escape(user) + "'";
    }

    private static String hostPort(SocketAddress a) {
        if (a instanceof InetSocketAddress i) {
            return i.getAddress() == null ? i.getHostString() + ":" + i.getPort()
                    : i.getAddress().getHostAddress() + ":" + i.getPort();
        }
        return String.valueOf(a);
    }
}
