package io.warren.broker.channel;

import io.warren.broker.model.AmqpQueue;
import io.warren.broker.model.QueueEntry;

/** A message handed to the client and not yet acked: what an ack, nack or reject refers to. */
record Delivery(long tag, AmqpQueue queue, QueueEntry entry, ChannelConsumer consumer) {
}
