package io.warren.broker.channel;

import io.warren.broker.error.ChannelException;
import io.warren.broker.error.ConnectionException;
import io.warren.broker.model.Queue;
import io.warren.broker.model.VirtualHost;
import io.warren.codec.method.ExchangeBind;
import io.warren.codec.method.ExchangeBindOk;
import io.warren.codec.method.ExchangeDeclare;
import io.warren.codec.method.ExchangeDeclareOk;
import io.warren.codec.method.ExchangeDelete;
import io.warren.codec.method.ExchangeDeleteOk;
import io.warren.codec.method.ExchangeUnbind;
import io.warren.codec.method.ExchangeUnbindOk;
import io.warren.codec.method.QueueBind;
import io.warren.codec.method.QueueBindOk;
import io.warren.codec.method.QueueDeclare;
import io.warren.codec.method.QueueDeclareOk;
import io.warren.codec.method.QueueDelete;
import io.warren.codec.method.QueueDeleteOk;
import io.warren.codec.method.QueuePurge;
import io.warren.codec.method.QueuePurgeOk;
import io.warren.codec.method.QueueUnbind;
import io.warren.codec.method.QueueUnbindOk;
import io.warren.routing.ExchangeType;

/**
 * exchange.* and queue.* methods of one channel. As RabbitMQ (rabbit_channel strip_cr_lf), CR and LF are removed
 * from the exchange and queue names of declare, delete, bind and unbind; basic.* methods and queue.purge take
 * names as they come.
 */
final class TopologyMethods {
    private final AmqpChannel channel;
    private final ChannelAccess access;
    private String lastDeclaredQueue; // "" in queue methods means this one (AMQP rule RabbitMQ keeps)

    TopologyMethods(AmqpChannel channel, ChannelAccess access) {
        this.channel = channel;
        this.access = access;
    }

    private VirtualHost vhost() {
        return channel.connection().vhost();
    }

    /** The name without CR and LF (for the methods RabbitMQ strips them in). */
    static String stripCrLf(String name) {
        return name.indexOf('\r') < 0 && name.indexOf('\n') < 0 ? name : name.replace("\r", "").replace("\n", "");
    }

    void exchangeDeclare(ExchangeDeclare m) {
        String exchange = stripCrLf(m.exchange());
        if (m.passive()) {
            vhost().declareExchangePassive(exchange);
        } else {
            ExchangeType type = ExchangeType.fromWireName(m.type())
                    .orElseThrow(() -> ConnectionException.commandInvalid("unknown exchange type '" + m.type() + "'"));
            access.configureExchange(exchange);
            vhost().declareExchange(exchange, type, m.durable(), m.autoDelete(), m.internal(), m.arguments());
        }
        if (!m.noWait()) {
            channel.send(new ExchangeDeclareOk());
        }
    }

    void exchangeDelete(ExchangeDelete m) {
        String exchange = stripCrLf(m.exchange());
        access.configureExchange(exchange);
        vhost().deleteExchange(exchange, m.ifUnused());
        if (!m.noWait()) {
            channel.send(new ExchangeDeleteOk());
        }
    }

    void exchangeBind(ExchangeBind m) {
        String destination = stripCrLf(m.destination());
        String source = stripCrLf(m.source());
        access.writeExchange(destination);
        access.readExchange(source);
        vhost().bindExchange(destination, source, m.routingKey(), m.arguments());
        if (!m.noWait()) {
            channel.send(new ExchangeBindOk());
        }
    }

    void exchangeUnbind(ExchangeUnbind m) {
        String destination = stripCrLf(m.destination());
        String source = stripCrLf(m.source());
        access.writeExchange(destination);
        access.readExchange(source);
        vhost().unbindExchange(destination, source, m.routingKey(), m.arguments());
        if (!m.noWait()) {
            channel.send(new ExchangeUnbindOk());
        }
    }

    void queueDeclare(QueueDeclare m) {
        Object owner = channel.connection();
        String queue = stripCrLf(m.queue());
        VirtualHost.Declared d;
        if (DirectReplyTo.isReplyToName(queue)) {
            if (!DirectReplyTo.replyToNameExists(channel.connection().broker(), queue)) {
                throw ChannelException.noQueue(queue, vhost().name());
            }
            lastDeclaredQueue = queue;
            if (!m.noWait()) {
                channel.send(new QueueDeclareOk(queue, 0, 1)); // RabbitMQ: it "exists", with one consumer
            }
            return;
        }
        if (m.passive()) {
            d = vhost().declareQueuePassive(resolve(queue), owner);
        } else {
            boolean serverNamed = queue.isEmpty();
            String name = serverNamed ? VirtualHost.generateName("amq.gen-") : queue;
            access.configureQueue(name);
            d = vhost().declareQueue(name, serverNamed, m.durable(), m.exclusive(), m.autoDelete(), m.arguments(), owner);
            if (d.queue().exclusive()) {
                channel.connection().registerExclusive(d.queue());
            }
        }
        lastDeclaredQueue = d.queue().name();
        if (!m.noWait()) {
            channel.send(new QueueDeclareOk(d.queue().name(), d.messageCount(), d.consumerCount()));
        }
    }

    void queueBind(QueueBind m) {
        String queue = stripCrLf(m.queue());
        String exchange = stripCrLf(m.exchange());
        vhost().requireExchange(exchange); // as RabbitMQ: a missing exchange is reported before a missing queue
        Queue q = accessibleQueue(queue);
        access.writeQueue(q.name());
        access.readExchange(exchange);
        String key = m.routingKey().isEmpty() && queue.isEmpty() ? q.name() : m.routingKey();
        vhost().bind(q, exchange, key, m.arguments());
        if (!m.noWait()) {
            channel.send(new QueueBindOk());
        }
    }

    void queueUnbind(QueueUnbind m) {
        Queue q = vhost().queue(resolve(stripCrLf(m.queue())));
        if (q == null) { // RabbitMQ: unbinding a missing queue succeeds
            channel.send(new QueueUnbindOk());
            return;
        }
        q.checkAccess(channel.connection());
        access.writeQueue(q.name());
        String exchange = stripCrLf(m.exchange());
        access.readExchange(exchange);
        vhost().unbind(q, exchange, m.routingKey(), m.arguments());
        channel.send(new QueueUnbindOk());
    }

    void queuePurge(QueuePurge m) {
        Queue q = accessibleQueue(m.queue());
        access.readQueue(q.name());
        int n = q.purge();
        if (!m.noWait()) {
            channel.send(new QueuePurgeOk(n));
        }
    }

    void queueDelete(QueueDelete m) {
        Queue q = vhost().queue(resolve(stripCrLf(m.queue())));
        int n = 0;
        if (q != null) {
            q.checkAccess(channel.connection());
            access.configureQueue(q.name());
            n = vhost().deleteQueue(q, m.ifUnused(), m.ifEmpty());
        }
        if (!m.noWait()) {
            channel.send(new QueueDeleteOk(n));
        }
    }

    /** Looks up a queue the client may use: 404 if missing, 405 if another connection's exclusive queue. */
    Queue accessibleQueue(String name) {
        Queue q = vhost().requireQueue(resolve(name));
        q.checkAccess(channel.connection());
        return q;
    }

    String resolve(String name) {
        if (!name.isEmpty()) {
            return name;
        }
        if (lastDeclaredQueue == null) {
            throw ChannelException.notFound("no previously declared queue");
        }
        return lastDeclaredQueue;
    }
}
