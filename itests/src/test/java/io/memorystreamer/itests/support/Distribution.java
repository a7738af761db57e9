package io.memorystreamer.itests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** The distribution directory built by distributions/minimal. */
public final class Distribution {

    private Distribution() {
    }

    public static Path directory() {
        String dir = System.getProperty("memorystreamer.distribution");
        if (dir == null || !Files.isDirectory(Path.of(dir))) {
            throw new IllegalStateException("system property memorystreamer.distribution must name the built distribution"
                    + " directory (run through Maven: mvn verify), was " + dir);
        }
        return Path.of(dir);
    }

    /** Copies the distribution so a test can change its config and plugins without affecting others. */
    public static Path copyTo(Path target) {
        Path source = directory();
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path dest = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(file, dest, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }
}
