package io.warren.management;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.warren.management.api.ManagementApi;
import io.warren.management.http.HttpHandler;
import io.warren.management.http.LoginGate;
import io.warren.management.metrics.PrometheusMetrics;
import io.warren.management.metrics.RateSampler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The management HTTP listener: the RabbitMQ-compatible {@code /api}, {@code /metrics} and the
 * dashboard. It has its own small thread pools so neither slow HTTP clients nor an API call
 * waiting on the broker's loops can hold up AMQP traffic.
 */
public final class ManagementServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);
    /**
     * Largest request body (413 beyond): RabbitMQ's {@code management.http.max_body_size} default. Enough
     * for a definitions file with some 200,000 queues; only logged-in users get this far ({@link LoginGate}).
     */
    static final int MAX_BODY = 20 * 1024 * 1024;
    private final AtomicInteger workerIds = new AtomicInteger(); // per server: no JVM-wide state

    private final BrokerAdmin admin;
    private final String bind;
    private final int port;
    private final RateSampler rates;
    private EventLoopGroup loops;
    private ExecutorService workers;
    private Channel listener;

    public ManagementServer(BrokerAdmin admin, String bind, int port) {
        this.admin = admin;
        this.bind = bind;
        this.port = port;
        this.rates = new RateSampler(admin);
    }

    public ManagementServer start() throws InterruptedException {
        loops = new NioEventLoopGroup(1);
        workers = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "warren-http-" + workerIds.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ManagementApi api = new ManagementApi(admin, rates, bind, port);
        HttpHandler handler = new HttpHandler(api, new PrometheusMetrics(admin), workers);
        ServerBootstrap b = new ServerBootstrap()
                .group(loops)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec());
                        ch.pipeline().addLast(new LoginGate(api::loginRefusal)); // before any body is buffered
                        ch.pipeline().addLast(new HttpObjectAggregator(MAX_BODY));
                        ch.pipeline().addLast(new HttpContentCompressor());
                        ch.pipeline().addLast("api", handler);
                    }
                });
        try {
            listener = b.bind(new InetSocketAddress(bind, port)).sync().channel();
        } catch (Exception e) { // sync() rethrows a BindException undeclared: catch it too, so the loop stops
            close();
            throw e;
        }
        rates.sample();
        loops.scheduleAtFixedRate(this::sampleQuietly, RateSampler.INTERVAL_MS, RateSampler.INTERVAL_MS,
                TimeUnit.MILLISECONDS);
        LOG.info("management API listening on {}:{}", bind, port());
        return this;
    }

    private void sampleQuietly() {
        try {
            rates.sample();
        } catch (RuntimeException e) {
            LOG.warn("rate sampling failed", e);
        }
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return listener == null ? port : ((InetSocketAddress) listener.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close().awaitUninterruptibly();
        }
        if (loops != null) {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        }
        if (workers != null) {
            workers.shutdownNow();
            try { // the threads end before close returns: an embedding test sees none left
                workers.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
