package io.warren.routing;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Distinct destinations with a count of the bindings that lead to each, kept in a plain array so that
 * routing is a loop with no iterator and no allocation. The same destination bound twice to one routing
 * index entry (e.g. same key, different arguments) is stored once, which is what makes route() emit it
 * once. Removal swaps the last element into the hole, so order is not stable (RabbitMQ promises none).
 */
final class DestinationSet<D> {

    /** Below this size a linear scan beats hashing; above it, a position index keeps mutations O(1). */
    private static final int INDEX_THRESHOLD = 8;

    private Object[] items = new Object[2];
    private int[] counts = new int[2];
    private int size;
    private Map<Object, Integer> positions;

    /** Counts one more binding to {@code destination}; true if it was not present before. */
    boolean add(D destination) {
        int i = indexOf(destination);
        if (i >= 0) {
            counts[i]++;
            return false;
        }
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
        }
        items[size] = destination;
        counts[size] = 1;
        if (positions != null) {
            positions.put(destination, size);
        } else if (size + 1 > INDEX_THRESHOLD) {
            positions = new HashMap<>();
            for (int j = 0; j <= size; j++) {
                positions.put(items[j], j);
            }
        }
        size++;
        return true;
    }

    /** Counts one binding fewer; true if that was the last one and the destination is gone. */
    boolean remove(D destination) {
        int i = indexOf(destination);
        if (i < 0) {
            return false;
        }
        if (--counts[i] > 0) {
            return false;
        }
        int last = --size;
        if (positions != null) {
            positions.remove(destination);
        }
        if (i != last) {
            items[i] = items[last];
            counts[i] = counts[last];
            if (positions != null) {
                positions.put(items[i], i);
            }
        }
        items[last] = null;
        counts[last] = 0;
        return true;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    D get(int i) {
        return (D) items[i];
    }

    /** Adds every destination to {@code out}. */
    @SuppressWarnings("unchecked")
    void addAllTo(Collection<? super D> out) {
        Object[] a = items;
        for (int i = 0, n = size; i < n; i++) {
            out.add((D) a[i]);
        }
    }

    private int indexOf(Object destination) {
        if (positions != null) {
            Integer i = positions.get(destination);
            return i == null ? -1 : i;
        }
        for (int i = 0; i < size; i++) {
            if (items[i].equals(destination)) {
                return i;
            }
        }
        return -1;
    }
}
