package io.warren.broker.quorum;

import io.warren.broker.model.Message;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A message as a quorum queue's Raft log holds it: exchange, routing key, publish time, the content
 * header's property bytes exactly as published, and the body. The log is the only copy of the body;
 * a delivery decodes it from there.
 */
public final class QuorumMessageCodec {
    private static final int VERSION = 1;

    private QuorumMessageCodec() {
    }

    public static byte[] encode(Message m) {
        byte[] body = m.body();
        byte[] props = m.rawProperties();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length + props.length + 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(m.exchange());
            out.writeUTF(m.routingKey());
            out.writeLong(m.publishedAt());
            out.writeInt(props.length);
            out.write(props);
            out.writeInt(body.length);
            out.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    public static Message decode(byte[] content) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(content))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IOException("unknown quorum message version " + version);
            }
            String exchange = in.readUTF();
            String routingKey = in.readUTF();
            long publishedAt = in.readLong();
            byte[] props = new byte[checked(in.readInt(), content.length)];
            in.readFully(props);
            byte[] body = new byte[checked(in.readInt(), content.length)];
            in.readFully(body);
            Message m = new Message(exchange, routingKey, props, body);
            m.publishedAt(publishedAt);
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt quorum queue message", e);
        }
    }

    private static int checked(int n, int max) throws IOException {
        if (n < 0 || n > max) {
            throw new IOException("bad length " + n);
        }
        return n;
    }
}
