package io.warren.codec.method;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.warren.codec.AmqpConstants;
import io.warren.codec.ErlangTerms;
import io.warren.codec.FrameException;

/**
 * Decodes method arguments by a switch on {@code (classId << 16) | methodId}: no reflection, no map lookup.
 *
 * <p>Errors follow RabbitMQ 3.10: arguments that are truncated or followed by extra bytes give
 * 501 {@code FRAME_ERROR - cannot decode <<...>>} (rabbit_misc:frame_error/2, called by the generated
 * rabbit_framing_amqp_0_9_1:decode_method_fields/2 when the binary pattern does not match). An unknown
 * class/method id makes RabbitMQ's reader exit with {unknown_method_id, ...} and drop the socket without
 * a close; we close properly instead with 503 COMMAND_INVALID, as the spec and Qpid Broker-J do.
 */
public final class MethodDecoder {
    private MethodDecoder() {
    }

    /**
     * Decodes {@code args} (exactly the method's argument bytes) into a method record.
     *
     * @throws FrameException 503 for an unknown class/method id, 501 for malformed arguments,
     *     502 for a malformed field table
     */
    public static AmqpMethod decode(int classId, int methodId, ByteBuf args) {
        int start = args.readerIndex();
        AmqpMethod method;
        try {
            method = dispatch(classId, methodId, args);
        } catch (IndexOutOfBoundsException e) {
            throw cannotDecode(classId, methodId, args, start);
        }
        if (args.isReadable()) {
            throw cannotDecode(classId, methodId, args, start);
        }
        return method;
    }

