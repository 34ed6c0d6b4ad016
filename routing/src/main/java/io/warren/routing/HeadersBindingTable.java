package io.warren.routing;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Headers exchange: the routing key is ignored; each binding's arguments are matched against the message
 * headers (see {@link HeadersMatcher} for the exact rules and {@link XMatch} for validation).
 *
 * <p>Bindings are grouped by destination so that a destination bound several times is tested binding by
 * binding only until one matches, and emitted once.
 */
public final class HeadersBindingTable<D> extends AbstractBindingTable<D> {

    private Object[] destinations = new Object[4];
    private HeadersMatcher[][] matchers = new HeadersMatcher[4][];
    private int size;
    private final Map<D, Integer> positions = new HashMap<>();

    @Override
    protected void validate(Map<String, Object> arguments) {
        XMatch.of(arguments);
    }

    @Override
    protected void index(Binding<D> binding) {
        HeadersMatcher m = new HeadersMatcher(binding);
        Integer at = positions.get(binding.destination());
        if (at != null) {
            HeadersMatcher[] old = matchers[at];
            HeadersMatcher[] grown = Arrays.copyOf(old, old.length + 1);
            grown[old.length] = m;
            matchers[at] = grown;
            return;
        }
        if (size == destinations.length) {
            destinations = Arrays.copyOf(destinations, size * 2);
            matchers = Arrays.copyOf(matchers, size * 2);
        }
        destinations[size] = binding.destination();
        matchers[size] = new HeadersMatcher[] {m};
        positions.put(binding.destination(), size);
        size++;
    }

    @Override
    protected void unindex(Binding<D> binding) {
        Integer at = positions.get(binding.destination());
        if (at == null) {
            return;
        }
        HeadersMatcher[] old = matchers[at];
        int i = 0;
        while (i < old.length && old[i].binding != binding) {
            i++;
        }
        if (i == old.length) {
            return;
        }
        if (old.length > 1) {
            HeadersMatcher[] shrunk = new HeadersMatcher[old.length - 1];
            System.arraycopy(old, 0, shrunk, 0, i);
            System.arraycopy(old, i + 1, shrunk, i, old.length - i - 1);
            matchers[at] = shrunk;
            return;
        }
        // last binding to this destination: swap the last slot into the hole
        positions.remove(binding.destination());
        int last = --size;
        if (at != last) {
            destinations[at] = destinations[last];
            matchers[at] = matchers[last];
            @SuppressWarnings("unchecked")
            D moved = (D) destinations[at];
            positions.put(moved, at);
        }
        destinations[last] = null;
        matchers[last] = null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void route(String routingKey, Map<String, Object> headers, Collection<? super D> out) {
        Object[] ds = destinations;
        HeadersMatcher[][] ms = matchers;
        for (int i = 0, n = size; i < n; i++) {
            for (HeadersMatcher m : ms[i]) {
                if (m.matches(headers)) {
                    out.add((D) ds[i]);
                    break;
                }
            }
        }
    }
}
