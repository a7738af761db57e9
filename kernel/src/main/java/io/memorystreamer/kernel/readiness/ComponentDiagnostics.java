package io.memorystreamer.kernel.readiness;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * Reads the state of every Declarative Services component from SCR's
 * {@code ServiceComponentRuntime} service. The kernel does not share the DS API classes with the
 * bundles (they come from a bundle in {@code bundles/}), so it calls the service and reads its
 * DTOs' public fields reflectively, through the API classes SCR itself sees.
 */
public final class ComponentDiagnostics {

    static final String RUNTIME = "org.osgi.service.component.runtime.ServiceComponentRuntime";
    private static final String DESCRIPTION_DTO = "org.osgi.service.component.runtime.dto.ComponentDescriptionDTO";

    private ComponentDiagnostics() {
    }

    /** Every component configuration, or empty when no SCR is running. */
    public static Optional<List<ComponentStatus>> components(BundleContext context) {
        ServiceReference<?> ref = runtimeReference(context);
        if (ref == null) {
            return Optional.empty();
        }
        Object runtime = context.getService(ref);
        if (runtime == null) {
            return Optional.empty();
        }
        try {
            Class<?> api = ref.getBundle().loadClass(RUNTIME);
            Class<?> descriptionType = ref.getBundle().loadClass(DESCRIPTION_DTO);
            Method descriptions = api.getMethod("getComponentDescriptionDTOs", Bundle[].class);
            Method configurations = api.getMethod("getComponentConfigurationDTOs", descriptionType);
            Method enabled = api.getMethod("isComponentEnabled", descriptionType);
            List<ComponentStatus> statuses = new ArrayList<>();
            for (Object description : (Collection<?>) descriptions.invoke(runtime, (Object) new Bundle[0])) {
                Collection<?> configs = (Collection<?>) configurations.invoke(runtime, description);
                boolean isEnabled = (Boolean) enabled.invoke(runtime, description);
                statuses.addAll(statuses(description, configs, isEnabled));
            }
            return Optional.of(statuses);
        } catch (ReflectiveOperationException e) {
            Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
            throw new IllegalStateException("cannot read components from SCR: " + cause, cause);
        } finally {
            context.ungetService(ref);
        }
    }

    private static ServiceReference<?> runtimeReference(BundleContext context) {
        try {
            // "All": the kernel has no wiring to the DS API package, so skip the class-space check.
            ServiceReference<?>[] refs = context.getAllServiceReferences(RUNTIME, null);
            return refs == null ? null : refs[0];
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<ComponentStatus> statuses(Object description, Collection<?> configs, boolean enabled)
            throws ReflectiveOperationException {
        String name = (String) field(description, "name");
        String bundle = (String) field(field(description, "bundle"), "symbolicName");
        if (!enabled) {
            return List.of(new ComponentStatus(bundle, name, "DISABLED", List.of("the component is disabled")));
        }
        if (configs.isEmpty()) {
            return List.of(new ComponentStatus(bundle, name, "UNSATISFIED_CONFIGURATION",
                    List.of(waitingForConfiguration(description))));
        }
        List<ComponentStatus> statuses = new ArrayList<>();
        for (Object config : configs) {
            int state = (Integer) field(config, "state");
            List<String> problems = switch (state) {
                case 1 -> List.of(waitingForConfiguration(description));
                case 2 -> unsatisfiedReferences(description, config);
                case 16 -> List.of("activation failed: " + field(config, "failure"));
                default -> List.of();
            };
            statuses.add(new ComponentStatus(bundle, name, stateName(state), problems));
        }
        return statuses;
    }

    private static String waitingForConfiguration(Object description) throws ReflectiveOperationException {
        String[] pids = (String[]) field(description, "configurationPid");
        return "waiting for configuration " + String.join(", ", pids)
                + " (policy " + field(description, "configurationPolicy") + ")";
    }

    private static List<String> unsatisfiedReferences(Object description, Object config) throws ReflectiveOperationException {
        List<String> problems = new ArrayList<>();
        for (Object unsatisfied : array(field(config, "unsatisfiedReferences"))) {
            String reference = (String) field(unsatisfied, "name");
            String target = (String) field(unsatisfied, "target");
            problems.add("reference " + reference + " (" + interfaceOf(description, reference) + ")"
                    + (target == null ? "" : " with target " + target) + " has no matching service");
        }
        return problems;
    }

    private static String interfaceOf(Object description, String reference) throws ReflectiveOperationException {
        for (Object declared : array(field(description, "references"))) {
            if (reference.equals(field(declared, "name"))) {
                return (String) field(declared, "interfaceName");
            }
        }
        return "?";
    }

    private static String stateName(int state) {
        return switch (state) {
            case 1 -> "UNSATISFIED_CONFIGURATION";
            case 2 -> "UNSATISFIED_REFERENCE";
            case 4 -> "SATISFIED";
            case 8 -> "ACTIVE";
            case 16 -> "FAILED_ACTIVATION";
            default -> "state " + state;
        };
    }

    private static Object field(Object dto, String name) throws ReflectiveOperationException {
        return dto.getClass().getField(name).get(dto);
    }

    private static List<Object> array(Object array) {
        if (array == null) {
            return List.of();
        }
        Object[] copy = new Object[Array.getLength(array)];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = Array.get(array, i);
        }
        return Arrays.asList(copy);
    }
}
