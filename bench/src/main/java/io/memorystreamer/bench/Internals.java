package io.memorystreamer.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;

/**
 * Handles on the package-private classes of the broker and storage bundles, so the benchmarks run
 * their real code rather than copies. On a flat class path every package is open, and a handle kept
 * in a {@code static final} field is inlined by the JIT like a direct call.
 */
final class Internals {

    private Internals() {
    }

    /** A static or instance method (an instance method takes its receiver first). */
    static MethodHandle method(String className, String name, Class<?>... parameterTypes) {
        try {
            Method method = Class.forName(className).getDeclaredMethod(name, parameterTypes);
            method.setAccessible(true);
            return MethodHandles.lookup().unreflect(method);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot reach " + className + "." + name, e);
        }
    }

    static MethodHandle constructor(String className, Class<?>... parameterTypes) {
        try {
            Constructor<?> constructor = Class.forName(className).getDeclaredConstructor(parameterTypes);
            constructor.setAccessible(true);
            return MethodHandles.lookup().unreflectConstructor(constructor);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot reach the constructor of " + className, e);
        }
    }
}
