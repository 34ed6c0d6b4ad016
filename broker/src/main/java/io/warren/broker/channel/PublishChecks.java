package io.warren.broker.channel;

import io.warren.broker.error.ChannelException;
import io.warren.codec.BasicProperties;

/**
 * Checks RabbitMQ makes on a published message's properties: {@code user_id} must name the
 * authenticated user and {@code expiration} must be a non-negative integer (406 otherwise). The
 * property-flags word is peeked first so the usual message, which sets neither, is not decoded.
 */
final class PublishChecks {
    private static final int EXPIRATION_FLAG = 1 << 8;
    private static final int USER_ID_FLAG = 1 << 4;

    private PublishChecks() {
    }

    static void check(byte[] rawProperties, String user) {
        if (rawProperties.length < 2) {
            return;
        }
        int flags = ((rawProperties[0] & 0xFF) << 8) | (rawProperties[1] & 0xFF);
        if ((flags & (EXPIRATION_FLAG | USER_ID_FLAG)) == 0) {
            return;
        }
        BasicProperties p = BasicProperties.decode(rawProperties);
        if (p.userId() != null && !p.userId().equals(user)) {
            throw ChannelException.preconditionFailed("user_id property set to '" + p.userId()
                    + "' but authenticated user was '" + user + "'");
        }
        if (p.expiration() != null) {
            parseExpiration(p.expiration());
        }
    }

    /** rabbit_basic:parse_expiration: an integer in a string, not negative. Returns milliseconds. */
    static long parseExpiration(String expiration) {
        long ttl;
        try {
            ttl = Long.parseLong(expiration);
        } catch (NumberFormatException e) {
            throw ChannelException.preconditionFailed("invalid expiration '" + expiration + "': no_integer");
        }
        if (ttl < 0) {
            throw ChannelException.preconditionFailed("invalid expiration '" + expiration + "': {value_negative,"
                    + ttl + "}");
        }
        return ttl;
    }
}
