package io.warren.plugin;

import java.net.SocketAddress;

/** Logging in: everything else happens through the {@link Session} a login returns. */
public interface MessagingCore {
    /**
     * Checks the user's password (and RabbitMQ's loopback-users rule) and that the user may use the vhost.
     *
     * @throws PluginException with {@link PluginException.Kind#BAD_CREDENTIALS} or {@link PluginException.Kind#NOT_ALLOWED}
     */
    Session login(String vhost, String user, byte[] password, SocketAddress remote);
}
