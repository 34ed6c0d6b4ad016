package io.warren.broker.cluster.link;

import io.netty.buffer.ByteBuf;
import io.warren.broker.model.Message;
import io.warren.codec.Wire;

import java.util.ArrayList;
import java.util.List;

/**
 * What two nodes say to each other over their link. One Netty frame (length-prefixed) carries one
 * message: a type octet and its fields in AMQP's wire domains ({@link Wire}). A message travels as
 * exchange, routing key, the content header's property bytes exactly as the publisher sent them
 * (amqp-codec's property-flags encoding, never re-encoded) and the body.
 *
 * <p>Requests that want an answer carry a correlation id ({@code corr}); the home node answers
 * with {@link Reply} (or {@link GotMessage} for a basic.get that found one). Deliveries and
 * settlements name a delivered message by the id the home node gave it on this link.
 */
sealed interface LinkMessage {
    byte HELLO = 1, CHALLENGE = 2, PROOF = 3, WELCOME = 4;
    byte PUBLISH = 10, REPLY = 11, GET = 12, GOT = 13, CONSUME = 14, DELIVER = 15, SETTLE = 16, CANCEL = 17,
            CANCELLED = 18, PURGE = 19, STATS_REQUEST = 20, STATS = 21, DIRECT_REPLY = 22,
            REPLY_ADDRESS_CHECK = 23, FLOW = 24, CREDIT = 25, COUNTS = 26;
    /** Far from the others so that new request types can be numbered on without a gap. */
    byte APPLIED_WAIT = 40;

    void write(ByteBuf out);

    /** The message this carries, if any (its body may be paged out: see {@link PagedBodyOrder}). */
    default Message message() {
        return null;
    }

