package io.memorystreamer.itests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One broker process for all tests of a class, in a work directory of its own that is removed
 * afterwards. Register it as {@code @RegisterExtension static final SharedBroker broker = new SharedBroker();}.
 */
public final class SharedBroker implements BeforeAllCallback, AfterAllCallback {

    private Path work;
    private BrokerProcess process;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        work = Files.createTempDirectory("memorystreamer-it-");
        process = BrokerProcess.start(work);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            process.close();
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(SharedBroker::delete);
            }
        }
    }

    /** The running broker. */
    public BrokerProcess process() {
        return process;
    }

    /** The broker's bootstrap address. */
    public String bootstrap() {
        return process.bootstrap();
    }

    /** A directory for the tests' own files (tool inputs and outputs). */
    public Path work() {
        return work;
    }

    private static void delete(Path path) {
        try {
            Files.delete(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
