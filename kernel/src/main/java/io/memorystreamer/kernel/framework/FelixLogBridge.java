package io.memorystreamer.kernel.framework;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends Felix's own diagnostics (resolution failures, listener exceptions) to SLF4J. */
final class FelixLogBridge extends org.apache.felix.framework.Logger {

    private static final Logger LOG = LoggerFactory.getLogger("org.apache.felix.framework");

    @Override
    @SuppressWarnings("rawtypes") // Felix declares the raw type
    protected void doLog(Bundle bundle, ServiceReference ref, int level, String msg, Throwable throwable) {
        String message = bundle == null ? msg : msg + " [bundle " + bundle.getSymbolicName() + " " + bundle.getVersion() + "]";
        switch (level) {
            case LOG_ERROR -> LOG.error(message, throwable);
            case LOG_WARNING -> LOG.warn(message, throwable);
            case LOG_INFO -> LOG.info(message, throwable);
            default -> LOG.debug(message, throwable);
        }
    }
}
