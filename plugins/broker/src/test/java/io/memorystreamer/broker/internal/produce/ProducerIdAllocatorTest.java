package io.memorystreamer.broker.internal.produce;

import static org.assertj.core.api.Assertions.assertThat;

import io.memorystreamer.broker.internal.fetch.TestStateStore;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProducerIdAllocatorTest {

    @TempDir
    Path directory;

    private TestStateStore store;

    @BeforeEach
    void setUp() {
        store = new TestStateStore(directory);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void reservesIdsInBlocksAndNeverReusesThemAfterARestart() {
        // Given an allocator that handed out 1001 ids
        ProducerIdAllocator allocator = new ProducerIdAllocator(store);
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < ProducerIdAllocator.BLOCK_SIZE + 1; i++) {
            ids.add(allocator.allocate());
        }

        // When the store is reopened and a new allocator starts on it
        store.reopen();
        long afterRestart = new ProducerIdAllocator(store).allocate();

        // Then ids were distinct, two blocks were reserved, and the restart starts a fresh block
        assertThat(ids).hasSize(ProducerIdAllocator.BLOCK_SIZE + 1);
        assertThat(storedCounter()).isEqualTo(3L * ProducerIdAllocator.BLOCK_SIZE);
        assertThat(afterRestart).isEqualTo(2L * ProducerIdAllocator.BLOCK_SIZE);
    }

    @Test
    void writesTheCounterOncePerBlock() {
        // Given an allocator
        ProducerIdAllocator allocator = new ProducerIdAllocator(store);

        // When it hands out the first id
        allocator.allocate();

        // Then the stored counter already covers the whole block
        assertThat(storedCounter()).isEqualTo(ProducerIdAllocator.BLOCK_SIZE);
    }

    private long storedCounter() {
        return ProducerIdAllocator.decode(store.namespace(ProducerIdAllocator.NAMESPACE)
                .get(ProducerIdAllocator.KEY).orElseThrow());
    }
}
