package io.warren.storage;

import java.util.HashMap;
import java.util.Map;

/**
 * Objects by message id. Ids are dense and rising, so pages of 4096 slots beat a hash map of boxed
 * longs by a wide margin in memory and time when a replay holds a million of them.
 */
final class IdTable<T> {
    private static final int PAGE_BITS = 12;
    private static final int PAGE_SIZE = 1 << PAGE_BITS;

    private final Map<Long, Object[]> pages = new HashMap<>();
    private long lastPageNo = -1;
    private Object[] lastPage;
    private int size;

    @SuppressWarnings("unchecked")
    T get(long id) {
        Object[] p = page(id >>> PAGE_BITS, false);
        return p == null ? null : (T) p[(int) (id & (PAGE_SIZE - 1))];
    }

    /** @return false if the id was taken */
    boolean putIfAbsent(long id, T value) {
        Object[] p = page(id >>> PAGE_BITS, true);
        int slot = (int) (id & (PAGE_SIZE - 1));
        if (p[slot] != null) return false;
        p[slot] = value;
        size++;
        return true;
    }

    void remove(long id) {
        Object[] p = page(id >>> PAGE_BITS, false);
        int slot = (int) (id & (PAGE_SIZE - 1));
        if (p != null && p[slot] != null) {
            p[slot] = null;
            size--;
        }
    }

    int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    void forEach(java.util.function.Consumer<T> action) {
        pages.keySet().stream().sorted().forEach(k -> {
            for (Object o : pages.get(k)) if (o != null) action.accept((T) o);
        });
    }

    private Object[] page(long pageNo, boolean create) {
        if (pageNo == lastPageNo) return lastPage;
        Object[] p = pages.get(pageNo);
        if (p == null) {
            if (!create) return null;
            p = new Object[PAGE_SIZE];
            pages.put(pageNo, p);
        }
        lastPageNo = pageNo;
        lastPage = p;
        return p;
    }
}
