package io.memorystreamer.kernel.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PluginChangeDetectorTest {

    private static final Path A = Path.of("/plugins/a.jar");
    private static final Path B = Path.of("/plugins/b.jar");

    private final PluginChangeDetector detector = new PluginChangeDetector();

    private static JarFingerprint content(long size, long checksum) {
        return new JarFingerprint(size, checksum, FileTime.fromMillis(size * 31 + checksum), "inode-" + checksum);
    }

    @Test
    void newJarIsAddedOnlyOnceStableAcrossTwoPolls() {
        // Given a jar that is still growing
        assertThat(detector.poll(Map.of(A, content(100, 1)))).isEmpty();
        assertThat(detector.poll(Map.of(A, content(200, 2)))).isEmpty();

        // When it is the same on the next poll
        // Then it is added, once
        assertThat(detector.poll(Map.of(A, content(200, 2)))).containsExactly(new PluginChange(PluginChange.Kind.ADDED, A));
        assertThat(detector.poll(Map.of(A, content(200, 2)))).isEmpty();
    }

    @Test
    void changedJarIsReportedOnceStable() {
        // Given an applied jar
        detector.markApplied(A, content(100, 1));

        // When its content changes and stays changed
        assertThat(detector.poll(Map.of(A, content(100, 9)))).isEmpty();

        // Then it is reported changed
        assertThat(detector.poll(Map.of(A, content(100, 9)))).containsExactly(new PluginChange(PluginChange.Kind.CHANGED, A));
    }

    @Test
    void touchedJarWithSameContentIsNotAChange() {
        detector.markApplied(A, content(100, 1));
        JarFingerprint touched = new JarFingerprint(100, 1, FileTime.fromMillis(5), "other-inode");

        assertThat(detector.poll(Map.of(A, touched))).isEmpty();
        assertThat(detector.poll(Map.of(A, touched))).isEmpty();
        assertThat(detector.applied(A)).isEqualTo(touched);
    }

    @Test
    void deletedJarIsRemovedAtOnceAndBeforeAdditions() {
        // Given an applied jar A and a new jar B seen once
        detector.markApplied(A, content(100, 1));
        detector.poll(Map.of(A, content(100, 1), B, content(50, 5)));

        // When A disappears while B is stable
        // Then A's removal comes first
        assertThat(detector.poll(Map.of(B, content(50, 5)))).containsExactly(
                new PluginChange(PluginChange.Kind.REMOVED, A),
                new PluginChange(PluginChange.Kind.ADDED, B));
    }

    @Test
    void jarDeletedWhilePendingIsForgotten() {
        detector.poll(Map.of(A, content(100, 1)));
        assertThat(detector.poll(Map.of())).isEmpty();

        // A jar reappearing later needs two polls again
        assertThat(detector.poll(Map.of(A, content(100, 1)))).isEmpty();
    }
}
