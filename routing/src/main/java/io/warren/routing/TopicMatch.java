package io.warren.routing;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.RandomAccess;
import java.util.Set;

/**
 * One topic route() call: walks the trie along the routing key's words, reading the key in place (no split,
 * no substrings). All mutable state is in this object, which lives for one call, so concurrent calls on the
 * same table are safe.
 *
 * <p>Positions: {@code pos} is the index where the next word starts, or {@link #end} when no word is left.
 * The empty key starts at {@code end} (zero words); "a." yields "a" then "" and then {@code end}.
 *
 * <p>A {@code #} node can consume any number of words, so it is tried at every later position. Each trie node
 * is therefore reached at most once per position (memoised below nested {@code #}s, see {@link VisitMemo}),
 * and each matched node is emitted at most once.
 */
final class TopicMatch<D> {

    /** Up to this many results, duplicates are found by scanning the output list rather than hashing. */
    private static final int SCAN_LIMIT = 32;

    private final String key;
    private final int end;
    private final Collection<? super D> out;
    private final boolean outDeduplicates;
    /** Set when out is a random-access list: what this call added is out[outStart, out.size()). */
    private final List<? super D> outList;
    private final int outStart;
    /** The first node emitted: its destinations are distinct, so they were added unchecked. */
    private DestinationSet<D> firstEmitted;
    /** Destinations already added by this call, once scanning the list tail would be too slow. */
    private Set<Object> seen;
    private VisitMemo memo;

    @SuppressWarnings("unchecked")
    private TopicMatch(String key, Collection<? super D> out) {
        this.key = key;
        this.end = key.length() + 1;
        this.out = out;
        this.outDeduplicates = out instanceof Set;
        if (!outDeduplicates && out instanceof List<?> && out instanceof RandomAccess) {
            this.outList = (List<? super D>) out;
            this.outStart = out.size();
        } else {
            this.outList = null;
            this.outStart = 0;
        }
    }

    static <D> void route(TopicNode<D> root, String routingKey, Collection<? super D> out) {
        TopicMatch<D> m = new TopicMatch<>(routingKey, out);
        m.match(root, routingKey.isEmpty() ? m.end : 0);
    }

    private void match(TopicNode<D> node, int pos) {
        if (node.hash != null) {
            matchHash(node.hash, pos);
        }
        if (pos == end) {
            emit(node);
            return;
        }
        int dot = key.indexOf('.', pos);
        int wordEnd = dot < 0 ? key.length() : dot;
        int next = dot < 0 ? end : dot + 1;
        if (node.children.size() > 0) {
            TopicNode<D> child = node.children.get(key, pos, wordEnd);
            if (child != null) {
                match(child, next);
            }
        }
        if (node.star != null) {
            match(node.star, next);
        }
    }

    /** {@code h} is reached through a {@code #} at {@code pos}: let it swallow 0, 1, 2... of the words. */
    private void matchHash(TopicNode<D> h, int pos) {
        int p = pos;
        while (true) {
            if (h.belowHash && !memo().add(h, p)) {
                return; // explored from here on by an earlier path (and so every later p too)
            }
            match(h, p);
            if (p == end) {
                return;
            }
            int dot = key.indexOf('.', p);
            p = dot < 0 ? end : dot + 1;
        }
    }

    private VisitMemo memo() {
        if (memo == null) {
            memo = new VisitMemo();
        }
        return memo;
    }

    private void emit(TopicNode<D> node) {
        DestinationSet<D> ds = node.destinations;
        if (ds.isEmpty()) {
            return;
        }
        if (outDeduplicates) {
            ds.addAllTo(out);
            return;
        }
        if (firstEmitted == null) {
            firstEmitted = ds;
            ds.addAllTo(out);
            return;
        }
        // A second matching node may share destinations with earlier ones. Small results: scan what this
        // call already added to the list (no allocation); large ones: a hash set built once.
        if (seen == null && outList != null && outList.size() - outStart + ds.size() <= SCAN_LIMIT) {
            for (int i = 0, n = ds.size(); i < n; i++) {
                D d = ds.get(i);
                if (!addedByThisCall(d)) {
                    outList.add(d);
                }
            }
            return;
        }
        if (seen == null) {
            seen = new HashSet<>();
            if (outList != null) {
                seen.addAll(outList.subList(outStart, outList.size()));
            } else {
                for (int i = 0; i < firstEmitted.size(); i++) { // without a list, only it came before
                    seen.add(firstEmitted.get(i));
                }
            }
        }
        for (int i = 0, n = ds.size(); i < n; i++) {
            D d = ds.get(i);
            if (seen.add(d)) {
                out.add(d);
            }
        }
    }

    private boolean addedByThisCall(Object d) {
        for (int i = outStart, n = outList.size(); i < n; i++) {
            if (d.equals(outList.get(i))) {
                return true;
            }
        }
        return false;
    }
}
