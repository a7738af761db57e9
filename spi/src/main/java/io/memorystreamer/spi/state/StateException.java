package io.memorystreamer.spi.state;

/** A state store operation failed (I/O, corruption, closed store). */
public class StateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StateException(String message) {
        super(message);
    }

    public StateException(String message, Throwable cause) {
        super(message, cause);
    }
}
