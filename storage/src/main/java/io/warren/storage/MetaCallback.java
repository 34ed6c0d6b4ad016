package io.warren.storage;

/** Told once, on the caller's executor, that a metadata change is on disk ({@code failure == null}) or not. */
@FunctionalInterface
public interface MetaCallback {
    void done(Throwable failure);
}
