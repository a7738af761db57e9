/**
 * The MemoryStreamer service provider interface.
 *
 * <p>This is the only API that plugins (and third-party vendors) compile against. It contains no
 * OSGi, Netty or kafka-clients types. Each sub-package is versioned independently with semantic
 * versioning: a minor bump adds, a major bump breaks.
 */
package io.memorystreamer.spi;
