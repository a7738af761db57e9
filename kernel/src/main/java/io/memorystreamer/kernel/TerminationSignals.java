package io.memorystreamer.kernel;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;

/**
 * Runs an action on SIGTERM and SIGINT instead of the JVM's default, which would exit with status
 * 143 even after a clean stop. Operators and scripts read a clean stop as exit status 0.
 *
 * <p>The handler API ({@code sun.misc.Signal}, module {@code jdk.unsupported}) is reached
 * reflectively so the build does not compile against JDK-internal API. Where it is missing, the
 * JVM's default handling stays, and the shutdown hook still stops the broker cleanly.
 */
final class TerminationSignals {

    private TerminationSignals() {
    }

    /** Installs {@code action} for TERM and INT; returns false if this JVM offers no handler API. */
    static boolean onTermination(Runnable action) {
        try {
            Class<?> signalType = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            InvocationHandler invocation = (proxy, method, args) -> {
                if (method.getName().equals("handle")) {
                    action.run();
                    return null;
                }
                return switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> "termination signal handler";
                };
            };
            Object handler = Proxy.newProxyInstance(TerminationSignals.class.getClassLoader(), new Class<?>[] {handlerType}, invocation);
            for (String name : new String[] {"TERM", "INT"}) {
                Object signal = signalType.getConstructor(String.class).newInstance(name);
                signalType.getMethod("handle", signalType, handlerType).invoke(null, signal, handler);
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
