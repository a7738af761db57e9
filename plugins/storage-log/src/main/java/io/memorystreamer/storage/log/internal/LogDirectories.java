package io.memorystreamer.storage.log.internal;

import io.memorystreamer.spi.storage.PartitionId;
import io.memorystreamer.spi.storage.StorageException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log directories ({@code log.dirs}) and the partition directories in them, named
 * {@code <topic>-<partition>} as Kafka names them. Other entries are left alone: names starting
 * with {@code .} (the state store keeps {@code .state} in the first directory) and names that do
 * not parse. A deleted partition's directory is first renamed {@code <name>.<uuid>-delete}, so a
 * crash half-way through never leaves something that looks like a log.
 */
final class LogDirectories {

    private static final Logger LOG = LoggerFactory.getLogger(LogDirectories.class);
    private static final String DELETE_SUFFIX = "-delete";
    private static final java.util.regex.Pattern DELETED_DIRECTORY =
            java.util.regex.Pattern.compile("[^.].*\\.[0-9a-f]{32}" + DELETE_SUFFIX);

    private final List<Path> roots;

    LogDirectories(List<Path> roots) throws IOException {
        this.roots = List.copyOf(roots);
        for (Path root : this.roots) {
            Files.createDirectories(root);
            removeLeftoverDeletions(root);
        }
    }

    List<Path> roots() {
        return roots;
    }

    /** The directory name of a partition's log. */
    static String directoryName(PartitionId partition) {
        return partition.topic() + "-" + partition.partition();
    }

    /** The partition a directory name stands for, if it is one. */
    static Optional<PartitionId> parse(String name) {
        if (name.startsWith(".")) {
            return Optional.empty();
        }
        int dash = name.lastIndexOf('-');
        if (dash <= 0 || dash == name.length() - 1) {
            return Optional.empty();
        }
        String number = name.substring(dash + 1);
        for (int i = 0; i < number.length(); i++) {
            if (number.charAt(i) < '0' || number.charAt(i) > '9') {
                return Optional.empty();
            }
        }
        if (number.length() > 1 && number.charAt(0) == '0') {
            return Optional.empty();
        }
        try {
            return Optional.of(new PartitionId(name.substring(0, dash), Integer.parseInt(number)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Rejects topic names that cannot safely name a directory: Kafka's legal characters only,
     * and no leading dot (such directories are reserved and would be invisible to {@link #existing()}).
     */
    static void checkTopicName(String topic) {
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            boolean legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!legal) {
                throw new StorageException("topic name '" + topic + "' has a character not allowed in a log "
                        + "directory name: '" + c + "'");
            }
        }
        if (topic.startsWith(".")) {
            throw new StorageException("topic name '" + topic + "' starts with '.', which log directories reserve");
        }
    }

    /** The partition's directory in whichever log directory holds it. */
    Optional<Path> locate(PartitionId partition) {
        String name = directoryName(partition);
        for (Path root : roots) {
            Path candidate = root.resolve(name);
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The directory for a new partition: in the log directory holding the fewest partitions. */
    Path place(PartitionId partition) throws IOException {
        Path best = roots.getFirst();
        long fewest = Long.MAX_VALUE;
        for (Path root : roots) {
            long count = partitionsIn(root).size();
            if (count < fewest) {
                fewest = count;
                best = root;
            }
        }
        return best.resolve(directoryName(partition));
    }

    /** Every partition with a directory in any log directory. */
    Set<PartitionId> existing() throws IOException {
        Set<PartitionId> all = new HashSet<>();
        for (Path root : roots) {
            all.addAll(partitionsIn(root));
        }
        return all;
    }

    /**
     * Renames the partition's directory out of the way, durably: from then on the partition does
     * not exist, and a crash before its files are removed leaves only a leftover that the next
     * start removes.
     *
     * @return the renamed directory, to delete; empty if there was none
     */
    Optional<Path> retire(PartitionId partition) throws IOException {
        Optional<Path> dir = locate(partition);
        if (dir.isEmpty()) {
            return Optional.empty();
        }
        Path doomed = dir.get().resolveSibling(dir.get().getFileName() + "." + UUID.randomUUID().toString()
                .replace("-", "") + DELETE_SUFFIX);
        Files.move(dir.get(), doomed);
        Directories.force(dir.get().getParent());
        return Optional.of(doomed);
    }

    private static Set<PartitionId> partitionsIn(Path root) throws IOException {
        Set<PartitionId> found = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path entry : entries) {
                parse(entry.getFileName().toString()).ifPresent(found::add);
            }
        }
        return found;
    }

    private static void removeLeftoverDeletions(Path root) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root,
                entry -> DELETED_DIRECTORY.matcher(entry.getFileName().toString()).matches()
                        && Files.isDirectory(entry))) {
            for (Path entry : entries) {
                Directories.deleteRecursively(entry);
            }
        } catch (IOException e) {
            LOG.warn("Could not remove the leftovers of deleted partition logs: dir={} error={}", root, e.toString());
        }
    }
}
