package io.warren.management.http;

import io.warren.management.model.PermissionInfo;
import io.warren.management.model.UserInfo;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Who is asking, and what RabbitMQ lets them see and do: administrators and monitoring users see
 * every vhost and every client, other users only vhosts where they have permissions and only their
 * own connections, channels and consumers. Acting on a queue or exchange
 * takes the same configure / write / read permission as over AMQP, for everyone (administrators
 * included, as in RabbitMQ).
 */
public record Viewer(UserInfo user, Map<String, PermissionInfo> permissions) {

    public enum Kind { CONFIGURE, WRITE, READ }

    public boolean seesAllVhosts() {
        return user.hasTag("administrator") || user.hasTag("monitoring");
    }

    /** Whether a client (connection, channel, consumer) opened by {@code owner} is visible. */
    public boolean seesClientOf(String owner) {
        return seesAllVhosts() || user.name().equals(owner);
    }

    /** 403 for a client someone else opened, unless this user sees everyone's (RabbitMQ's wording). */
    public void requireClientOf(String owner) {
        if (!seesClientOf(owner)) {
            throw ApiException.forbidden(NOT_YOURS);
        }
    }

    /** RabbitMQ's refusal of another user's connection or channel. */
    public static final String NOT_YOURS = "User not authorised to access object";

    public boolean sees(String vhost) {
        return vhost == null || seesAllVhosts() || permissions.containsKey(vhost);
    }

    /** The permission's pattern must match somewhere in the name (RabbitMQ's re:run); an empty pattern grants nothing. */
    public boolean may(String vhost, Kind kind, String resource) {
        PermissionInfo p = permissions.get(vhost);
        if (p == null) {
            return false;
        }
        String pattern = switch (kind) {
            case CONFIGURE -> p.configure();
            case WRITE -> p.write();
            case READ -> p.read();
        };
        try {
            return !pattern.isEmpty() && Pattern.compile(pattern).matcher(resource).find();
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    /** 403 unless allowed, with RabbitMQ's AMQP wording. */
    public void require(String vhost, Kind kind, String type, String resource) {
        if (!may(vhost, kind, resource)) {
            throw ApiException.forbidden("access to " + type + " '" + resource + "' in vhost '" + vhost
                    + "' refused for user '" + user.name() + "'");
        }
    }
}
