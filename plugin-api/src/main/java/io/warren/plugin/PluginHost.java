package io.warren.plugin;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;

import java.nio.file.Path;

/** What the broker lends a plugin: its event loops, listen address, data directory and messaging core. */
public interface PluginHost {
    EventLoopGroup bossGroup();

    EventLoopGroup workerGroup();

    /** The server channel class matching the loops (epoll or NIO). */
    Class<? extends ServerChannel> serverChannelClass();

    String bindAddress();

    /** The broker's data directory; a plugin keeps its own files in a subdirectory. */
    Path dataDir();

    MessagingCore messaging();

    /** The broker's server TLS context (its certificates, client verification as configured); null when TLS is off. */
    io.netty.handler.ssl.SslContext serverTls();
}
