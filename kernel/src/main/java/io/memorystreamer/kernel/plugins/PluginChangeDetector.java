package io.memorystreamer.kernel.plugins;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns successive snapshots of the plugin directory into changes, FileInstall's way: a new or
 * changed jar is reported only once its size and checksum are the same on two consecutive polls,
 * so a jar still being copied is never installed half-written. Not thread-safe: one poller.
 */
final class PluginChangeDetector {

    /** What was last acted on per file (installed, updated, or refused as broken). */
    private final Map<Path, JarFingerprint> applied = new HashMap<>();
    /** Files whose content differs from {@link #applied}, as seen at the previous poll. */
    private final Map<Path, JarFingerprint> pending = new HashMap<>();

    /** Records a jar acted on outside polling (the initial installation). */
    void markApplied(Path jar, JarFingerprint fingerprint) {
        applied.put(jar, fingerprint);
    }

    /** The fingerprint last acted on, whose checksum a new poll may reuse. */
    JarFingerprint applied(Path jar) {
        return applied.get(jar);
    }

    /**
     * Compares a snapshot with the previous ones. Removals come first, so a jar renamed to a new
     * name is uninstalled before its new name is installed.
     */
    List<PluginChange> poll(Map<Path, JarFingerprint> snapshot) {
        List<PluginChange> changes = new ArrayList<>();
        for (Path known : List.copyOf(applied.keySet())) {
            if (!snapshot.containsKey(known)) {
                applied.remove(known);
                changes.add(new PluginChange(PluginChange.Kind.REMOVED, known));
            }
        }
        pending.keySet().retainAll(snapshot.keySet());
        for (Map.Entry<Path, JarFingerprint> entry : new TreeMap<>(snapshot).entrySet()) {
            Path jar = entry.getKey();
            JarFingerprint now = entry.getValue();
            JarFingerprint done = applied.get(jar);
            if (now.sameContent(done)) {
                applied.put(jar, now); // a touch: remember the new attributes, nothing to do
                pending.remove(jar);
                continue;
            }
            JarFingerprint before = pending.put(jar, now);
            if (now.sameContent(before)) {
                pending.remove(jar);
                applied.put(jar, now);
                changes.add(new PluginChange(done == null ? PluginChange.Kind.ADDED : PluginChange.Kind.CHANGED, jar));
            }
        }
        return changes;
    }
}
