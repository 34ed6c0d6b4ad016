package io.warren.broker.cluster;

import io.warren.broker.admin.WarrenAdmin;

import java.util.List;
import java.util.Map;

/**
 * Replays a management action from the cluster log through this node's own {@link WarrenAdmin}.
 * Arguments are what the HTTP API passed (JSON values); a password arrives already hashed, since a
 * salted hash made on each node would differ.
 */
final class AdminActions {
    private AdminActions() {
    }

    @SuppressWarnings("unchecked")
    static Object apply(WarrenAdmin admin, ReplicatedDefinitions definitions, String action, List<Object> a) {
        return switch (action) {
            case "putUser" -> admin.putUser(s(a, 0), null, s(a, 1), (List<String>) a.get(2));
            case "deleteUser" -> admin.deleteUser(s(a, 0));
            case "putVhost" -> admin.putVhost(s(a, 0));
            case "deleteVhost" -> admin.deleteVhost(s(a, 0));
            case "setDefaultQueueType" -> admin.setDefaultQueueType(s(a, 0), s(a, 1));
            case "setPermission" -> admin.setPermission(s(a, 0), s(a, 1), s(a, 2), s(a, 3), s(a, 4));
            case "clearPermission" -> admin.clearPermission(s(a, 0), s(a, 1));
            case "putPolicy" -> admin.putPolicy(s(a, 0), s(a, 1), s(a, 2), (Map<String, Object>) a.get(3), a.get(4),
                    s(a, 5));
            case "deletePolicy" -> admin.deletePolicy(s(a, 0), s(a, 1));
            case "declareQueue" -> {
                // the home first: the classic queue factory makes a proxy on the other nodes
                definitions.homes().putIfAbsent(ReplicatedDefinitions.key(s(a, 0), s(a, 1)), s(a, 5));
                yield admin.declareQueue(s(a, 0), s(a, 1), b(a, 2), b(a, 3), (Map<String, Object>) a.get(4));
            }
            case "deleteQueue" -> {
                boolean existed = admin.deleteQueue(s(a, 0), s(a, 1), b(a, 2), b(a, 3));
                definitions.homes().remove(ReplicatedDefinitions.key(s(a, 0), s(a, 1)));
                yield existed;
            }
            case "declareExchange" -> admin.declareExchange(s(a, 0), s(a, 1), s(a, 2), b(a, 3), b(a, 4), b(a, 5),
                    (Map<String, Object>) a.get(6));
            case "deleteExchange" -> admin.deleteExchange(s(a, 0), s(a, 1), b(a, 2));
            case "bind" -> {
                admin.bind(s(a, 0), s(a, 1), s(a, 2), s(a, 3), s(a, 4), (Map<String, Object>) a.get(5));
                yield null;
            }
            case "unbind" -> admin.unbind(s(a, 0), s(a, 1), s(a, 2), s(a, 3), s(a, 4), (Map<String, Object>) a.get(5));
            case "importDefinitions" -> {
                definitions.importDefinitions((Map<String, Object>) a.get(0));
                yield null;
            }
            default -> throw new IllegalArgumentException("unknown cluster admin action '" + action + "'");
        };
    }

    private static String s(List<Object> a, int i) {
        return (String) a.get(i);
    }

    private static boolean b(List<Object> a, int i) {
        return Boolean.TRUE.equals(a.get(i));
    }
}
