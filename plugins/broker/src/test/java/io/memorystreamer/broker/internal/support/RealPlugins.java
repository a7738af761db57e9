package io.memorystreamer.broker.internal.support;

import io.memorystreamer.spi.state.StateStore;
import io.memorystreamer.spi.storage.PartitionLogFactory;
import io.memorystreamer.state.rocksdb.RocksDbStateStore;
import io.memorystreamer.storage.log.SegmentedLogFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * The real storage and state components, activated and deactivated the way Declarative Services
 * does it (their lifecycle methods are not public, so SCR and this helper call them reflectively).
 */
public final class RealPlugins implements AutoCloseable {

    private final SegmentedLogFactory logs;
    private final RocksDbStateStore state;

    private RealPlugins(SegmentedLogFactory logs, RocksDbStateStore state) {
        this.logs = logs;
        this.state = state;
    }

    /** Activates both components with the server configuration (it must name {@code log.dirs}). */
    public static RealPlugins start(Map<String, Object> configuration) {
        RocksDbStateStore state = new RocksDbStateStore(configuration);
        SegmentedLogFactory logs = new SegmentedLogFactory();
        call(logs, "activate", configuration);
        return new RealPlugins(logs, state);
    }

    public PartitionLogFactory logs() {
        return logs;
    }

    public StateStore state() {
        return state;
    }

    @Override
    public void close() {
        call(logs, "deactivate", null);
        call(state, "deactivate", null);
    }

    private static void call(Object component, String method, Map<String, Object> configuration) {
        try {
            Method m = configuration == null
                    ? component.getClass().getDeclaredMethod(method)
                    : component.getClass().getDeclaredMethod(method, Map.class);
            m.setAccessible(true);
            if (configuration == null) {
                m.invoke(component);
            } else {
                m.invoke(component, configuration);
            }
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot call " + method + " of " + component.getClass().getName(), e);
        }
    }
}
