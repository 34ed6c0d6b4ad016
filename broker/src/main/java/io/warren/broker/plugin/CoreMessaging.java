package io.warren.broker.plugin;

import io.warren.broker.BrokerState;
import io.warren.broker.auth.UserStore;
import io.warren.broker.model.VirtualHost;
import io.warren.plugin.MessagingCore;
import io.warren.plugin.PluginException;
import io.warren.plugin.Session;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Logins for protocol plugins, with the same rules as an AMQP connection's (password, loopback users, vhost access). */
public final class CoreMessaging implements MessagingCore {
    private final BrokerState broker;

    public CoreMessaging(BrokerState broker) {
        this.broker = broker;
    }

    @Override
    public Session login(String vhost, String user, byte[] password, SocketAddress remote) {
        UserStore.Login login = broker.users().login(user, password);
        if (login != UserStore.Login.OK) {
            throw new PluginException(PluginException.Kind.BAD_CREDENTIALS, "user '" + user + "' - invalid credentials");
        }
        boolean loopback = remote instanceof InetSocketAddress a && a.getAddress() != null
                && a.getAddress().isLoopbackAddress();
        if (broker.config().loopbackUsers().contains(user) && !loopback) {
            throw new PluginException(PluginException.Kind.BAD_CREDENTIALS, "user '" + user + "' can only connect via localhost");
        }
        VirtualHost v = broker.vhost(vhost);
        if (v == null) { // RabbitMQ's MQTT plugin answers an unknown vhost as bad credentials (CONNACK 4)
            throw new PluginException(PluginException.Kind.BAD_CREDENTIALS, "vhost '" + vhost + "' does not exist");
        }
        if (broker.permissions().get(user, vhost).isEmpty()) {
            throw new PluginException(PluginException.Kind.NOT_ALLOWED, "access to vhost '" + vhost
                    + "' refused for user '" + user + "'");
        }
        return new PluginSession(broker, v, user);
    }
}