    /** Returns e.g. "basic.publish" for 60/40, or null for an unknown id (for log lines and close texts). */
    public static String methodName(int classId, int methodId) {
        return switch ((classId << 16) | methodId) {
            case (10 << 16) | 10 -> ConnectionStart.NAME;
            case (10 << 16) | 11 -> ConnectionStartOk.NAME;
            case (10 << 16) | 20 -> ConnectionSecure.NAME;
            case (10 << 16) | 21 -> ConnectionSecureOk.NAME;
            case (10 << 16) | 30 -> ConnectionTune.NAME;
            case (10 << 16) | 31 -> ConnectionTuneOk.NAME;
            case (10 << 16) | 40 -> ConnectionOpen.NAME;
            case (10 << 16) | 41 -> ConnectionOpenOk.NAME;
            case (10 << 16) | 50 -> ConnectionClose.NAME;
            case (10 << 16) | 51 -> ConnectionCloseOk.NAME;
            case (10 << 16) | 60 -> ConnectionBlocked.NAME;
            case (10 << 16) | 61 -> ConnectionUnblocked.NAME;
            case (10 << 16) | 70 -> ConnectionUpdateSecret.NAME;
            case (10 << 16) | 71 -> ConnectionUpdateSecretOk.NAME;
            case (20 << 16) | 10 -> ChannelOpen.NAME;
            case (20 << 16) | 11 -> ChannelOpenOk.NAME;
            case (20 << 16) | 20 -> ChannelFlow.NAME;
            case (20 << 16) | 21 -> ChannelFlowOk.NAME;
            case (20 << 16) | 40 -> ChannelClose.NAME;
            case (20 << 16) | 41 -> ChannelCloseOk.NAME;
            case (30 << 16) | 10 -> AccessRequest.NAME;
            case (30 << 16) | 11 -> AccessRequestOk.NAME;
            case (40 << 16) | 10 -> ExchangeDeclare.NAME;
            case (40 << 16) | 11 -> ExchangeDeclareOk.NAME;
            case (40 << 16) | 20 -> ExchangeDelete.NAME;
            case (40 << 16) | 21 -> ExchangeDeleteOk.NAME;
            case (40 << 16) | 30 -> ExchangeBind.NAME;
            case (40 << 16) | 31 -> ExchangeBindOk.NAME;
            case (40 << 16) | 40 -> ExchangeUnbind.NAME;
            case (40 << 16) | 51 -> ExchangeUnbindOk.NAME;
            case (50 << 16) | 10 -> QueueDeclare.NAME;
            case (50 << 16) | 11 -> QueueDeclareOk.NAME;
            case (50 << 16) | 20 -> QueueBind.NAME;
            case (50 << 16) | 21 -> QueueBindOk.NAME;
            case (50 << 16) | 30 -> QueuePurge.NAME;
            case (50 << 16) | 31 -> QueuePurgeOk.NAME;
            case (50 << 16) | 40 -> QueueDelete.NAME;
            case (50 << 16) | 41 -> QueueDeleteOk.NAME;
            case (50 << 16) | 50 -> QueueUnbind.NAME;
            case (50 << 16) | 51 -> QueueUnbindOk.NAME;
            case (60 << 16) | 10 -> BasicQos.NAME;
            case (60 << 16) | 11 -> BasicQosOk.NAME;
            case (60 << 16) | 20 -> BasicConsume.NAME;
            case (60 << 16) | 21 -> BasicConsumeOk.NAME;
            case (60 << 16) | 30 -> BasicCancel.NAME;
            case (60 << 16) | 31 -> BasicCancelOk.NAME;
            case (60 << 16) | 40 -> BasicPublish.NAME;
            case (60 << 16) | 50 -> BasicReturn.NAME;
            case (60 << 16) | 60 -> BasicDeliver.NAME;
            case (60 << 16) | 70 -> BasicGet.NAME;
            case (60 << 16) | 71 -> BasicGetOk.NAME;
            case (60 << 16) | 72 -> BasicGetEmpty.NAME;
            case (60 << 16) | 80 -> BasicAck.NAME;
            case (60 << 16) | 90 -> BasicReject.NAME;
            case (60 << 16) | 100 -> BasicRecoverAsync.NAME;
            case (60 << 16) | 110 -> BasicRecover.NAME;
            case (60 << 16) | 111 -> BasicRecoverOk.NAME;
            case (60 << 16) | 120 -> BasicNack.NAME;
            case (90 << 16) | 10 -> TxSelect.NAME;
            case (90 << 16) | 11 -> TxSelectOk.NAME;
            case (90 << 16) | 20 -> TxCommit.NAME;
            case (90 << 16) | 21 -> TxCommitOk.NAME;
            case (90 << 16) | 30 -> TxRollback.NAME;
            case (90 << 16) | 31 -> TxRollbackOk.NAME;
            case (85 << 16) | 10 -> ConfirmSelect.NAME;
            case (85 << 16) | 11 -> ConfirmSelectOk.NAME;
            default -> null;
        };
    }

