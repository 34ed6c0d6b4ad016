package io.warren.routing;

/**
 * One node of the topic trie: the pattern prefix that leads here, the bindings whose whole pattern ends
 * here, and the edges for the next pattern word. {@code *} and {@code #} get their own fields rather than map
 * entries because every match step asks for them.
 */
final class TopicNode<D> {

    final TopicNode<D> parent;
    /** The edge from the parent: a literal word, "*" or "#". */
    final String word;
    /**
     * True if a {@code #} edge lies on the path above this node's own edge. Only then can the matcher reach
     * this node at more than one position for the same pattern prefix, so only then does it need to memoise.
     */
    final boolean belowHash;
    /** Distinguishes nodes in the per-route memo; any spread of values works. */
    final int memoHash;

    final WordMap<TopicNode<D>> children = new WordMap<>();
    TopicNode<D> star;
    TopicNode<D> hash;
    final DestinationSet<D> destinations = new DestinationSet<>();

    TopicNode(TopicNode<D> parent, String word, int memoHash) {
        this.parent = parent;
        this.word = word;
        this.belowHash = parent != null && (parent.belowHash || "#".equals(parent.word));
        this.memoHash = memoHash;
    }

    boolean isHash() {
        return "#".equals(word);
    }

    TopicNode<D> child(String w) {
        return switch (w) {
            case "*" -> star;
            case "#" -> hash;
            default -> children.get(w);
        };
    }

    TopicNode<D> addChild(String w, int childMemoHash) {
        TopicNode<D> c = new TopicNode<>(this, w, childMemoHash);
        switch (w) {
            case "*" -> star = c;
            case "#" -> hash = c;
            default -> children.put(w, c);
        }
        return c;
    }

    void removeChild(String w) {
        switch (w) {
            case "*" -> star = null;
            case "#" -> hash = null;
            default -> children.remove(w);
        }
    }

    boolean isEmpty() {
        return destinations.isEmpty() && star == null && hash == null && children.size() == 0;
    }
}
