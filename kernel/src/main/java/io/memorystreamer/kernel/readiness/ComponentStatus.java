package io.memorystreamer.kernel.readiness;

import java.util.List;

/**
 * The state of one Declarative Services component configuration, as reported by SCR.
 *
 * @param bundle the symbolic name of the bundle that declares the component
 * @param name the component name
 * @param state {@code ACTIVE}, {@code SATISFIED}, {@code UNSATISFIED_REFERENCE},
 *     {@code UNSATISFIED_CONFIGURATION}, {@code FAILED_ACTIVATION} or {@code DISABLED}
 * @param problems why it is not satisfied (empty when it is), one sentence each
 */
public record ComponentStatus(String bundle, String name, String state, List<String> problems) {

    public ComponentStatus {
        problems = List.copyOf(problems);
    }

    /** Whether the component has everything it needs (it may still be waiting for a first user). */
    public boolean satisfied() {
        return state.equals("ACTIVE") || state.equals("SATISFIED");
    }

    @Override
    public String toString() {
        return bundle + "/" + name + " (" + state + ")" + (problems.isEmpty() ? "" : ": " + String.join("; ", problems));
    }
}
