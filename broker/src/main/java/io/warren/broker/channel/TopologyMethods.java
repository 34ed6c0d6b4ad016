package io.warren.broker.channel;

import io.warren.broker.cluster.ClusterDefinitions;
import io.warren.broker.cluster.DefinitionCommands;
import io.warren.broker.error.ChannelException;
import io.warren.broker.error.ConnectionException;
import io.warren.broker.model.AmqpQueue;
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
import io.warren.codec.method.AmqpMethod;
import io.warren.routing.ExchangeType;

import java.util.Map;
import java.util.function.Supplier;

/**
 * exchange.* and queue.* methods of one channel. As RabbitMQ (rabbit_channel strip_cr_lf), CR and LF are removed
 * from the exchange and queue names of declare, delete, bind and unbind; basic.* methods and queue.purge take
 * names as they come. In a cluster, a change to a replicated definition
 * (anything but an exclusive queue) goes through the cluster's log and is answered once committed
 * and applied here; what needs no change (an equivalent re-declare, deleting what is missing) and
 * every standalone broker take the direct path.
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
            ClusterDefinitions cluster = cluster();
            if (cluster != null && vhost().exchange(exchange) == null && !exchange.isEmpty()) {
                afterCatchUp(cluster, m, () -> {
                    vhost().declareExchangePassive(exchange);
                    if (!m.noWait()) {
                        channel.send(new ExchangeDeclareOk());
                    }
                });
                return;
            }
            vhost().declareExchangePassive(exchange);
        } else {
            ExchangeType type = ExchangeType.fromWireName(m.type())
                    .orElseThrow(() -> ConnectionException.commandInvalid("unknown exchange type '" + m.type() + "'"));
            access.configureExchange(exchange);
            ClusterDefinitions cluster = cluster();
            if (cluster != null && vhost().exchange(exchange) == null) {
                replicate(cluster, DefinitionCommands.exchangeDeclare(vhost().name(), exchange, type.wireName(),
                        m.durable(), m.autoDelete(), m.internal(), m.arguments()), m, m.noWait(), ExchangeDeclareOk::new);
                return;
            }
            vhost().declareExchange(exchange, type, m.durable(), m.autoDelete(), m.internal(), m.arguments());
        }
        if (!m.noWait()) {
            channel.send(new ExchangeDeclareOk());
        }
    }

    void exchangeDelete(ExchangeDelete m) {
        String exchange = stripCrLf(m.exchange());
        access.configureExchange(exchange);
        ClusterDefinitions cluster = cluster();
        if (cluster != null && vhost().exchange(exchange) != null) {
            // if-unused is checked here and the log gets an unconditional delete (see checkExchangeDeletable)
            vhost().checkExchangeDeletable(exchange, m.ifUnused());
            replicate(cluster, DefinitionCommands.exchangeDelete(vhost().name(), exchange, false), m,
                    m.noWait(), ExchangeDeleteOk::new);
            return;
        }
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
        if (cluster() != null) {
            replicate(cluster(), DefinitionCommands.binding("exchange.bind", vhost().name(), source, destination,
                    m.routingKey(), m.arguments()), m, m.noWait(), ExchangeBindOk::new);
            return;
        }
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
        if (cluster() != null) {
            replicate(cluster(), DefinitionCommands.binding("exchange.unbind", vhost().name(), source,
                    destination, m.routingKey(), m.arguments()), m, m.noWait(), ExchangeUnbindOk::new);
            return;
        }
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
            java.util.concurrent.CompletableFuture<Boolean> exists =
                    DirectReplyTo.replyToNameExists(channel.connection().broker(), queue);
            if (exists.isDone()) { // known here: answered at once, in order with what follows
                replyToDeclared(m, queue, exists.join());
            } else { // an address of another node: that node answers over the link
                channel.afterAnswer(exists, m, found -> replyToDeclared(m, queue, found));
            }
            return;
        }
        if (m.passive()) {
            String name = resolve(queue);
            ClusterDefinitions cluster = cluster();
            if (cluster != null && vhost().queue(name) == null) {
                afterCatchUp(cluster, m, () -> declared(m, vhost().declareQueuePassive(name, owner)));
                return;
            }
            d = vhost().declareQueuePassive(name, owner);
        } else {
            boolean serverNamed = queue.isEmpty();
            String name = serverNamed ? VirtualHost.generateName("amq.gen-") : queue;
            access.configureQueue(name);
            ClusterDefinitions cluster = cluster();
            if (cluster != null && !m.exclusive() && vhost().queue(name) == null) {
                lastDeclaredQueue = name;
                replicate(cluster, DefinitionCommands.queueDeclare(vhost().name(), name, serverNamed, m.durable(),
                        m.autoDelete(), m.arguments(), cluster.nodeName()), m, m.noWait(), () -> {
                            AmqpQueue q = vhost().requireQueue(name);
                            return new QueueDeclareOk(name, q.readyCount(), q.consumerCount());
                        });
                return;
            }
            d = vhost().declareQueue(name, serverNamed, m.durable(), m.exclusive(), m.autoDelete(), m.arguments(), owner);
            if (d.queue().exclusive()) {
                channel.connection().registerExclusive(d.queue());
            }
        }
        declared(m, d);
    }

    private void replyToDeclared(QueueDeclare m, String queue, boolean exists) {
        if (!exists) {
            throw ChannelException.noQueue(queue, vhost().name());
        }
        lastDeclaredQueue = queue;
        if (!m.noWait()) {
            channel.send(new QueueDeclareOk(queue, 0, 1)); // RabbitMQ: it "exists", with one consumer
        }
    }

    private void declared(QueueDeclare m, VirtualHost.Declared d) {
        lastDeclaredQueue = d.queue().name();
        if (!m.noWait()) {
            String declared = d.queue().name();
            java.util.concurrent.CompletableFuture<int[]> counts = d.queue().countsLater();
            if (counts != null) { // counted on another node (a quorum queue with no member here)
                channel.afterAnswer(counts, m, c -> channel.send(new QueueDeclareOk(declared, c[0], c[1])));
                return;
            }
            channel.send(new QueueDeclareOk(declared, d.messageCount(), d.consumerCount()));
        }
    }

    void queueBind(QueueBind m) {
        String queue = stripCrLf(m.queue());
        String exchange = stripCrLf(m.exchange());
        vhost().requireExchange(exchange); // as RabbitMQ: a missing exchange is reported before a missing queue
        AmqpQueue q = accessibleQueue(queue);
        access.writeQueue(q.name());
        access.readExchange(exchange);
        String key = m.routingKey().isEmpty() && queue.isEmpty() ? q.name() : m.routingKey();
        if (cluster() != null && !q.exclusive()) {
            replicate(cluster(), DefinitionCommands.binding("queue.bind", vhost().name(), exchange, q.name(), key,
                    m.arguments()), m, m.noWait(), QueueBindOk::new);
            return;
        }
        vhost().bind(q, exchange, key, m.arguments());
        if (!m.noWait()) {
            channel.send(new QueueBindOk());
        }
    }

    void queueUnbind(QueueUnbind m) {
        AmqpQueue q = vhost().queue(resolve(stripCrLf(m.queue())));
        if (q == null) { // RabbitMQ: unbinding a missing queue succeeds
            channel.send(new QueueUnbindOk());
            return;
        }
        q.checkAccess(channel.connection());
        access.writeQueue(q.name());
        String exchange = stripCrLf(m.exchange());
        access.readExchange(exchange);
        if (cluster() != null && !q.exclusive()) {
            replicate(cluster(), DefinitionCommands.binding("queue.unbind", vhost().name(), exchange, q.name(),
                    m.routingKey(), m.arguments()), m, false, QueueUnbindOk::new);
            return;
        }
        vhost().unbind(q, exchange, m.routingKey(), m.arguments());
        channel.send(new QueueUnbindOk());
    }

    void queuePurge(QueuePurge m) {
        AmqpQueue q = accessibleQueue(m.queue());
        access.readQueue(q.name());
        java.util.concurrent.CompletableFuture<Integer> purged = q.purgeLater();
        if (purged.isDone()) { // a queue of this node: answered in order with the methods around it
            if (!m.noWait()) {
                channel.send(new QueuePurgeOk(purged.join()));
            }
            return;
        }
        channel.afterAnswer(purged, m, n -> {
            if (!m.noWait()) {
                channel.send(new QueuePurgeOk(n));
            }
        });
    }

    void queueDelete(QueueDelete m) {
        AmqpQueue q = vhost().queue(resolve(stripCrLf(m.queue())));
        int n = 0;
        if (q != null) {
            q.checkAccess(channel.connection());
            access.configureQueue(q.name());
            if (cluster() != null && !q.exclusive()) {
                deleteReplicated(q, m);
                return;
            }
            n = vhost().deleteQueue(q, m.ifUnused(), m.ifEmpty());
        }
        if (!m.noWait()) {
            channel.send(new QueueDeleteOk(n));
        }
    }

    /**
     * Deletes a replicated queue: if-unused and if-empty are checked here, where the client's view
     * of consumers and messages is, and every node then deletes it unconditionally (the counts
     * differ between nodes, and the log must apply the same everywhere).
     */
    private void deleteReplicated(AmqpQueue q, QueueDelete m) {
        VirtualHost.checkDeletable(q, m.ifUnused(), m.ifEmpty());
        int n = q.readyCount();
        replicate(cluster(), DefinitionCommands.queueDelete(vhost().name(), q.name(), false, false), m, m.noWait(),
                () -> new QueueDeleteOk(n));
    }

    /** The cluster, or null on a standalone broker. */
    private ClusterDefinitions cluster() {
        return channel.connection().broker().cluster();
    }

    /** Submits a change to the cluster; its -ok (unless no-wait) goes out once this node applied it. */
    /**
     * A passive declare of something this node does not have: another node may have declared it an
     * instant ago and this node not applied it yet. As a RabbitMQ declare-ok means the queue exists on
     * every node, this node first applies all that the cluster committed, then looks again.
     */
    private void afterCatchUp(ClusterDefinitions cluster, AmqpMethod method, Runnable lookAgain) {
        channel.afterCommit(cluster.caughtUp(), method, lookAgain);
    }

    private void replicate(ClusterDefinitions cluster, Map<String, Object> command, AmqpMethod method, boolean noWait,
                           Supplier<AmqpMethod> ok) {
        channel.afterCommit(cluster.submit(command), method, () -> {
            if (!noWait) {
                channel.send(ok.get());
            }
        });
    }

    /**
     * Uses a queue the client may use (see {@link #accessibleQueue}). In a cluster a queue this node does not
     * have may have been declared through another node an instant ago (its declare-ok means it exists
     * everywhere): this node first applies what the cluster committed, then looks again, as a passive declare does.
     */
    void withQueue(String name, AmqpMethod method, java.util.function.Consumer<AmqpQueue> use) {
        ClusterDefinitions cluster = cluster();
        if (cluster != null && !name.isEmpty() && vhost().queue(name) == null) {
            afterCatchUp(cluster, method, () -> use.accept(accessibleQueue(name)));
            return;
        }
        use.accept(accessibleQueue(name));
    }

    /** Looks up a queue the client may use: 404 if missing, 405 if another connection's exclusive queue. */
    AmqpQueue accessibleQueue(String name) {
        AmqpQueue q = vhost().requireQueue(resolve(name));
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
