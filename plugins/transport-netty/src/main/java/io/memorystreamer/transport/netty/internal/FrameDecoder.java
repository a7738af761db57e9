package io.memorystreamer.transport.netty.internal;

import io.memorystreamer.spi.transport.ConnectionInfo;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits the byte stream into frames: a 4-byte big-endian size, then that many bytes. Emits each
 * body as a retained slice of the read buffer (no copy). A size that is negative or above
 * {@code socket.request.max.bytes} closes the connection: the stream cannot be resynchronised.
 */
final class FrameDecoder extends ByteToMessageDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(FrameDecoder.class);
    private static final int SIZE_PREFIX_BYTES = 4;

    private final ConnectionInfo connection;
    private final int maxFrameBytes;
    private boolean rejected;

    FrameDecoder(ConnectionInfo connection, int maxFrameBytes) {
        this.connection = connection;
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (rejected) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < SIZE_PREFIX_BYTES) {
            return;
        }
        int size = in.getInt(in.readerIndex());
        if (size < 0 || size > maxFrameBytes) {
            reject(ctx, in, size);
            return;
        }
        if (in.readableBytes() - SIZE_PREFIX_BYTES < size) {
            return;
        }
        in.skipBytes(SIZE_PREFIX_BYTES);
        out.add(in.readRetainedSlice(size));
    }

    private void reject(ChannelHandlerContext ctx, ByteBuf in, int size) {
        rejected = true;
        in.skipBytes(in.readableBytes());
        if (size < 0) {
            LOG.warn("Closing connection {} from {}: frame size {} is negative",
                    connection.connectionId(), Addresses.format(connection.remoteAddress()), size);
        } else {
            LOG.warn("Closing connection {} from {}: frame of {} bytes exceeds socket.request.max.bytes={}",
                    connection.connectionId(), Addresses.format(connection.remoteAddress()), size, maxFrameBytes);
        }
        ctx.close();
    }
}
