package io.memorystreamer.state.rocksdb.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Namespace names and the RocksDB column families that hold them.
 *
 * <p>Each namespace lives in the column family {@code "ns/" + name}. The prefix keeps namespaces
 * apart from RocksDB's own {@code default} family (which holds the store's format marker), so a
 * namespace may itself be called {@code default}.
 */
public final class NamespaceNames {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String FAMILY_PREFIX = "ns/";

    private NamespaceNames() {}

    /**
     * Returns the name if it is a valid namespace name.
     *
     * @throws IllegalArgumentException naming the rule the name breaks
     */
    public static String requireValid(String name) {
        Objects.requireNonNull(name, "namespace name");
        if (!VALID.matcher(name).matches()) {
            throw new IllegalArgumentException("Invalid state namespace name '" + name
                    + "': use 1 to 64 letters, digits, '.', '_' or '-'");
        }
        return name;
    }

    /** The column family name of a valid namespace. */
    public static byte[] columnFamily(String namespace) {
        return (FAMILY_PREFIX + namespace).getBytes(US_ASCII);
    }

    /** The namespace a column family holds, or empty for a family that is not a namespace. */
    public static Optional<String> namespaceOf(byte[] columnFamily) {
        String family = new String(columnFamily, US_ASCII);
        if (!family.startsWith(FAMILY_PREFIX)) {
            return Optional.empty();
        }
        String name = family.substring(FAMILY_PREFIX.length());
        return VALID.matcher(name).matches() ? Optional.of(name) : Optional.empty();
    }
}
