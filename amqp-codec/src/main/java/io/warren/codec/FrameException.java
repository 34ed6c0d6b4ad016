package io.warren.codec;

/**
 * A wire-level error that closes the connection. {@link #replyText()} is the complete text for connection.close,
 * e.g. {@code "FRAME_ERROR - type 9, all octets = <<>>: unknown_frame"}.
 *
 * <p>No stack trace is captured: this is the expected outcome of bad peer input, not a bug, and garbage on a
 * socket should not cost a stack walk.
 */
public final class FrameException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int replyCode;
    private final String replyText;
    private final int classId;
    private final int methodId;

    public FrameException(int replyCode, String replyText) {
        this(replyCode, replyText, 0, 0);
    }

    /** With the class/method that failed, for the class-id/method-id fields of connection.close. */
    public FrameException(int replyCode, String replyText, int classId, int methodId) {
        super(replyText, null, false, false);
        this.replyCode = replyCode;
        this.replyText = ReplyText.fit(replyText);
        this.classId = classId;
        this.methodId = methodId;
    }

    public int replyCode() {
        return replyCode;
    }

    public String replyText() {
        return replyText;
    }

    /** Class id of the method that caused the error, 0 if none. */
    public int classId() {
        return classId;
    }

    /** Method id of the method that caused the error, 0 if none. */
    public int methodId() {
        return methodId;
    }
}
