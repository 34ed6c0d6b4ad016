package io.warren.storage;

import java.util.HashMap;
import java.util.Map;

/**
 * Message id to journal location, for messages that are still live in some queue. Ids come from
 * {@link MessageStore#newMessageId()} and are dense and rising, so a table of pages indexed by id costs
 * 8 bytes per live message and a page is dropped once none of its messages is live. Writer thread only.
 */
final class LocationTable {
    private static final int PAGE_BITS = 12;
    private static final int PAGE_SIZE = 1 << PAGE_BITS;

    private static final class Page {
        final long[] locations = new long[PAGE_SIZE];
        int live;
    }

    private final Map<Long, Page> pages = new HashMap<>();
    private long lastPageNo = -1;
    private Page lastPage;

    /** @return the location, or -1 if the id is not live */
    long get(long id) {
        Page p = page(id, false);
        if (p == null) return -1;
        long v = p.locations[(int) (id & (PAGE_SIZE - 1))];
        return v == 0 ? -1 : v - 1;
    }

    void put(long id, long location) {
        Page p = page(id, true);
        int slot = (int) (id & (PAGE_SIZE - 1));
        if (p.locations[slot] == 0) {
            p.live++;
        }
        // Stored plus one so that zero means empty, whatever locations look like.
        p.locations[slot] = location + 1;
    }

    void remove(long id) {
        long pageNo = id >>> PAGE_BITS;
        Page p = page(id, false);
        if (p == null) return;
        int slot = (int) (id & (PAGE_SIZE - 1));
        if (p.locations[slot] != 0) {
            p.locations[slot] = 0;
            if (--p.live == 0) {
                pages.remove(pageNo);
                if (lastPageNo == pageNo) {
                    lastPageNo = -1;
                    lastPage = null;
                }
            }
        }
    }

    private Page page(long id, boolean create) {
        long pageNo = id >>> PAGE_BITS;
        if (pageNo == lastPageNo) return lastPage;
        Page p = pages.get(pageNo);
        if (p == null) {
            if (!create) return null;
            p = new Page();
            pages.put(pageNo, p);
        }
        lastPageNo = pageNo;
        lastPage = p;
        return p;
    }
}
