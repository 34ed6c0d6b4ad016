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

    /**
     * rabbit_basic:parse_expiration: Erlang's string:to_integer (optional sign, then digits; the rest
     * must be empty), then rabbit_misc:check_expiry (not negative, at most ten years). Returns ms.
     * Texts as RabbitMQ 3.10.8 gives them: no_integer, {leftover_string,".5"}, {value_negative,-1},
     * {value_too_large,N}.
     */
    static long parseExpiration(String expiration) {
        int i = 0;
        if (i < expiration.length() && (expiration.charAt(i) == '+' || expiration.charAt(i) == '-')) {
            i++;
        }
        int digits = i;
        while (i < expiration.length() && expiration.charAt(i) >= '0' && expiration.charAt(i) <= '9') {
            i++;
        }
        if (i == digits) {
            throw invalidExpiration(expiration, "no_integer");
        }
        if (i < expiration.length()) {
            String rest = expiration.substring(i).replace("\\", "\\\\").replace("\"", "\\\"");
            throw invalidExpiration(expiration, "{leftover_string,\"" + rest + "\"}");
        }
        java.math.BigInteger ttl = new java.math.BigInteger(expiration.charAt(0) == '+' ? expiration.substring(1) : expiration);
        if (ttl.signum() < 0) {
            throw invalidExpiration(expiration, "{value_negative," + ttl + "}");
        }
        if (ttl.compareTo(java.math.BigInteger.valueOf(MAX_EXPIRY)) > 0) {
            throw invalidExpiration(expiration, "{value_too_large," + ttl + "}");
        }
        return ttl.longValueExact();
    }

    /** rabbit_misc:check_expiry's limit: ten years in milliseconds. */
    static final long MAX_EXPIRY = 315_360_000_000L;

    private static ChannelException invalidExpiration(String expiration, String reason) {
        return ChannelException.preconditionFailed("invalid expiration '" + expiration + "': " + reason);
    }
}
