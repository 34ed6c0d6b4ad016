package io.warren.broker.persist;

import io.warren.broker.BrokerState;
import io.warren.broker.model.BodyReader;
import io.warren.broker.model.QueueType;
import io.warren.broker.stream.Streams;
import io.warren.storage.MessageStore;
import io.warren.storage.MetadataStore;
import io.warren.storage.StoreConfig;
import io.warren.storage.SyncPolicy;
import io.warren.broker.alarm.ResourceAlarms;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens the data directory ({@code meta/} for definitions, {@code messages/} for the message
 * journal), brings everything back, and keeps writing from then on. Closed last at shutdown.
 */
public final class Persistence implements AutoCloseable {
    private final MetadataStore metadata;
    private final MessageStore messages;
    private final Streams streams;

    private Persistence(MetadataStore metadata, MessageStore messages, Streams streams) {
        this.metadata = metadata;
        this.messages = messages;
        this.streams = streams;
    }

    public static Persistence open(BrokerState state, Path dataDir) throws IOException {
        MetadataStore metadata = MetadataStore.open(dataDir.resolve("meta"));
        StoreConfig config = StoreConfig.defaults(dataDir.resolve("messages"));
        long interval = state.config().syncIntervalMillis();
        if (interval > 0) { // confirms after the write, disk sync on a timer: faster, weaker promise
            config = config.withSyncPolicy(SyncPolicy.interval(interval));
        }
        MessageStore messages = MessageStore.open(config);
        // a full disk raises the disk alarm: publishers are blocked until space comes back
        messages.addDiskAlarmListener((alarm, free) -> state.alarms().set(ResourceAlarms.Resource.DISK, alarm),
                Runnable::run);
        // a disk that cannot keep up: publishers are held back until the write backlog halves
        messages.addWriteBacklogListener((behind, bytes) -> state.alarms().set(ResourceAlarms.Resource.STORAGE, behind),
                Runnable::run);
        // stream queues keep their own logs under streams/; registered before recovery declares them again
        Streams streams = new Streams(dataDir.resolve("streams"), interval);
        state.registerQueueType(QueueType.STREAM, streams::create);
        new DurableTopology(metadata, messages).recover(state);
        if (!state.config().cluster().enabled()) { // a cluster may still declare streams from its log
            streams.removeOrphans();
        }
        streams.awaitOpened(java.time.Duration.ofSeconds(60));
        // this broker's store: every message whose body may leave the heap keeps it, so two brokers in one JVM
        // each read their own journal
        BodyReader bodies = (location, executor, done) ->
                messages.read(location, executor, (stored, failure) -> done.accept(stored == null ? null : stored.body(), failure));
        MessageRecovery.recover(state, messages, bodies);
        // off by default until lazy reads across journal files are proven (see MessageRecovery)
        state.messagePersistence(new MessagePersistence(messages, bodies, state.config().bodyMemoryLimit()));
        MessageRecovery.expireOverdue(state);
        return new Persistence(metadata, messages, streams);
    }

    public MessageStore messages() {
        return messages;
    }

    @Override
    public void close() {
        streams.close();
        messages.close();
        metadata.close();
    }
}
