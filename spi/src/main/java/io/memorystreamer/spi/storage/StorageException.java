package io.memorystreamer.spi.storage;

/** A storage operation failed. Subclasses say why, so the broker can map them to Kafka errors. */
public class StorageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
