package io.warren.routing;

import java.util.Collection;
import java.util.Map;

/** Fanout exchange: every bound destination gets every message; keys and arguments are ignored. */
public final class FanoutBindingTable<D> extends AbstractBindingTable<D> {

    private final DestinationSet<D> destinations = new DestinationSet<>();

    @Override
    protected void index(Binding<D> binding) {
        destinations.add(binding.destination());
    }

    @Override
    protected void unindex(Binding<D> binding) {
        destinations.remove(binding.destination());
    }

    @Override
    public void route(String routingKey, Map<String, Object> headers, Collection<? super D> out) {
        destinations.addAllTo(out);
    }
}
