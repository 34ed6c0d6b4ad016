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
import io.netty.util.concurrent.GlobalEventExecutor;
import io.warren.plugin.PluginHost;
import io.warren.plugin.ProtocolPlugin;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;

/** MQTT 3.1 / 3.1.1 on the broker's event loops, started by the broker through ServiceLoader. */
public final class MqttPlugin implements ProtocolPlugin {

    @Override
    public Set<String> optionKeys() {
        return MqttSettings.KEYS;
    }

    @Override
    public Running start(PluginHost host, Map<String, String> options) throws Exception {
        MqttSettings settings = MqttSettings.from(options);
        if (settings.port() == 0) {
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
        Channel listener = new ServerBootstrap()
                .group(host.bossGroup(), host.workerGroup())
                .channel(host.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        open.add(ch);
                        // the decoder refuses a packet whose announced length is above the maximum before
                        // buffering it, and otherwise holds only bytes that arrived. MQTT 3.1 capped client ids
                        // at 23 characters; RabbitMQ does not enforce that, and old devices send longer ones
                        ch.pipeline().addLast("flush", new FlushConsolidationHandler(256, true))
                                .addLast("decoder", new MqttDecoder(settings.maxPacketSize(), 65535))
                                .addLast("encoder", MqttEncoder.INSTANCE)
                                .addLast("mqtt", new MqttConnection(settings, host.messaging(), clients, retained));
                    }
                })
                .bind(new InetSocketAddress(host.bindAddress(), settings.port())).sync().channel();
        int port = ((InetSocketAddress) listener.localAddress()).getPort();
        return new Running() {
            @Override
            public String describe() {
                return "mqtt port " + port;
            }

            @Override
            public void close() {
                listener.close().awaitUninterruptibly();
                open.close().awaitUninterruptibly();
                retained.close();
            }
        };
    }
}
