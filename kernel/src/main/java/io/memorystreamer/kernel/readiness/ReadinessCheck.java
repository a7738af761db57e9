package io.memorystreamer.kernel.readiness;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;

/**
 * Waits for the services that make a broker: one per capability, looked up by class name so the
 * kernel never loads plugin API classes.
 */
public final class ReadinessCheck {

    /** The service a transport registers once its listeners are bound. */
    public static final String NETWORK_LISTENERS = "io.memorystreamer.spi.transport.NetworkListeners";

    private final BundleContext context;
    private final Map<String, String> required;

    /**
     * @param required service class name to the capability that provides it, for example
     *     {@code io.memorystreamer.spi.storage.PartitionLogFactory -> storage}
     */
    public ReadinessCheck(BundleContext context, Map<String, String> required) {
        this.context = context;
        this.required = Collections.unmodifiableMap(new LinkedHashMap<>(required));
    }

    /** Waits until every required service is registered or {@code timeout} passes; returns those still missing. */
    public List<String> awaitServices(Duration timeout) throws InterruptedException {
        Semaphore changed = new Semaphore(0);
        ServiceListener listener = event -> changed.release();
        try {
            context.addServiceListener(listener, filter());
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                changed.drainPermits(); // an event after this point wakes the wait below
                List<String> missing = missing();
                long left = deadline - System.nanoTime();
                if (missing.isEmpty() || left <= 0) {
                    return missing;
                }
                changed.tryAcquire(left, TimeUnit.NANOSECONDS);
            }
        } finally {
            context.removeServiceListener(listener);
        }
    }

    /** The required services not registered now, in the order they were given. */
    public List<String> missing() {
        List<String> missing = new ArrayList<>();
        for (String service : required.keySet()) {
            if (reference(service) == null) {
                missing.add(service);
            }
        }
        return missing;
    }

    /** The capability that should provide {@code service}. */
    public String capabilityOf(String service) {
        return required.getOrDefault(service, "plugin");
    }

    /**
     * The endpoints the transport bound, each in Kafka's listener syntax; empty when no
     * {@link #NETWORK_LISTENERS} service is registered.
     */
    public List<String> endpoints() {
        ServiceReference<?> ref = reference(NETWORK_LISTENERS);
        if (ref == null) {
            return List.of();
        }
        Object service = context.getService(ref);
        try {
            if (service == null) {
                return List.of();
            }
            // Through the interface as the providing bundle sees it: the class itself may be private.
            Method endpoints = ref.getBundle().loadClass(NETWORK_LISTENERS).getMethod("endpoints");
            return ((List<?>) endpoints.invoke(service)).stream().map(String::valueOf).toList();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read endpoints from " + NETWORK_LISTENERS + ": " + e, e);
        } finally {
            context.ungetService(ref);
        }
    }

    private ServiceReference<?> reference(String service) {
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(service, null);
            return refs == null ? null : refs[0];
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private String filter() {
        return required.keySet().stream().sorted()
                .map(service -> "(objectClass=" + service + ")")
                .collect(Collectors.joining("", "(|", ")"));
    }
}
