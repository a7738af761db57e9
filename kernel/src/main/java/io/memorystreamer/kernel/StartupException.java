package io.memorystreamer.kernel;

/** The kernel could not start; the framework has been stopped again. */
public final class StartupException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why startup failed. */
    public enum Kind {
        /** Everything was installed, but not every required service appeared in time. */
        NOT_READY,
        /** The framework or its bundles could not be set up at all. */
        FAILED
    }

    private final Kind kind;

    public StartupException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
