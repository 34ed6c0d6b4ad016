package io.warren.interop;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A deliberately dumb AMQP 0-9-1 peer over a plain socket, for sending malformed input. It builds frames by hand and
 * shares no code with Warren's codec (or amqp-client's).
 */
final class RawAmqp implements AutoCloseable {

    static final byte[] PROTOCOL_HEADER = {'A', 'M', 'Q', 'P', 0, 0, 9, 1};
    static final int METHOD = 1, HEADER = 2, BODY = 3, HEARTBEAT = 8;
    static final int FRAME_END = 0xCE;

    final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    RawAmqp(String host, int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 5_000);
        socket.setSoTimeout(5_000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Connects, runs the PLAIN guest/guest handshake with the given tuning and opens vhost "/". */
    static RawAmqp open(String host, int port, int channelMax, int frameMax, int heartbeat) throws IOException {
        RawAmqp r = new RawAmqp(host, port);
        r.handshake(channelMax, frameMax, heartbeat);
        r.openVhost("/");
        return r;
    }

    static RawAmqp open(String host, int port) throws IOException {
        return open(host, port, 2047, 131072, 0);
    }

    /** Header, start, start-ok, tune, tune-ok. Returns the server's tune frame. */
    Frame handshake(int channelMax, int frameMax, int heartbeat) throws IOException {
        write(PROTOCOL_HEADER);
        Frame start = readFrame();
        start.expectMethod(10, 10);
        write(frame(METHOD, 0, startOk("PLAIN", plainResponse("guest", "guest"))));
        Frame tune = readFrame();
        tune.expectMethod(10, 30);
        write(frame(METHOD, 0, method(10, 31).s(channelMax).l(frameMax).s(heartbeat).bytes()));
        return tune;
    }

    void openVhost(String vhost) throws IOException {
        write(frame(METHOD, 0, method(10, 40).shortstr(vhost).shortstr("").octet(0).bytes()));
        readFrame().expectMethod(10, 41);
    }

    void openChannel(int ch) throws IOException {
        write(frame(METHOD, ch, method(20, 10).shortstr("").bytes()));
        Frame f = readFrame();
        f.expectMethod(20, 11);
        if (f.channel != ch) {
            throw new AssertionError("open-ok on channel " + f.channel + ", expected " + ch);
        }
    }

    static byte[] startOk(String mechanism, byte[] response) {
        return method(10, 11).table(new byte[0]).shortstr(mechanism).longstr(response).shortstr("en_US").bytes();
    }

    static byte[] plainResponse(String user, String password) {
        return ("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ frames out

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void send(int type, int channel, byte[] payload) throws IOException {
        write(frame(type, channel, payload));
    }

    /** basic.publish to the default exchange with the given routing key. */
    void publishMethod(int ch, String exchange, String routingKey) throws IOException {
        send(METHOD, ch, method(60, 40).s(0).shortstr(exchange).shortstr(routingKey).octet(0).bytes());
    }

    /** A content header of class 60 with no properties. */
    void contentHeader(int ch, int classId, long bodySize) throws IOException {
        send(HEADER, ch, new Buf().s(classId).s(0).ll(bodySize).s(0).bytes());
    }

    static byte[] frame(int type, int channel, byte[] payload) {
        return frame(type, channel, payload, FRAME_END);
    }

    static byte[] frame(int type, int channel, byte[] payload, int end) {
        return new Buf().octet(type).s(channel).l(payload.length).raw(payload).octet(end).bytes();
    }

    static Buf method(int classId, int methodId) {
        return new Buf().s(classId).s(methodId);
    }

    // ------------------------------------------------------------------ frames in

    record Frame(int type, int channel, byte[] payload) {
        int classId() {
            return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }

        int methodId() {
            return ((payload[2] & 0xff) << 8) | (payload[3] & 0xff);
        }

        boolean isMethod(int c, int m) {
            return type == METHOD && payload.length >= 4 && classId() == c && methodId() == m;
        }

        void expectMethod(int c, int m) {
            if (!isMethod(c, m)) {
                throw new AssertionError("expected method " + c + "/" + m + " but got " + this);
            }
        }

        /** For connection.close / channel.close: reply code, text, failing class and method. */
        Close close() {
            try {
                DataInputStream d = new DataInputStream(new java.io.ByteArrayInputStream(payload, 4, payload.length - 4));
                int code = d.readUnsignedShort();
                byte[] t = new byte[d.readUnsignedByte()];
                d.readFully(t);
                return new Close(code, new String(t, StandardCharsets.UTF_8), d.readUnsignedShort(), d.readUnsignedShort());
            } catch (IOException e) {
                throw new AssertionError("malformed close " + this, e);
            }
        }

        @Override
        public String toString() {
            String m = type == METHOD && payload.length >= 4 ? " method " + classId() + "/" + methodId() : "";
            return "Frame[type " + type + ", channel " + channel + m + ", " + payload.length + " bytes]";
        }
    }

    record Close(int code, String text, int classId, int methodId) {
    }

    Frame readFrame() throws IOException {
        int type = in.readUnsignedByte();
        int channel = in.readUnsignedShort();
        int size = in.readInt();
        if (size < 0 || size > 16 << 20) {
            throw new IOException("absurd frame size " + size);
        }
        byte[] payload = new byte[size];
        in.readFully(payload);
        int end = in.readUnsignedByte();
        if (end != FRAME_END) {
            throw new IOException("bad frame end from server: " + end);
        }
        return new Frame(type, channel, payload);
    }

    /** Reads until the server's connection.close (skipping heartbeats etc.), answers close-ok, returns it. */
    Close expectConnectionClose() throws IOException {
        while (true) {
            Frame f = readFrame();
            if (f.isMethod(10, 50)) {
                try {
                    write(frame(METHOD, 0, method(10, 51).bytes()));
                } catch (IOException ignored) {
                    // the server may already have gone
                }
                return f.close();
            }
        }
    }

    /** Reads until channel.close arrives on the channel; does not answer. */
    Close expectChannelClose(int ch) throws IOException {
        while (true) {
            Frame f = readFrame();
            if (f.isMethod(10, 50)) {
                throw new AssertionError("expected channel.close but got connection.close " + f.close());
            }
            if (f.channel == ch && f.isMethod(20, 40)) {
                return f.close();
            }
        }
    }

    /**
     * True if the server closes the socket (EOF or reset) within the timeout, after reading and discarding whatever
     * it still sends.
     */
    boolean closedByServerWithin(int timeoutMs) throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        byte[] buf = new byte[4096];
        InputStream raw = socket.getInputStream();
        while (System.currentTimeMillis() < deadline) {
            socket.setSoTimeout((int) Math.max(1, deadline - System.currentTimeMillis()));
            try {
                if (raw.read(buf) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (SocketException e) {
                return true; // connection reset
            }
        }
        return false;
    }

    /** Reads up to n bytes, stopping early at EOF or reset. */
    byte[] readUpTo(int n) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        InputStream raw = socket.getInputStream();
        byte[] buf = new byte[n];
        while (b.size() < n) {
            int r;
            try {
                r = raw.read(buf, 0, n - b.size());
            } catch (SocketException e) {
                break;
            }
            if (r < 0) {
                break;
            }
            b.write(buf, 0, r);
        }
        return b.toByteArray();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
        }
    }

    // ------------------------------------------------------------------ encoding

    /** A tiny big-endian writer for AMQP fields. */
    static final class Buf {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final DataOutputStream out = new DataOutputStream(bytes);

        Buf octet(int v) {
            return io(() -> out.writeByte(v));
        }

        Buf s(int v) {
            return io(() -> out.writeShort(v));
        }

        Buf l(int v) {
            return io(() -> out.writeInt(v));
        }

        Buf ll(long v) {
            return io(() -> out.writeLong(v));
        }

        Buf raw(byte[] b) {
            return io(() -> out.write(b));
        }

        Buf shortstr(String v) {
            byte[] b = v.getBytes(StandardCharsets.UTF_8);
            return octet(b.length).raw(b);
        }

        Buf longstr(byte[] b) {
            return l(b.length).raw(b);
        }

        /** A field table from already-encoded entries. */
        Buf table(byte[] entries) {
            return l(entries.length).raw(entries);
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }

        private Buf io(IoAction a) {
            try {
                a.run();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return this;
        }

        private interface IoAction {
            void run() throws IOException;
        }
    }
}
