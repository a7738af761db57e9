/**
 * Internals of the segmented partition log: segments, indexes, recovery, retention and the
 * background threads. Private to the bundle.
 */
package io.memorystreamer.storage.log.internal;
