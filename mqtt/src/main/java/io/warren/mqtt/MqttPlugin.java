package io.warren.mqtt;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.warren.plugin.PluginHost;
import io.warren.plugin.ProtocolPlugin;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MQTT 3.1 / 3.1.1 on the broker's event loops, started by the broker through ServiceLoader: a plain listener and,
 * when the broker has TLS certificates, an mqtts one with the same certificates and client verification.
 */
public final class MqttPlugin implements ProtocolPlugin {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MqttPlugin.class);

    @Override
    public Set<String> optionKeys() {
        return MqttSettings.KEYS;
    }

    @Override
    public String optionDefault(String key) {
        return MqttSettings.DEFAULTS.get(key);
    }

    @Override
    public void validate(Map<String, String> options) {
        MqttSettings.from(options);
    }

    @Override
    public Running start(PluginHost host, Map<String, String> options) throws Exception {
        MqttSettings settings = MqttSettings.from(options);
        boolean tls = host.serverTls() != null && settings.tlsPort() != 0;
        if (settings.port() == 0 && !tls) {
            return new Running() {
                @Override
                public String describe() {
                    return "mqtt off";
                }

                @Override
                public void close() {
                }
            };
        }
        RetainedStore retained = new RetainedStore(host.dataDir());
        ClientRegistry clients = new ClientRegistry();
        ChannelGroup open = new DefaultChannelGroup("mqtt", GlobalEventExecutor.INSTANCE);
        List<Channel> listeners = new ArrayList<>();
        List<String> names = new ArrayList<>();
        if (tls) {
            Channel l = listen(host, settings, host.serverTls(), settings.tlsPort(), open, clients, retained,
                    !options.containsKey("mqtts-port"), "mqtts-port");
            if (l != null) {
                listeners.add(l);
                names.add("mqtts port " + ((InetSocketAddress) l.localAddress()).getPort());
            }
        }
        if (settings.port() != 0) {
            Channel l = listen(host, settings, null, settings.port(), open, clients, retained,
                    !options.containsKey("mqtt-port"), "mqtt-port");
            if (l != null) {
                listeners.add(l);
                names.add("mqtt port " + ((InetSocketAddress) l.localAddress()).getPort());
            }
        }
        String description = names.isEmpty() ? "mqtt off" : String.join(", ", names);
        return new Running() {
            @Override
            public String describe() {
                return description;
            }

            @Override
            public void close() {
                listeners.forEach(l -> l.close().awaitUninterruptibly());
                open.close().awaitUninterruptibly();
                retained.close();
            }
        };
    }

    /**
     * Binds one listener. A port that was given and is taken stops the broker (the operator asked for it);
     * the default port taken by someone else (a second node on the same machine, a local mosquitto) only
     * turns that listener off with one warning, so a node started without MQTT settings still starts.
     */
    private static Channel listen(PluginHost host, MqttSettings settings, SslContext ssl, int port, ChannelGroup open,
                                  ClientRegistry clients, RetainedStore retained, boolean defaultPort, String key)
            throws Exception {
        try {
            return bind(host, settings, ssl, port, open, clients, retained);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) { // Netty's sync() rethrows the bind failure undeclared; epoll words it its own way
            boolean inUse = e instanceof java.net.BindException
                    || String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("address already in use");
            if (!defaultPort || !inUse) {
                throw new java.io.IOException("cannot listen on " + host.bindAddress() + ":" + port + ": "
                        + (inUse ? "address in use" : e.getMessage()) + " (--" + key + ")", e);
            }
            LOG.warn("MQTT listener off: the default port {} is in use; give this node its own --{}", port, key);
            return null;
        }
    }

    private static Channel bind(PluginHost host, MqttSettings settings, SslContext ssl, int port, ChannelGroup open,
                                ClientRegistry clients, RetainedStore retained) throws InterruptedException {
        return io.warren.plugin.SegmentSizeClamp.apply(new ServerBootstrap(), host.serverChannelClass())
                .group(host.bossGroup(), host.workerGroup())
                .channel(host.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        open.add(ch);
                        if (ssl != null) {
                            ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
                        }
                        // the decoder refuses a packet whose announced length is above the maximum before
                        // buffering it, and otherwise holds only bytes that arrived. MQTT 3.1 capped client ids
                        // at 23 characters; RabbitMQ does not enforce that, and old devices send longer ones
                        ch.pipeline().addLast("flush", new FlushConsolidationHandler(256, true))
                                .addLast("decoder", new MqttDecoder(settings.maxPacketSize(), 65535))
                                .addLast("encoder", MqttEncoder.INSTANCE)
                                .addLast("mqtt", new MqttConnection(settings, host.messaging(), clients, retained));
                    }
                })
                .bind(new InetSocketAddress(host.bindAddress(), port)).sync().channel();
    }
}
