package io.warren.bench.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.warren.codec.BasicProperties;
import io.warren.codec.ContentBodyFrame;
import io.warren.codec.Frame;
import io.warren.codec.FrameDecoder;
import io.warren.codec.FrameWriter;
import io.warren.codec.method.BasicDeliver;
import io.warren.codec.method.BasicPublish;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The codec's two hot paths, per message: decoding a publish as it arrives (basic.publish, content header and
 * one body frame through {@link FrameDecoder}, the body handed on as a slice of the read buffer) and encoding
 * a delivery (basic.deliver, the publisher's raw property bytes and the body frames into one pooled direct
 * buffer, as the broker's coalescing outbound buffer does).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CodecBenchmark {
    private static final int FRAME_MAX = 131_072;

    @Param({"12", "1024", "65536"})
    public int bodySize;

    private byte[] body;
    private byte[] rawProperties;
    private BasicDeliver deliver;
    private ByteBuf out;
    private ByteBuf publishWire;
    private EmbeddedChannel decoder;

    @Setup(Level.Trial)
    public void setUp() {
        body = new byte[bodySize];
        rawProperties = new BasicProperties("application/octet-stream", null, null, 2, null, null, null, null,
                null, null, null, null, null, null).encode();
        deliver = new BasicDeliver("amq.ctag-benchmark", 1, false, "bench.exchange", "bench.key");
        out = PooledByteBufAllocator.DEFAULT.directBuffer(bodySize + 1024);
        publishWire = PooledByteBufAllocator.DEFAULT.directBuffer(bodySize + 1024);
        FrameWriter.writeContent(publishWire, 1, new BasicPublish("bench.exchange", "bench.key", false, false),
                rawProperties, body, FRAME_MAX);
        decoder = new EmbeddedChannel(new FrameDecoder(FRAME_MAX));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        out.release();
        publishWire.release();
        decoder.finishAndReleaseAll();
    }

    @Benchmark
    public int encodeDelivery() {
        out.clear();
        FrameWriter.writeContent(out, 1, deliver, rawProperties, body, FRAME_MAX);
        return out.writerIndex();
    }

    @Benchmark
    public int decodePublish() {
        decoder.writeInbound(publishWire.retainedDuplicate());
        int frames = 0;
        for (Frame f; (f = decoder.readInbound()) != null; frames++) {
            if (f instanceof ContentBodyFrame b) {
                b.release();
            }
        }
        return frames;
    }
}
