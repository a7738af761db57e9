package io.memorystreamer.kernel.plugins;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * What a plugin jar looked like at one poll: its size and content checksum, plus the cheap file
 * attributes that tell whether the checksum must be computed again.
 *
 * @param size the file size in bytes
 * @param checksum CRC-32 of the content
 * @param modified the last-modified time
 * @param fileKey the file system's identity of the file (changes when a file is replaced by rename)
 */
record JarFingerprint(long size, long checksum, FileTime modified, Object fileKey) {

    /**
     * Fingerprints {@code jar}, reusing {@code known}'s checksum when size, modification time and
     * file identity are unchanged, so an unchanged directory costs no reads.
     */
    static JarFingerprint of(Path jar, JarFingerprint known) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(jar, BasicFileAttributes.class);
        if (known != null && known.size == attributes.size() && known.modified.equals(attributes.lastModifiedTime())
                && Objects.equals(known.fileKey, attributes.fileKey())) {
            return known;
        }
        return new JarFingerprint(attributes.size(), crc(jar), attributes.lastModifiedTime(), attributes.fileKey());
    }

    /** Same bytes, as far as size and checksum tell. */
    boolean sameContent(JarFingerprint other) {
        return other != null && size == other.size && checksum == other.checksum;
    }

    private static long crc(Path jar) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(jar)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                crc.update(buffer, 0, n);
            }
        }
        return crc.getValue();
    }
}
