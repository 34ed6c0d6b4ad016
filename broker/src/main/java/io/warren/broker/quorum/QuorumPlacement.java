package io.warren.broker.quorum;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which nodes hold each quorum queue of a cluster, as the cluster's definitions log says: set
 * when a declare is applied (chosen here), changed by add_member / delete_member commands, restored
 * from the definitions snapshot. Every node applies the same log in the same order and chooses
 * with the same rule from the same record, so every node holds the same members for every queue.
 *
 * <p>The first member is the queue's intended leader. A new queue goes to the nodes holding the
 * fewest quorum replicas, and its leader to the chosen node leading the fewest queues, as RabbitMQ
 * places quorum queues; ties go to the declaring node (unless {@link LeaderLocator#BALANCED}), then
 * rotate by the queue's name, so queues declared one after another spread their leaders over the
 * nodes. {@link LeaderLocator#CLIENT_LOCAL} puts the leader on the declaring node whatever it holds.
 */
public final class QuorumPlacement {
    /** vhost NUL queue -> member node names, the intended leader first. */
    private final Map<String, List<String>> members = new ConcurrentHashMap<>();

    public List<String> get(String vhost, String queue) {
        return members.get(key(vhost, queue));
    }

    public void put(String vhost, String queue, List<String> nodes) {
        members.put(key(vhost, queue), List.copyOf(nodes));
    }

    public void remove(String vhost, String queue) {
        members.remove(key(vhost, queue));
    }

    /**
     * The recorded members, or (first time) chooses them from {@code nodes} and records them.
     * {@code local}: the node the declare came from, null when unknown (an import, a recovered queue).
     */
    public List<String> recordIfAbsent(String vhost, String queue, int size, List<String> nodes, String local,
                                       LeaderLocator locator) {
        return members.computeIfAbsent(key(vhost, queue), k -> choose(vhost, queue, size, nodes, local, locator));
    }

    /**
     * The members a new queue would get: {@code size} nodes (3 when not given, all when fewer),
     * fewest replicas first, its leader first among them. Deterministic in the record, the names and
     * the declaring node {@code local}, so every node applying the same declare chooses the same.
     */
    public List<String> choose(String vhost, String queue, int size, List<String> nodes, String local,
                               LeaderLocator locator) {
        List<String> all = new ArrayList<>(nodes);
        all.sort(null);
        int n = Math.min(size <= 0 ? 3 : size, all.size());
        Map<String, Integer> replicas = new HashMap<>();
        Map<String, Integer> leaders = new HashMap<>();
        for (List<String> m : members.values()) {
            m.forEach(node -> replicas.merge(node, 1, Integer::sum));
            if (!m.isEmpty()) {
                leaders.merge(m.get(0), 1, Integer::sum);
            }
        }
        int start = Math.floorMod(key(vhost, queue).hashCode(), Math.max(1, all.size()));
        Map<String, Integer> rotation = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            rotation.put(all.get(i), Math.floorMod(i - start, all.size()));
        }
        boolean localKnown = local != null && all.contains(local);
        boolean localFirst = localKnown && locator != LeaderLocator.BALANCED;
        Comparator<String> byLocal = Comparator.comparingInt(node -> localFirst && node.equals(local) ? 0 : 1);
        Comparator<String> byLeaders = Comparator.comparingInt(node -> leaders.getOrDefault(node, 0));
        Comparator<String> byRotation = Comparator.comparingInt(rotation::get);
        Comparator<String> leaderOrder = byLeaders.thenComparing(byLocal).thenComparing(byRotation);
        if (localKnown && locator == LeaderLocator.CLIENT_LOCAL) {
            leaderOrder = byLocal.thenComparing(leaderOrder);
            all.sort(byLocal.thenComparing(Comparator.<String>comparingInt(node -> replicas.getOrDefault(node, 0)))
                    .thenComparing(byLeaders).thenComparing(byRotation));
        } else {
            all.sort(Comparator.<String>comparingInt(node -> replicas.getOrDefault(node, 0)).thenComparing(byLeaders)
                    .thenComparing(byLocal).thenComparing(byRotation));
        }
        List<String> chosen = new ArrayList<>(all.subList(0, n));
        String leader = chosen.stream().min(leaderOrder).orElseThrow();
        chosen.remove(leader);
        chosen.add(0, leader);
        return List.copyOf(chosen);
    }

    private static String key(String vhost, String queue) {
        return vhost + "\0" + queue;
    }
}
