package io.warren.broker.model;

import io.warren.cluster.quorum.QueueLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * A quorum queue's limits as its group applies them (length, delivery limit, TTL, expiry, single
 * active consumer), from its arguments and policy. RabbitMQ 3.10 accepts {@code reject-publish-dlx}
 * on a quorum queue but does not support it there: it logs a warning and drops the head, and so
 * does Warren.
 */
final class QuorumLimits {
    private static final Logger LOG = LoggerFactory.getLogger(QuorumLimits.class);

    private QuorumLimits() {
    }

    static QueueLimits of(EffectiveQueueSettings s, Map<String, Object> arguments, Policy policy,
                          boolean singleActiveConsumer, Object queue) {
        Long dl = QueueArguments.integerValue(arguments.get("x-delivery-limit"));
        if (dl == null && policy != null && policy.get("delivery-limit") instanceof Number n) {
            dl = n.longValue();
        }
        QueueLimits.Overflow overflow = switch (s.overflow()) {
            case DROP_HEAD -> QueueLimits.Overflow.DROP_HEAD;
            case REJECT_PUBLISH -> QueueLimits.Overflow.REJECT_PUBLISH;
            case REJECT_PUBLISH_DLX -> {
                LOG.warn("Invalid overflow strategy reject-publish-dlx for quorum {}: dropping the head instead", queue);
                yield QueueLimits.Overflow.DROP_HEAD;
            }
        };
        return new QueueLimits(s.maxLength(), s.maxLengthBytes(), overflow,
                dl == null || dl < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, dl),
                s.messageTtl(), s.expires(), singleActiveConsumer);
    }
}
