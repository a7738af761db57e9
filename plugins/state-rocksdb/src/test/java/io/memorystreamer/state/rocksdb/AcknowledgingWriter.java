package io.memorystreamer.state.rocksdb;

import io.memorystreamer.spi.state.StateNamespace;
import io.memorystreamer.spi.state.WriteBatch;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Writes to a store until its process is killed, printing the index of each write once it has
 * returned (been acknowledged). {@link KillDurabilityTest} runs it in a child JVM.
 */
final class AcknowledgingWriter {

    private AcknowledgingWriter() {}

    public static void main(String[] args) {
        RocksDbStateStore store = new RocksDbStateStore(Map.of("state.dir", args[0]));
        StateNamespace single = store.namespace("single");
        for (int i = 0; ; i++) {
            byte[] key = key(i);
            single.put(key, key);
            store.write(new WriteBatch().put("left", key, key).put("right", key, key));
            System.out.println("acknowledged " + i);
            System.out.flush();
        }
    }

    static byte[] key(int index) {
        return ByteBuffer.allocate(4).putInt(index).array();
    }
}