    private static AmqpMethod dispatch(int classId, int methodId, ByteBuf in) {
        return switch ((classId << 16) | methodId) {
            case (10 << 16) | 10 -> ConnectionStart.read(in);
            case (10 << 16) | 11 -> ConnectionStartOk.read(in);
            case (10 << 16) | 20 -> ConnectionSecure.read(in);
            case (10 << 16) | 21 -> ConnectionSecureOk.read(in);
            case (10 << 16) | 30 -> ConnectionTune.read(in);
            case (10 << 16) | 31 -> ConnectionTuneOk.read(in);
            case (10 << 16) | 40 -> ConnectionOpen.read(in);
            case (10 << 16) | 41 -> ConnectionOpenOk.read(in);
            case (10 << 16) | 50 -> ConnectionClose.read(in);
            case (10 << 16) | 51 -> ConnectionCloseOk.read(in);
            case (10 << 16) | 60 -> ConnectionBlocked.read(in);
            case (10 << 16) | 61 -> ConnectionUnblocked.read(in);
            case (10 << 16) | 70 -> ConnectionUpdateSecret.read(in);
            case (10 << 16) | 71 -> ConnectionUpdateSecretOk.read(in);
            case (20 << 16) | 10 -> ChannelOpen.read(in);
            case (20 << 16) | 11 -> ChannelOpenOk.read(in);
            case (20 << 16) | 20 -> ChannelFlow.read(in);
            case (20 << 16) | 21 -> ChannelFlowOk.read(in);
            case (20 << 16) | 40 -> ChannelClose.read(in);
            case (20 << 16) | 41 -> ChannelCloseOk.read(in);
            case (30 << 16) | 10 -> AccessRequest.read(in);
            case (30 << 16) | 11 -> AccessRequestOk.read(in);
            case (40 << 16) | 10 -> ExchangeDeclare.read(in);
            case (40 << 16) | 11 -> ExchangeDeclareOk.read(in);
            case (40 << 16) | 20 -> ExchangeDelete.read(in);
            case (40 << 16) | 21 -> ExchangeDeleteOk.read(in);
            case (40 << 16) | 30 -> ExchangeBind.read(in);
            case (40 << 16) | 31 -> ExchangeBindOk.read(in);
            case (40 << 16) | 40 -> ExchangeUnbind.read(in);
            case (40 << 16) | 51 -> ExchangeUnbindOk.read(in);
            case (50 << 16) | 10 -> QueueDeclare.read(in);
            case (50 << 16) | 11 -> QueueDeclareOk.read(in);
            case (50 << 16) | 20 -> QueueBind.read(in);
            case (50 << 16) | 21 -> QueueBindOk.read(in);
            case (50 << 16) | 30 -> QueuePurge.read(in);
            case (50 << 16) | 31 -> QueuePurgeOk.read(in);
            case (50 << 16) | 40 -> QueueDelete.read(in);
            case (50 << 16) | 41 -> QueueDeleteOk.read(in);
            case (50 << 16) | 50 -> QueueUnbind.read(in);
            case (50 << 16) | 51 -> QueueUnbindOk.read(in);
            case (60 << 16) | 10 -> BasicQos.read(in);
            case (60 << 16) | 11 -> BasicQosOk.read(in);
            case (60 << 16) | 20 -> BasicConsume.read(in);
            case (60 << 16) | 21 -> BasicConsumeOk.read(in);
            case (60 << 16) | 30 -> BasicCancel.read(in);
            case (60 << 16) | 31 -> BasicCancelOk.read(in);
            case (60 << 16) | 40 -> BasicPublish.read(in);
            case (60 << 16) | 50 -> BasicReturn.read(in);
            case (60 << 16) | 60 -> BasicDeliver.read(in);
            case (60 << 16) | 70 -> BasicGet.read(in);
            case (60 << 16) | 71 -> BasicGetOk.read(in);
            case (60 << 16) | 72 -> BasicGetEmpty.read(in);
            case (60 << 16) | 80 -> BasicAck.read(in);
            case (60 << 16) | 90 -> BasicReject.read(in);
            case (60 << 16) | 100 -> BasicRecoverAsync.read(in);
            case (60 << 16) | 110 -> BasicRecover.read(in);
            case (60 << 16) | 111 -> BasicRecoverOk.read(in);
            case (60 << 16) | 120 -> BasicNack.read(in);
            case (90 << 16) | 10 -> TxSelect.read(in);
            case (90 << 16) | 11 -> TxSelectOk.read(in);
            case (90 << 16) | 20 -> TxCommit.read(in);
            case (90 << 16) | 21 -> TxCommitOk.read(in);
            case (90 << 16) | 30 -> TxRollback.read(in);
            case (90 << 16) | 31 -> TxRollbackOk.read(in);
            case (85 << 16) | 10 -> ConfirmSelect.read(in);
            case (85 << 16) | 11 -> ConfirmSelectOk.read(in);
            default -> throw new FrameException(AmqpConstants.COMMAND_INVALID,
                    "COMMAND_INVALID - unknown method (class " + classId + ", method " + methodId + ")",
                    classId, methodId);
        };
    }

    private static FrameException cannotDecode(int classId, int methodId, ByteBuf args, int start) {
        byte[] raw = ByteBufUtil.getBytes(args, start, args.writerIndex() - start);
        return new FrameException(AmqpConstants.FRAME_ERROR,
                "FRAME_ERROR - cannot decode " + ErlangTerms.binary(raw), classId, methodId);
    }
}
