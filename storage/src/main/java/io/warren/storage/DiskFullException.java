package io.warren.storage;

/** A publish was refused because free space in the data directory is below the hard reserve. */
public class DiskFullException extends StorageException {
    public DiskFullException(String message) {
        super(message);
    }
}
