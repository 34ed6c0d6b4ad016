package io.warren.routing;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Direct exchange: a message goes to the destinations bound with exactly its routing key. Arguments are
 * part of a binding's identity but play no part in routing, as in RabbitMQ.
 */
public final class DirectBindingTable<D> extends AbstractBindingTable<D> {

    private final Map<String, DestinationSet<D>> byKey = new HashMap<>();

    @Override
    protected void index(Binding<D> binding) {
        byKey.computeIfAbsent(binding.bindingKey(), k -> new DestinationSet<>()).add(binding.destination());
    }

    @Override
    protected void unindex(Binding<D> binding) {
        DestinationSet<D> set = byKey.get(binding.bindingKey());
        if (set != null && set.remove(binding.destination()) && set.isEmpty()) {
            byKey.remove(binding.bindingKey());
        }
    }

    @Override
    public void route(String routingKey, Map<String, Object> headers, Collection<? super D> out) {
        DestinationSet<D> set = byKey.get(routingKey == null ? "" : routingKey);
        if (set != null) {
            set.addAllTo(out);
        }
    }
}
