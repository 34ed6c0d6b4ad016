package io.warren.routing;

import java.util.List;
import java.util.Map;

/**
 * Binding bookkeeping shared by all table types: identity, idempotent add/remove, listing. Subclasses only
 * validate and maintain their routing index through {@link #index} and {@link #unindex}.
 */
abstract class AbstractBindingTable<D> implements BindingTable<D> {

    private final BindingRegistry<D> registry = new BindingRegistry<>();

    @Override
    public final boolean add(String bindingKey, Map<String, Object> arguments, D destination) {
        validate(arguments);
        Binding<D> added = registry.add(bindingKey, arguments, destination);
        if (added == null) {
            return false;
        }
        index(added);
        return true;
    }

    @Override
    public final boolean remove(String bindingKey, Map<String, Object> arguments, D destination) {
        Binding<D> removed = registry.remove(bindingKey, arguments, destination);
        if (removed == null) {
            return false;
        }
        unindex(removed);
        return true;
    }

    @Override
    public final int removeDestination(D destination) {
        List<Binding<D>> removed = registry.removeDestination(destination);
        for (Binding<D> binding : removed) {
            unindex(binding);
        }
        return removed.size();
    }

    @Override
    public final boolean hasBindings() {
        return registry.size() > 0;
    }

    @Override
    public final boolean hasBindingsTo(D destination) {
        return registry.hasBindingsTo(destination);
    }

    @Override
    public final int size() {
        return registry.size();
    }

    @Override
    public final List<Binding<D>> bindings() {
        return registry.snapshot();
    }

    /** Throws {@link InvalidBindingException} if RabbitMQ's exchange type would refuse these arguments. */
    protected void validate(Map<String, Object> arguments) {
    }

    /** A binding was added (it did not exist before). */
    protected abstract void index(Binding<D> binding);

    /** A binding that was indexed has been removed. */
    protected abstract void unindex(Binding<D> binding);
}
