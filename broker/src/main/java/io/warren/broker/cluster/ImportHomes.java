package io.warren.broker.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives every queue of a definitions document a home before the import goes into the cluster's
 * log, as a declare names its connection's node: the {@code node} the document names when that is a
 * member, else the importing node. Decided once, on the importing node, so every node applying the
 * log entry homes each queue on the same node.
 */
final class ImportHomes {
    private ImportHomes() {
    }

    /** A copy of {@code defs} whose queues each carry a member's name in {@code node}. */
    static Map<String, Object> assign(Map<String, Object> defs, String importingNode, Set<String> members) {
        if (!(defs.get("queues") instanceof List<?> queues)) {
            return defs;
        }
        List<Object> homed = new ArrayList<>(queues.size());
        for (Object q : queues) {
            if (q instanceof Map<?, ?> m) {
                Map<Object, Object> copy = new LinkedHashMap<>(m);
                Object named = m.get("node");
                copy.put("node", named instanceof String n && members.contains(n) ? n : importingNode);
                homed.add(copy);
            } else {
                homed.add(q); // the importer refuses it with its own message
            }
        }
        Map<String, Object> out = new LinkedHashMap<>(defs);
        out.put("queues", homed);
        return out;
    }

    /** vhost and name of each queue the document homes, with its home. */
    static List<String[]> homes(Map<String, Object> defs) {
        List<String[]> out = new ArrayList<>();
        if (defs.get("queues") instanceof List<?> queues) {
            for (Object q : queues) {
                if (q instanceof Map<?, ?> m && m.get("node") instanceof String node && m.get("name") != null
                        && m.get("vhost") != null) {
                    out.add(new String[] {String.valueOf(m.get("vhost")), String.valueOf(m.get("name")), node});
                }
            }
        }
        return out;
    }
}
