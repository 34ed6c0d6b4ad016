package io.warren.bench.mqtt;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * MQTT load: P publishers to 1 subscriber through a broker on localhost, at QoS 0 or 1: the subscriber on one
 * Netty event loop, the publishers on another (a subscriber that also had to feed the publishers would read its
 * socket late, and the broker's send would wait on TCP window updates). A closed loop: at most {@code --in-flight} messages are published and
 * not yet received by the subscriber (spread over the publishers), so the broker runs at the rate it can deliver,
 * with no queue growing anywhere and nothing over Mosquitto's per-client queue of 1,000 (past which it drops).
 * A QoS 1 publisher also needs the broker's PUBACK before its window reopens; the subscriber PUBACKs each
 * delivery at once. After {@code --warmup} seconds it measures {@code --seconds} seconds: messages received per
 * second and the broker's CPU time per message (utime+stime of {@code --pid} from /proc).
 * <p>
 * Run from source: {@code java -cp 'bench/target/lib/*' bench/src/main/java/io/warren/bench/mqtt/MqttLoadDriver.java
 * --port 1883 --pid PID --publishers 100 --qos 1}. Prints one line: {@code publishers qos msg/s us/msg dropped}.
 */
public final class MqttLoadDriver {
    private final String host;
    private final int port;
    private final int publishers;
    private final MqttQoS qos;
    private final int size;
    private final int inFlightLimit;
    private final String topicPrefix = "bench/" + Long.toHexString(System.nanoTime());
    private final AtomicLong received = new AtomicLong();
    private final List<Publisher> connecting = new ArrayList<>();
    private volatile Publisher[] pubs = new Publisher[0]; // set once all are connected
    private volatile boolean stopping;
    private final java.util.concurrent.atomic.AtomicBoolean pumpScheduled = new java.util.concurrent.atomic.AtomicBoolean();
    private EventLoopGroup pubLoop;
    private long sent;          // on the publishers' loop only
    private long dropped;       // QoS 0 messages a broker dropped (seen as a stalled window); publishers' loop
    private long lastReceived;  // publishers' loop: for the watchdog
    private long lastProgress;
    private ByteBuf payload;

    private MqttLoadDriver(Map<String, String> a) {
        host = a.getOrDefault("host", "127.0.0.1");
        port = Integer.parseInt(a.getOrDefault("port", "1883"));
        publishers = Integer.parseInt(a.getOrDefault("publishers", "1"));
        qos = MqttQoS.valueOf(Integer.parseInt(a.getOrDefault("qos", "0")));
        size = Integer.parseInt(a.getOrDefault("size", "64"));
        inFlightLimit = Integer.parseInt(a.getOrDefault("in-flight", "1000"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        long pid = Long.parseLong(a.getOrDefault("pid", "0"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "10"));
        int seconds = Integer.parseInt(a.getOrDefault("seconds", "20"));
        MqttLoadDriver d = new MqttLoadDriver(a);
        EventLoopGroup subLoop = new NioEventLoopGroup(1);
        d.pubLoop = new NioEventLoopGroup(1);
        try {
            d.run(subLoop, pid, warmup, seconds);
        } finally {
            subLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            d.pubLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private void run(EventLoopGroup subLoop, long pid, int warmup, int seconds) throws Exception {
        EventLoopGroup loop = pubLoop;
        payload = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[size]));
        Channel sub = connect(subLoop, "bench-sub-" + topicPrefix.hashCode(), new Subscriber());
        CompletableFuture<Void> subscribed = ((Subscriber) sub.pipeline().get("client")).subscribed;
        sub.writeAndFlush(MqttMessageBuilders.subscribe().messageId(1).addSubscription(qos, topicPrefix + "/#").build());
        subscribed.get(30, TimeUnit.SECONDS);
        for (int i = 0; i < publishers; i++) {
            Publisher p = new Publisher(topicPrefix + "/" + i);
            connect(loop, "bench-pub-" + topicPrefix.hashCode() + "-" + i, p);
            connecting.add(p);
        }
        loop.next().submit(() -> {
            pubs = connecting.toArray(new Publisher[0]);
            lastProgress = System.nanoTime();
            pumpAll();
            loop.next().scheduleAtFixedRate(this::watchdog, 100, 100, TimeUnit.MILLISECONDS);
        }).sync();
        Thread.sleep(warmup * 1000L);
        long r0 = received.get();
        long c0 = cpuTicks(pid);
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long r1 = received.get();
        long c1 = cpuTicks(pid);
        long t1 = System.nanoTime();
        long n = r1 - r0;
        double rate = n / ((t1 - t0) / 1e9);
        double usPerMsg = pid == 0 || n == 0 ? 0 : (c1 - c0) * 1e6 / clockTicksPerSecond() / n;
        long lost = loop.next().submit(() -> dropped).get();
        stopping = true;
        System.out.printf("publishers %d qos %d msg/s %.0f us/msg %.1f dropped %d%n", publishers, qos.value(), rate,
                usPerMsg, lost);
    }

    private Channel connect(EventLoopGroup loop, String clientId, SimpleChannelInboundHandler<MqttMessage> client)
            throws Exception {
        Channel ch = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel c) {
                        c.pipeline().addLast(new MqttDecoder(1 << 20), MqttEncoder.INSTANCE).addLast("client", client);
                    }
                }).connect(host, port).sync().channel();
        CompletableFuture<Void> accepted = new CompletableFuture<>();
        ch.attr(Connack.KEY).set(accepted);
        ch.writeAndFlush(MqttMessageBuilders.connect().clientId(clientId).cleanSession(true).keepAlive(60)
                .protocolVersion(MqttVersion.MQTT_3_1_1).hasUser(true).username("guest").hasPassword(true)
                .password("guest".getBytes()).build());
        accepted.get(30, TimeUnit.SECONDS);
        return ch;
    }

    /** CONNACK waiting. */
    private static final class Connack {
        static final io.netty.util.AttributeKey<CompletableFuture<Void>> KEY = io.netty.util.AttributeKey.valueOf("connack");

        static boolean handle(ChannelHandlerContext ctx, MqttMessage m) {
            if (m.fixedHeader().messageType() != MqttMessageType.CONNACK) {
                return false;
            }
            MqttConnectReturnCode rc = ((MqttConnAckMessage) m).variableHeader().connectReturnCode();
            if (rc == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                ctx.channel().attr(KEY).get().complete(null);
            } else {
                ctx.channel().attr(KEY).get().completeExceptionally(new IllegalStateException("CONNACK " + rc));
            }
            return true;
        }
    }

    /** Messages published and not yet received (or written off as dropped). On the publishers' loop. */
    private long inFlight() {
        return sent - received.get() - dropped;
    }

    /** Lets publishers go again; a window stuck at the limit for 2 s at QoS 0 means the broker dropped messages. */
    private void watchdog() {
        long r = received.get();
        if (r != lastReceived) {
            lastReceived = r;
            lastProgress = System.nanoTime();
        } else if (qos == MqttQoS.AT_MOST_ONCE && inFlight() >= inFlightLimit
                && System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(2)) {
            dropped += inFlight();
            lastProgress = System.nanoTime();
            pumpAll();
        }
    }

    private void pumpAll() {
        for (Publisher p : pubs) {
            p.pump();
        }
    }

    private final class Subscriber extends SimpleChannelInboundHandler<MqttMessage> {
        final CompletableFuture<Void> subscribed = new CompletableFuture<>();

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, MqttMessage m) {
            if (Connack.handle(ctx, m)) {
                return;
            }
            switch (m.fixedHeader().messageType()) {
                case SUBACK -> subscribed.complete(null);
                case PUBLISH -> {
                    MqttPublishMessage p = (MqttPublishMessage) m;
                    if (p.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
                        ctx.write(new MqttMessage(new MqttFixedHeader(MqttMessageType.PUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                                MqttMessageIdVariableHeader.from(p.variableHeader().packetId())));
                    }
                    received.incrementAndGet();
                }
                default -> { }
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
            if (pumpScheduled.compareAndSet(false, true)) { // room in the window again
                pubLoop.execute(() -> {
                    pumpScheduled.set(false);
                    pumpAll();
                });
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!stopping) {
                System.err.println("subscriber connection lost");
            }
        }
    }

    private final class Publisher extends SimpleChannelInboundHandler<MqttMessage> {
        private final String topic;
        private ChannelHandlerContext ctx;
        private int unacked;
        private int nextId;

        Publisher(String topic) {
            this.topic = topic;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        /** Publishes while the shared window, its own QoS 1 window and the socket allow. */
        void pump() {
            if (ctx == null || !ctx.channel().isActive()) {
                return;
            }
            int own = Math.max(1, inFlightLimit / publishers);
            boolean wrote = false;
            while (inFlight() < inFlightLimit && ctx.channel().isWritable()
                    && (qos == MqttQoS.AT_MOST_ONCE || unacked < own)) {
                int id = 0;
                if (qos == MqttQoS.AT_LEAST_ONCE) {
                    nextId = nextId == 65535 ? 1 : nextId + 1;
                    id = nextId;
                    unacked++;
                }
                ctx.write(new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, qos, false, 0),
                        new MqttPublishVariableHeader(topic, id), payload.duplicate()));
                sent++;
                wrote = true;
                if (qos == MqttQoS.AT_MOST_ONCE && sent % Math.max(1, own) == 0) {
                    break; // let the other publishers have their share of the window
                }
            }
            if (wrote) {
                ctx.flush();
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, MqttMessage m) {
            if (Connack.handle(ctx, m)) {
                return;
            }
            if (m.fixedHeader().messageType() == MqttMessageType.PUBACK) {
                unacked--;
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            pump();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            pump();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!stopping) {
                System.err.println("publisher connection lost: " + topic);
            }
        }
    }

    private static long cpuTicks(long pid) throws Exception {
        if (pid == 0) {
            return 0;
        }
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
    }

    private static long clockTicksPerSecond() {
        return 100; // CLK_TCK on Linux
    }
}
