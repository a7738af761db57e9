package io.memorystreamer.transport.netty.internal;

import io.netty.channel.DefaultFileRegion;
import java.nio.channels.FileChannel;

/**
 * A file region over a channel that belongs to the storage. It extends {@link DefaultFileRegion}
 * because Netty's epoll transport only uses sendfile for that type, but unlike it, releasing the
 * region leaves the channel open: the log keeps serving reads from the segment.
 */
final class SharedFileRegion extends DefaultFileRegion {

    SharedFileRegion(FileChannel channel, long position, long count) {
        super(channel, position, count);
    }

    @Override
    protected void deallocate() {
        // The channel is owned by the storage; closing it here would break other readers.
    }
}
