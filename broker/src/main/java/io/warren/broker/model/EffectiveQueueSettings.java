package io.warren.broker.model;

import java.math.BigInteger;
import java.util.Map;

/**
 * The settings a queue runs with: its declared x-arguments combined with the policy that applies
 * to it, key by key as RabbitMQ 3.10's classic queue does (rabbit_amqqueue_process
 * process_args_policy): for expires, message-ttl, max-length and max-length-bytes the lower of
 * argument and policy wins; for dead-letter-exchange, dead-letter-routing-key and overflow the
 * queue's own argument wins. Each key is resolved on its own, so a policy's dead-letter routing key
 * can pair with the queue's own dead-letter exchange. Replaced (never changed) when the policy does.
 */
record EffectiveQueueSettings(long messageTtl, long expires, String deadLetterExchange, String deadLetterRoutingKey,
                              long maxLength, long maxLengthBytes, QueueArguments.Overflow overflow) {

    static EffectiveQueueSettings of(QueueArguments args, Map<String, Object> declared, Policy policy) {
        QueueArguments.Overflow overflow = args.overflow();
        if (policy != null && !declared.containsKey("x-overflow") && policy.get("overflow") instanceof String o) {
            overflow = switch (o) {
                case "reject-publish" -> QueueArguments.Overflow.REJECT_PUBLISH;
                case "reject-publish-dlx" -> QueueArguments.Overflow.REJECT_PUBLISH_DLX;
                default -> QueueArguments.Overflow.DROP_HEAD;
            };
        }
        return new EffectiveQueueSettings(
                lower(args.messageTtl(), policy, "message-ttl"),
                lower(args.expires(), policy, "expires"),
                own(args.deadLetterExchange(), policy, "dead-letter-exchange"),
                own(args.deadLetterRoutingKey(), policy, "dead-letter-routing-key"),
                lower(args.maxLength(), policy, "max-length"),
                lower(args.maxLengthBytes(), policy, "max-length-bytes"),
                overflow);
    }

    boolean hasLengthLimit() {
        return maxLength >= 0 || maxLengthBytes >= 0;
    }

    /** Whether a queue holding this many ready messages with this many body bytes is over its length limit. */
    boolean overLimit(long readyCount, long readyBytes) {
        return (maxLength >= 0 && readyCount > maxLength) || (maxLengthBytes >= 0 && readyBytes > maxLengthBytes);
    }

    /** res_min: the lower of the argument ({@code -1} = none) and the policy's value. */
    private static long lower(long argument, Policy policy, String key) {
        Object v = policy == null ? null : policy.get(key);
        if (!(v instanceof Number n)) {
            return argument;
        }
        long p = n instanceof BigInteger b && b.bitLength() >= 64 ? Long.MAX_VALUE : n.longValue();
        return argument < 0 ? p : Math.min(argument, p);
    }

    /** res_arg: the queue's own argument if it has one, else the policy's value. */
    private static String own(String argument, Policy policy, String key) {
        if (argument != null || policy == null) {
            return argument;
        }
        return policy.get(key) instanceof String s ? s : null;
    }
}
