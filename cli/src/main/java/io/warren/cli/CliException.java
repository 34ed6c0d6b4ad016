package io.warren.cli;

/**
 * A failure with the exit code rabbitmqctl would use (sysexits.h): 64 usage, 65 data error,
 * 69 unavailable (node down, object missing), 70 internal error, 75 timeout, 77 no permission.
 */
public final class CliException extends RuntimeException {
    public static final int USAGE = 64;
    public static final int DATAERR = 65;
    public static final int UNAVAILABLE = 69;
    public static final int SOFTWARE = 70;
    public static final int TEMPFAIL = 75;
    public static final int NOPERM = 77;

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
