package io.warren.broker.channel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * A channel's outstanding deliveries in delivery-tag order. Tags only grow, so this is a sorted
 * circular array: append is O(1), lookup is a binary search, and acks in order (the common case)
 * pop from the head. A delivery acked out of order leaves a hole that is skipped when it reaches
 * the head. No boxing, no per-delivery map node.
 */
final class UnackedDeliveries {
    private Delivery[] items = new Delivery[64];
    private int head;   // index of the first slot
    private int slots;  // occupied slots including holes
    private int live;   // deliveries present

    int size() {
        return live;
    }

    void add(Delivery d) {
        if (slots == items.length) {
            grow();
        }
        items[(head + slots) & (items.length - 1)] = d;
        slots++;
        live++;
    }

    private void grow() {
        Delivery[] bigger = new Delivery[items.length * 2];
        for (int i = 0; i < slots; i++) {
            bigger[i] = items[(head + i) & (items.length - 1)];
        }
        items = bigger;
        head = 0;
    }

    /** Removes and returns the delivery with this tag, or null. */
    Delivery remove(long tag) {
        int i = find(tag);
        if (i < 0) {
            return null;
        }
        int idx = (head + i) & (items.length - 1);
        Delivery d = items[idx];
        items[idx] = null;
        live--;
        trimHead();
        return d;
    }

    /** Removes every delivery with tag ≤ {@code tag} (in order) and passes each to {@code sink}. */
    int removeUpTo(long tag, Consumer<Delivery> sink) {
        int n = 0;
        while (slots > 0) {
            Delivery d = items[head];
            if (d != null) {
                if (d.tag() > tag) {
                    break;
                }
                sink.accept(d);
                live--;
                n++;
            }
            items[head] = null;
            head = (head + 1) & (items.length - 1);
            slots--;
        }
        trimHead();
        return n;
    }

    boolean contains(long tag) {
        return find(tag) >= 0;
    }

    /** Removes everything, in tag order. */
    List<Delivery> drain() {
        List<Delivery> out = new ArrayList<>(live);
        removeUpTo(Long.MAX_VALUE, out::add);
        Arrays.fill(items, null);
        head = 0;
        slots = 0;
        live = 0;
        return out;
    }

    private void trimHead() {
        while (slots > 0 && items[head] == null) {
            head = (head + 1) & (items.length - 1);
            slots--;
        }
    }

    /** Binary search over the slots, skipping holes; returns the slot offset or -1. */
    private int find(long tag) {
        // acks usually come in delivery order: the oldest first (trimHead keeps the head slot filled)
        if (slots > 0 && items[head].tag() == tag) {
            return 0;
        }
        int lo = 0;
        int hi = slots - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int probe = mid;
            Delivery d = items[(head + probe) & (items.length - 1)];
            while (d == null && probe < hi) { // walk right past holes
                probe++;
                d = items[(head + probe) & (items.length - 1)];
            }
            if (d == null) {
                hi = mid - 1;
                continue;
            }
            if (d.tag() == tag) {
                return probe;
            }
            if (d.tag() < tag) {
                lo = probe + 1;
            } else {
                hi = mid - 1;
            }
        }
        return -1;
    }
}
