package io.memorystreamer.spi.storage;

/** A read asked for an offset below the log start offset or above the log end offset. */
public class OffsetOutOfRangeException extends StorageException {

    private static final long serialVersionUID = 1L;

    public OffsetOutOfRangeException(String message) {
        super(message);
    }
}
