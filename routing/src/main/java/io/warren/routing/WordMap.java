package io.warren.routing;

/**
 * An open-addressing map from topic words to trie children that is queried with a slice of the routing key
 * ({@code key[from, to)}), so matching never allocates a substring per word.
 */
final class WordMap<V> {

    private String[] keys = new String[2];
    private Object[] values = new Object[2];
    private int size;

    int size() {
        return size;
    }

    /** The value for {@code src[from, to)}, or null. */
    @SuppressWarnings("unchecked")
    V get(String src, int from, int to) {
        if (size == 0) {
            return null;
        }
        int len = to - from;
        int mask = keys.length - 1;
        int i = spread(hash(src, from, to)) & mask;
        String k;
        while ((k = keys[i]) != null) {
            if (k.length() == len && src.regionMatches(from, k, 0, len)) {
                return (V) values[i];
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    V get(String word) {
        return get(word, 0, word.length());
    }

    void put(String word, V value) {
        if ((size + 1) * 4 > keys.length * 3) {
            resize(keys.length * 2);
        }
        int mask = keys.length - 1;
        int i = spread(word.hashCode()) & mask;
        String k;
        while ((k = keys[i]) != null) {
            if (k.equals(word)) {
                values[i] = value;
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = word;
        values[i] = value;
        size++;
    }

    void remove(String word) {
        int mask = keys.length - 1;
        int i = spread(word.hashCode()) & mask;
        String k;
        while ((k = keys[i]) != null) {
            if (k.equals(word)) {
                keys[i] = null;
                values[i] = null;
                size--;
                reinsertCluster((i + 1) & mask);
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /** Backward-shift deletion: re-place the entries after a hole so no lookup stops short. */
    @SuppressWarnings("unchecked")
    private void reinsertCluster(int start) {
        int mask = keys.length - 1;
        int i = start;
        String k;
        while ((k = keys[i]) != null) {
            Object v = values[i];
            keys[i] = null;
            values[i] = null;
            size--;
            put(k, (V) v);
            i = (i + 1) & mask;
        }
    }

    @SuppressWarnings("unchecked")
    private void resize(int capacity) {
        String[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new String[capacity];
        values = new Object[capacity];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                put(oldKeys[i], (V) oldValues[i]);
            }
        }
    }

    /** Same value as {@code src.substring(from, to).hashCode()}. */
    private static int hash(String src, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + src.charAt(i);
        }
        return h;
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }
}
