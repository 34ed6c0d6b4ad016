package io.warren.broker.persist;

import io.warren.broker.BrokerState;
import io.warren.storage.MessageStore;
import io.warren.storage.MetadataStore;
import io.warren.storage.StoreConfig;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens the data directory ({@code meta/} for definitions, {@code messages/} for the message
 * journal), brings everything back, and keeps writing from then on. Closed last at shutdown.
 */
public final class Persistence implements AutoCloseable {
    private final MetadataStore metadata;
    private final MessageStore messages;

    private Persistence(MetadataStore metadata, MessageStore messages) {
        this.metadata = metadata;
        this.messages = messages;
    }

    public static Persistence open(BrokerState state, Path dataDir) throws IOException {
        MetadataStore metadata = MetadataStore.open(dataDir.resolve("meta"));
        MessageStore messages = MessageStore.open(StoreConfig.defaults(dataDir.resolve("messages")));
        new DurableTopology(metadata, messages).recover(state);
        MessageRecovery.recover(state, messages);
        state.messagePersistence(new MessagePersistence(messages));
        return new Persistence(metadata, messages);
    }

    public MessageStore messages() {
        return messages;
    }

    @Override
    public void close() {
        messages.close();
        metadata.close();
    }
}
