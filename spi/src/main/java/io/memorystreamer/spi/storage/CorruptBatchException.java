package io.memorystreamer.spi.storage;

/** Bytes handed to {@link PartitionLog#append} are not a sequence of whole, valid v2 batches. */
public class CorruptBatchException extends StorageException {

    private static final long serialVersionUID = 1L;

    public CorruptBatchException(String message) {
        super(message);
    }
}
