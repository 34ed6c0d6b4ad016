package io.warren.routing;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The bindings of one exchange to destinations of type {@code D} (the broker's queue or exchange objects,
 * compared with {@code equals}/{@code hashCode}).
 *
 * <p>Not thread-safe for mutation: the broker serialises {@code add}/{@code remove}/{@code removeDestination}.
 * {@link #route} keeps no scratch state in the table, so any number of threads may route at once while no
 * mutation is in progress.
 *
 * <p>A binding is identified by (destination, binding key, arguments), as in RabbitMQ; arguments compare
 * with their AMQP types (1 as a signed int and 1 as a long are different arguments), byte arrays by content,
 * and a null argument table is the same as an empty one.
 */
public interface BindingTable<D> {

    /**
     * Adds a binding.
     *
     * @param bindingKey  the binding key; null is taken as ""
     * @param arguments   binding arguments, may be null or empty
     * @param destination the bound queue/exchange, not null
     * @return false if that exact binding already exists (the table is unchanged)
     * @throws InvalidBindingException if RabbitMQ would refuse the binding (headers: bad {@code x-match})
     */
    boolean add(String bindingKey, Map<String, Object> arguments, D destination);

    /** Removes a binding; false if no such binding exists. */
    boolean remove(String bindingKey, Map<String, Object> arguments, D destination);

    /** Drops every binding to {@code destination} (queue or exchange deleted); returns how many. */
    int removeDestination(D destination);

    boolean hasBindings();

    boolean hasBindingsTo(D destination);

    /** Number of bindings (not of distinct destinations). */
    int size();

    /** A snapshot of every binding, in the order they were added. */
    List<Binding<D>> bindings();

    /**
     * Adds every destination matching the message to {@code out}, each at most once per call.
     *
     * @param routingKey the message's routing key; null is taken as ""
     * @param headers    the message's headers property; null means none
     * @param out        receives the destinations; pass a Set to deduplicate across several calls (CC/BCC)
     */
    void route(String routingKey, Map<String, Object> headers, Collection<? super D> out);
}
