package io.warren.routing;

/**
 * The (trie node, key position) pairs one route() call has already explored below a nested {@code #}.
 * Without it a key like "a.a.a.a.a.a" against "#.a.#.a.#.a" is matched along every way of splitting its
 * words between the {@code #}s (exponential); with it each pair is explored once (polynomial). It lives for
 * one call only, so concurrent route() calls share nothing.
 */
final class VisitMemo {

    private Object[] nodes = new Object[16];
    private int[] positions = new int[16];
    private int size;

    /** Records the pair; false if it was already recorded. */
    boolean add(TopicNode<?> node, int position) {
        if ((size + 1) * 2 > nodes.length) {
            grow();
        }
        int mask = nodes.length - 1;
        int i = slot(node, position) & mask;
        Object n;
        while ((n = nodes[i]) != null) {
            if (n == node && positions[i] == position) {
                return false;
            }
            i = (i + 1) & mask;
        }
        nodes[i] = node;
        positions[i] = position;
        size++;
        return true;
    }

    private void grow() {
        Object[] oldNodes = nodes;
        int[] oldPositions = positions;
        nodes = new Object[oldNodes.length * 2];
        positions = new int[oldNodes.length * 2];
        size = 0;
        for (int i = 0; i < oldNodes.length; i++) {
            if (oldNodes[i] != null) {
                add((TopicNode<?>) oldNodes[i], oldPositions[i]);
            }
        }
    }

    private static int slot(TopicNode<?> node, int position) {
        int h = node.memoHash * 0x9E3779B9 + position * 31;
        return h ^ (h >>> 15);
    }
}
