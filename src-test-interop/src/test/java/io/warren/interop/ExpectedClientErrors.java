package io.warren.interop;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Keeps amqp-client's report of a refused TLS handshake out of the test output (logback-test.xml). amqp-client logs
 * every connection-driver error with a stack trace, and TlsTest provokes one on purpose (a client without a
 * certificate, refused by the broker); the test asserts the refusal itself. Any other error still prints.
 */
public final class ExpectedClientErrors extends Filter<ILoggingEvent> {
    @Override
    public FilterReply decide(ILoggingEvent e) {
        IThrowableProxy t = e.getThrowableProxy();
        boolean refusedTls = e.getLoggerName().equals("com.rabbitmq.client.impl.ForgivingExceptionHandler")
                && "An unexpected connection driver error occurred".equals(e.getMessage())
                && t != null && t.getClassName().equals("javax.net.ssl.SSLHandshakeException");
        return refusedTls ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
}
