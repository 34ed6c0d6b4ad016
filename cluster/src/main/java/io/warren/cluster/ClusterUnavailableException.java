package io.warren.cluster;

/** A change could not be committed in time: no leader, or no majority of members answering. */
public final class ClusterUnavailableException extends RuntimeException {
    public ClusterUnavailableException(String message) {
        super(message, null, false, false);
    }
}
