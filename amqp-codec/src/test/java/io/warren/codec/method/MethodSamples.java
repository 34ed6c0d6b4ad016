package io.warren.codec.method;

import io.warren.codec.Timestamp;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One instance of every method record, with a non-default value in every component. Tables use only types that
 * amqp-client reads back as the same tag, so the interop test can compare bytes.
 */
public final class MethodSamples {
    private MethodSamples() {
    }

    static Map<String, Object> table(String marker) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("marker", marker);
        t.put("x-max-priority", 10);
        t.put("nested", Map.of("k", List.of(1L, "two", true)));
        t.put("when", new Timestamp(1_700_000_000L));
        t.put("void", null);
        t.put("price", new BigDecimal("12.34"));
        return t;
    }

    static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    public static List<AmqpMethod> all() {
        return List.of(
                new ConnectionStart(2, 9, table("server"), "PLAIN AMQPLAIN", "en_US"),
                new ConnectionStartOk(table("client"), "PLAIN", bytes("\0guest\0gü€st"), "en_GB"),
                new ConnectionSecure(new byte[] {1, 2, 3, (byte) 0xFF}),
                new ConnectionSecureOk(new byte[] {0, 9, 8}),
                new ConnectionTune(2047, 131072, 60),
                new ConnectionTuneOk(65535, -1, 65535),
                new ConnectionOpen("/vhost-ü"),
                new ConnectionOpenOk(),
                new ConnectionClose(320, "CONNECTION_FORCED - broker forced connection closure", 60, 40),
                new ConnectionCloseOk(),
                new ConnectionBlocked("low on memory"),
                new ConnectionUnblocked(),
                new ConnectionUpdateSecret(bytes("new-token"), "token refresh"),
                new ConnectionUpdateSecretOk(),
                new ChannelOpen(),
                new ChannelOpenOk(),
                new ChannelFlow(true),
                new ChannelFlowOk(true),
                new ChannelClose(404, "NOT_FOUND - no queue 'q' in vhost '/'", 50, 10),
                new ChannelCloseOk(),
                new AccessRequest("/data", true, true, true, true, true),
                new AccessRequestOk(7),
                new ExchangeDeclare("ex", "topic", true, true, true, true, true, table("xd")),
                new ExchangeDeclareOk(),
                new ExchangeDelete("ex", true, true),
                new ExchangeDeleteOk(),
                new ExchangeBind("dst", "src", "a.*.b", true, table("eb")),
                new ExchangeBindOk(),
                new ExchangeUnbind("dst2", "src2", "#", true, table("eu")),
                new ExchangeUnbindOk(),
                new QueueDeclare("q", true, true, true, true, true, table("qd")),
                new QueueDeclareOk("amq.gen-xyz", 12345, 7),
                new QueueBind("q", "amq.topic", "rk", true, table("qb")),
                new QueueBindOk(),
                new QueuePurge("q", true),
                new QueuePurgeOk(42),
                new QueueDelete("q", true, true, true),
                new QueueDeleteOk(-2),
                new QueueUnbind("q", "amq.direct", "rk2", table("qu")),
                new QueueUnbindOk(),
                new BasicQos(65536, 100, true),
                new BasicQosOk(),
                new BasicConsume("q", "ctag-1", true, true, true, true, table("bc")),
                new BasicConsumeOk("ctag-2"),
                new BasicCancel("ctag-3", true),
                new BasicCancelOk("ctag-4"),
                new BasicPublish("amq.fanout", "route", true, true),
                new BasicReturn(312, "NO_ROUTE", "ex", "rk"),
                new BasicDeliver("ctag-5", Long.MAX_VALUE, true, "ex", "rk"),
                new BasicGet("q", true),
                new BasicGetOk(-1L, true, "ex", "rk", 99),
                new BasicGetEmpty(),
                new BasicAck(77L, true),
                new BasicReject(78L, true),
                new BasicRecoverAsync(true),
                new BasicRecover(true),
                new BasicRecoverOk(),
                new BasicNack(79L, true, true),
                new TxSelect(),
                new TxSelectOk(),
                new TxCommit(),
                new TxCommitOk(),
                new TxRollback(),
                new TxRollbackOk(),
                new ConfirmSelect(true),
                new ConfirmSelectOk());
    }
}
