package io.memorystreamer.broker.internal.support;

import io.memorystreamer.spi.storage.LogConfig;
import io.memorystreamer.spi.storage.PartitionId;
import io.memorystreamer.spi.storage.PartitionLog;
import io.memorystreamer.spi.storage.PartitionLogFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A storage view that counts, per method name, the calls the broker makes on the logs it opens;
 * everything is passed on to the real storage.
 */
public final class CallCountingLogs implements PartitionLogFactory {

    private final PartitionLogFactory delegate;
    private final Map<String, AtomicInteger> logCalls = new ConcurrentHashMap<>();

    public CallCountingLogs(PartitionLogFactory delegate) {
        this.delegate = delegate;
    }

    /** How many times the broker called {@code method} on any log opened through this view. */
    public int logCalls(String method) {
        AtomicInteger count = logCalls.get(method);
        return count == null ? 0 : count.get();
    }

    @Override
    public PartitionLog open(PartitionId partition, LogConfig config) {
        PartitionLog log = delegate.open(partition, config);
        return (PartitionLog) Proxy.newProxyInstance(PartitionLog.class.getClassLoader(),
                new Class<?>[] {PartitionLog.class}, (proxy, method, args) -> {
                    logCalls.computeIfAbsent(method.getName(), name -> new AtomicInteger()).incrementAndGet();
                    try {
                        return method.invoke(log, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public void reconfigure(PartitionId partition, LogConfig config) {
        delegate.reconfigure(partition, config);
    }

    @Override
    public Set<PartitionId> existing() {
        return delegate.existing();
    }

    @Override
    public void delete(PartitionId partition) {
        delegate.delete(partition);
    }
}
