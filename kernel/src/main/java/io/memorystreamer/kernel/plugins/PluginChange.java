package io.memorystreamer.kernel.plugins;

import java.nio.file.Path;

/**
 * A change to the plugin directory that is ready to be applied.
 *
 * @param kind what happened to the file
 * @param jar the file
 */
record PluginChange(Kind kind, Path jar) {

    enum Kind {
        /** A jar appeared and its content was the same on two consecutive polls. */
        ADDED,
        /** A known jar's content changed and was the same on two consecutive polls. */
        CHANGED,
        /** A known jar disappeared. */
        REMOVED
    }
}