    /** The same with the message's body read back from disk (only for those that carry one). */
    default LinkMessage withBody(byte[] body) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " carries no message");
    }

    /** The dialing node introduces itself with a fresh nonce. */
    record Hello(String node, byte[] nonce) implements LinkMessage {
        public void write(ByteBuf out) {
            out.writeByte(HELLO);
            Wire.writeShortStr(out, node);
            bytes(out, nonce);
        }
    }

    /** The accepting node's name, its nonce and its proof that it knows the secret. */
    record Challenge(String node, byte[] nonce, byte[] proof) implements LinkMessage {
        public void write(ByteBuf out) {
            out.writeByte(CHALLENGE);
            Wire.writeShortStr(out, node);
            bytes(out, nonce);
            bytes(out, proof);
        }
    }

    /** The dialing node's proof that it knows the secret. */
    record Proof(byte[] proof) implements LinkMessage {
        public void write(ByteBuf out) {
            out.writeByte(PROOF);
            bytes(out, proof);
        }
    }

    /** The accepting node took the proof: the link is up. */
    record Welcome() implements LinkMessage {
        public void write(ByteBuf out) {
            out.writeByte(WELCOME);
        }
    }

    /** Messages routed on the publisher's node to queues homed on the receiver. */
    record Publish(long corr, boolean wantsReply, String vhost, List<String> queues, Message message)
            implements LinkMessage {
        public void write(ByteBuf out) {
            out.writeByte(PUBLISH);
            out.writeLong(corr);
            out.writeBoolean(wantsReply);
            Wire.writeShortStr(out, vhost);
            out.writeShort(queues.size());
            queues.forEach(q -> Wire.writeShortStr(out, q));
            writeMessage(out, message);
        }

        public LinkMessage withBody(byte[] body) {
            return new Publish(corr, wantsReply, vhost, queues, loaded(message, body));
        }
    }

    /** The answer to a request: {@code code} 0 with a value, or an AMQP reply code and text. */
    record Reply(long corr, int code, String text, long value) implements LinkMessage {
        public void write(ByteBuf out) {
            out.writeByte(REPLY);
            out.writeLong(corr);
            out.writeShort(code);
            Wire.writeLongStr(out, text);
            out.writeLong(value);
        }
    }

    record Get(long corr, String vhost, String queue, boolean noAck) implements LinkMessage {
        public void write(ByteBuf out) {
            out.writeByte(GET);
            out.writeLong(corr);
            Wire.writeShortStr(out, vhost);
            Wire.writeShortStr(out, queue);
            out.writeBoolean(noAck);
        }
    }

    /**
     * basic.get found a message: {@code id} names it for the settlement (unused for no-ack);
     * {@code written} (sender side, may be null) runs once it was encoded.
     */
    record GotMessage(long corr, long id, boolean redelivered, int remaining, Message message, Runnable written)
            implements LinkMessage {
        GotMessage(long corr, long id, boolean redelivered, int remaining, Message message) {
            this(corr, id, redelivered, remaining, message, null);
        }

        public void write(ByteBuf out) {
            out.writeByte(GOT);
            out.writeLong(corr);
            out.writeLong(id);
            out.writeBoolean(redelivered);
            out.writeInt(remaining);
            writeMessage(out, message);
            if (written != null) {
                written.run();
            }
        }

        public LinkMessage withBody(byte[] body) {
            return new GotMessage(corr, id, redelivered, remaining, loaded(message, body), written);
        }
    }

    /**
     * A consumer on the sender's node subscribes to a queue homed on the receiver; {@code place} is
     * its {@link io.warren.broker.model.QueueConsumer#place} ("" for none).
     */
    record Consume(long corr, long consumer, String vhost, String queue, String tag, boolean noAck, boolean exclusive,
                   int prefetch, int priority, String place) implements LinkMessage {
        Consume(long corr, long consumer, String vhost, String queue, String tag, boolean noAck, boolean exclusive,
                int prefetch, int priority) {
            this(corr, consumer, vhost, queue, tag, noAck, exclusive, prefetch, priority, "");
        }

        public void write(ByteBuf out) {
            out.writeByte(CONSUME);
            out.writeLong(corr);
            out.writeLong(consumer);
            Wire.writeShortStr(out, vhost);
            Wire.writeShortStr(out, queue);
            Wire.writeShortStr(out, tag);
            out.writeBoolean(noAck);
            out.writeBoolean(exclusive);
            out.writeInt(prefetch);
            out.writeInt(priority);
            Wire.writeShortStr(out, place);
        }
    }

    /** A delivery to a consumer on the receiving node; {@code written} as in {@link GotMessage}. */
    record Deliver(long consumer, long id, boolean redelivered, Message message, Runnable written)
            implements LinkMessage {
        Deliver(long consumer, long id, boolean redelivered, Message message) {
            this(consumer, id, redelivered, message, null);
        }

        public void write(ByteBuf out) {
            out.writeByte(DELIVER);
            out.writeLong(consumer);
            out.writeLong(id);
            out.writeBoolean(redelivered);
            writeMessage(out, message);
            if (written != null) {
                written.run();
            }
        }

        public LinkMessage withBody(byte[] body) {
            return new Deliver(consumer, id, redelivered, loaded(message, body), written);
        }
    }

    /** Acks, rejects (dead-lettered with a DLX) or requeues delivered messages by their ids. */
    record Settle(Settlement kind, long[] ids) implements LinkMessage {
        public void write(ByteBuf out) {
            out.writeByte(SETTLE);
            out.writeByte(kind.ordinal());
            out.writeInt(ids.length);
            for (long id : ids) {
                out.writeLong(id);
            }
        }
    }

    /** The sender's consumer goes; {@code moving}: to another object of its node, keeping its place. */
    record Cancel(long consumer, boolean moving) implements LinkMessage {
        Cancel(long consumer) {
            this(consumer, false);
        }

        public void write(ByteBuf out) {
            out.writeByte(CANCEL);
            out.writeLong(consumer);
            out.writeBoolean(moving);
        }
    }

    /** The home node ended a subscription (the queue was deleted). */
    record Cancelled(long consumer) implements LinkMessage {
        public void write(ByteBuf out) {
            out.writeByte(CANCELLED);
            out.writeLong(consumer);
        }
    }

    record Purge(long corr, String vhost, String queue) implements LinkMessage {
        public void write(ByteBuf out) {
            out.writeByte(PURGE);
            out.writeLong(corr);
            Wire.writeShortStr(out, vhost);
            Wire.writeShortStr(out, queue);
        }
    }

    /** Asks the other node for its figures for /api/nodes; it answers with {@link Stats}. */
    record StatsRequest(long corr) implements LinkMessage {
        public void write(ByteBuf out) {
            out.writeByte(STATS_REQUEST);
            out.writeLong(corr);
        }
    }

    record Stats(long corr, io.warren.management.model.NodeStats stats) implements LinkMessage {
        public void write(ByteBuf out) {
            out.writeByte(STATS);
            out.writeLong(corr);
            NodeStatsWire.write(out, stats);
        }
    }

    /**
     * Asks the other node to answer (with a {@link Reply} carrying {@code index}) once it applied the
     * cluster's definitions log up to {@code index}: a definition change is answered only once every node
     * that is up routes with it.
     */
    record AppliedWait(long corr, long index) implements LinkMessage {
        public void write(ByteBuf out) {
            out.writeByte(APPLIED_WAIT);
            out.writeLong(corr);
            out.writeLong(index);
        }
    }

    /**
     * A direct reply-to reply published on the sender's node for a requester on the receiver's: the
     * message's routing key is the requester's address, which the receiver gave out.
     */
    record DirectReply(Message message) implements LinkMessage {
        public void write(ByteBuf out) {
            out.writeByte(DIRECT_REPLY);
            writeMessage(out, message);
        }

        public LinkMessage withBody(byte[] body) {
            return new DirectReply(loaded(message, body));
        }
    }

    /** Does a live reply consumer on the receiver have this direct reply-to address? Answered with a {@link Reply}, 1 if so. */
    record ReplyAddressCheck(long corr, String address) implements LinkMessage {
        public void write(ByteBuf out) {
            out.writeByte(REPLY_ADDRESS_CHECK);
            out.writeLong(corr);
            Wire.writeShortStr(out, address);
        }
    }

    /**
     * Credit flow from a queue's home: the queue is congested (publishers to it should hold back) or
     * drained again (see {@link HomeCongestion}).
     */
    record Flow(String vhost, String queue, boolean congested) implements LinkMessage {
        public void write(ByteBuf out) {
            out.writeByte(FLOW);
            Wire.writeShortStr(out, vhost);
            Wire.writeShortStr(out, queue);
            out.writeBoolean(congested);
        }
    }

    /** The home took this many publishes from the link so far (see {@link PeerLink#PUBLISH_WINDOW}). */
    record Credit(long taken) implements LinkMessage {
        public void write(ByteBuf out) {
            out.writeByte(CREDIT);
            out.writeLong(taken);
        }
    }

    /**
     * Asks a queue's home for queue.declare-ok's counts; the {@link Reply}'s value carries the ready
     * messages in its high 32 bits and the consumers (on every node) in its low 32.
     */
    record CountsRequest(long corr, String vhost, String queue) implements LinkMessage {
        public void write(ByteBuf out) {
            out.writeByte(COUNTS);
            out.writeLong(corr);
            Wire.writeShortStr(out, vhost);
            Wire.writeShortStr(out, queue);
        }
    }

    /** How a delivered message is settled. */
    enum Settlement { ACK, REJECT, REQUEUE }

    /** Reads one message; a truncated or unknown one throws (the link is then closed). */
    static LinkMessage read(ByteBuf in) {
        byte type = in.readByte();
        return switch (type) {
            case HELLO -> new Hello(Wire.readShortStr(in), bytes(in));
            case CHALLENGE -> new Challenge(Wire.readShortStr(in), bytes(in), bytes(in));
            case PROOF -> new Proof(bytes(in));
            case WELCOME -> new Welcome();
            case PUBLISH -> {
                long corr = in.readLong();
                boolean wants = in.readBoolean();
                String vhost = Wire.readShortStr(in);
                int n = in.readUnsignedShort();
                List<String> queues = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    queues.add(Wire.readShortStr(in));
                }
                yield new Publish(corr, wants, vhost, queues, readMessage(in));
            }
            case REPLY -> new Reply(in.readLong(), in.readUnsignedShort(), Wire.readLongStr(in), in.readLong());
            case GET -> new Get(in.readLong(), Wire.readShortStr(in), Wire.readShortStr(in), in.readBoolean());
            case GOT -> new GotMessage(in.readLong(), in.readLong(), in.readBoolean(), in.readInt(), readMessage(in));
            case CONSUME -> new Consume(in.readLong(), in.readLong(), Wire.readShortStr(in), Wire.readShortStr(in),
                    Wire.readShortStr(in), in.readBoolean(), in.readBoolean(), in.readInt(), in.readInt(),
                    in.isReadable() ? Wire.readShortStr(in) : ""); // a node from before places sends none
            case DELIVER -> new Deliver(in.readLong(), in.readLong(), in.readBoolean(), readMessage(in));
            case SETTLE -> {
                Settlement kind = Settlement.values()[in.readUnsignedByte()];
                int n = in.readInt();
                if (n < 0 || n > in.readableBytes() / Long.BYTES) {
                    throw new IllegalArgumentException("settle of " + n + " ids in a shorter frame");
                }
                long[] ids = new long[n];
                for (int i = 0; i < n; i++) {
                    ids[i] = in.readLong();
                }
                yield new Settle(kind, ids);
            }
            case CANCEL -> new Cancel(in.readLong(), in.isReadable() && in.readBoolean());
            case CANCELLED -> new Cancelled(in.readLong());
            case PURGE -> new Purge(in.readLong(), Wire.readShortStr(in), Wire.readShortStr(in));
            case STATS_REQUEST -> new StatsRequest(in.readLong());
            case STATS -> new Stats(in.readLong(), NodeStatsWire.read(in));
            case COUNTS -> new CountsRequest(in.readLong(), Wire.readShortStr(in), Wire.readShortStr(in));
            case CREDIT -> new Credit(in.readLong());
            case FLOW -> new Flow(Wire.readShortStr(in), Wire.readShortStr(in), in.readBoolean());
            case APPLIED_WAIT -> new AppliedWait(in.readLong(), in.readLong());
            case DIRECT_REPLY -> new DirectReply(readMessage(in));
            case REPLY_ADDRESS_CHECK -> new ReplyAddressCheck(in.readLong(), Wire.readShortStr(in));
            default -> throw new IllegalArgumentException("unknown link message type " + type);
        };
    }

    private static void bytes(ByteBuf out, byte[] b) {
        out.writeInt(b.length);
        out.writeBytes(b);
    }

    private static byte[] bytes(ByteBuf in) {
        return Wire.readLongBytes(in);
    }

    /** The message as the publisher sent it; a paged-out body was read back before (see {@link PagedBodyOrder}). */
    private static void writeMessage(ByteBuf out, Message m) {
        Wire.writeShortStr(out, m.exchange());
        Wire.writeShortStr(out, m.routingKey());
        bytes(out, m.rawProperties());
        byte[] body = m.bodyOrNull();
        // PagedBodyOrder has a paged-out body read back off the loop first; only one paged out in the
        // instant between its check and this write is read here
        bytes(out, body != null ? body : m.body());
    }

    /** What goes over the link of a message whose body was read back: the wire fields only. */
    private static Message loaded(Message m, byte[] body) {
        return new Message(m.exchange(), m.routingKey(), m.rawProperties(), body);
    }

    private static Message readMessage(ByteBuf in) {
        String exchange = Wire.readShortStr(in);
        String key = Wire.readShortStr(in);
        byte[] props = bytes(in);
        return new Message(exchange, key, props, bytes(in));
    }
}
