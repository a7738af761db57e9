package io.memorystreamer.transport.netty.internal;

import io.memorystreamer.spi.storage.LogChunk;
import io.memorystreamer.spi.transport.ConnectionHandler;
import io.memorystreamer.spi.transport.ConnectionInfo;
import io.memorystreamer.spi.transport.Reply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds one connection's frames to its {@link ConnectionHandler} one at a time, in order, and
 * writes each reply before taking the next frame, so pipelined requests are answered in request
 * order. While a request is in flight the connection does not read (the channel runs with
 * auto-read off); frames already decoded wait in a queue bounded by one socket read.
 *
 * <p>Confined to the channel's event loop: handler stages that complete on other threads hop
 * back to it before touching any state here.
 */
final class RequestDispatcher extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);

    private final ConnectionInfo connection;
    private final ConnectionHandler handler;
    private final BusyConnections busyConnections;
    private final ArrayDeque<ByteBuf> queued = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    /** The frame whose stage is pending or whose reply is being written; null when idle. */
    private ByteBuf inFlight;
    /** Guards {@link #processQueue} against re-entry when a stage and its write complete inline. */
    private boolean processing;
    private boolean closing;
    private boolean closed;
    private boolean countedBusy;

    RequestDispatcher(ConnectionInfo connection, ConnectionHandler handler, BusyConnections busyConnections) {
        this.connection = connection;
        this.handler = handler;
        this.busyConnections = busyConnections;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        if (closed || closing) {
            frame.release();
            return;
        }
        queued.add(frame);
        processQueue();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        readMoreIfIdle();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            // A request may legitimately take long (a long-polling fetch): only idle means idle.
            if (inFlight == null && queued.isEmpty()) {
                LOG.info("Closing connection {} from {}: idle for longer than connections.max.idle.ms",
                        connection.connectionId(), remote());
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("Closing connection {} from {}: {}", connection.connectionId(), remote(), cause.toString());
        } else {
            LOG.warn("Closing connection {} from {}", connection.connectionId(), remote(), cause);
        }
        ctx.close();
    }

    /** The channel closed, by either side. Called once, on the event loop. */
    void connectionClosed() {
        if (closed) {
            return;
        }
        closed = true;
        ByteBuf frame;
        while ((frame = queued.poll()) != null) {
            frame.release();
        }
        updateBusy();
        // The in-flight stage, if any, is abandoned: its frame is released when it completes.
        try {
            handler.closed();
        } catch (RuntimeException e) {
            LOG.warn("Connection handler of {} failed when told the connection closed", connection.connectionId(), e);
        }
    }

    private void processQueue() {
        if (processing) {
            return;
        }
        processing = true;
        try {
            while (!closed && !closing && inFlight == null && !queued.isEmpty()) {
                dispatch(queued.poll());
            }
        } finally {
            processing = false;
        }
        updateBusy();
        readMoreIfIdle();
    }

    private void dispatch(ByteBuf frame) {
        inFlight = frame;
        CompletionStage<Reply> stage;
        try {
            stage = handler.handle(frame.nioBuffer());
        } catch (RuntimeException e) {
            onReply(frame, null, e);
            return;
        }
        if (stage == null) {
            onReply(frame, null, new IllegalStateException("ConnectionHandler.handle returned null"));
            return;
        }
        EventLoop loop = ctx.channel().eventLoop();
        stage.whenComplete((reply, error) -> {
            if (loop.inEventLoop()) {
                onReply(frame, reply, error);
                return;
            }
            try {
                loop.execute(() -> onReply(frame, reply, error));
            } catch (RejectedExecutionException e) {
                // The transport has stopped; nobody will write this reply.
                frame.release();
            }
        });
    }

    private void onReply(ByteBuf frame, Reply reply, Throwable error) {
        if (closed) {
            finish(frame);
            return;
        }
        if (error == null && reply == null) {
            error = new IllegalStateException("ConnectionHandler completed a request with no reply");
        }
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            LOG.warn("Closing connection {} from {}: request failed", connection.connectionId(), remote(), cause);
            finish(frame);
            closing = true;
            ctx.close();
            return;
        }
        switch (reply) {
            case Reply.Frame response -> write(frame, response);
            case Reply.None none -> {
                finish(frame);
                processQueue();
            }
            case Reply.Close close -> {
                LOG.info("Closing connection {} from {}: {}", connection.connectionId(), remote(), close.reason());
                finish(frame);
                closing = true;
                // Earlier replies are already flushed; the empty write keeps that true for any
                // buffering outbound handler.
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    private void write(ByteBuf frame, Reply.Frame response) {
        long size = 0;
        for (LogChunk part : response.parts()) {
            size += part.sizeInBytes();
        }
        if (size > Integer.MAX_VALUE) {
            onReply(frame, null, new IllegalStateException("reply of " + size + " bytes does not fit a frame"));
            return;
        }
        List<Object> messages = new ArrayList<>(response.parts().size());
        try {
            for (LogChunk part : response.parts()) {
                messages.add(toMessage(part));
            }
        } catch (RuntimeException e) {
            messages.forEach(ReferenceCountUtil::release);
            onReply(frame, null, e);
            return;
        }
        ChannelFuture last = ctx.write(ctx.alloc().buffer(4).writeInt((int) size));
        for (Object message : messages) {
            // A failed part must not be followed by the next one: that would corrupt the stream.
            last.addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            last = ctx.write(message);
        }
        last.addListener((ChannelFuture written) -> onWritten(frame, written));
        ctx.flush();
    }

    private static Object toMessage(LogChunk part) {
        return switch (part) {
            case LogChunk.Bytes bytes -> Unpooled.wrappedBuffer(bytes.buffer());
            case LogChunk.FileRegion region -> new SharedFileRegion(region.channel(), region.position(), region.size());
        };
    }

    /** The reply is on the wire (or failed): only now is the next frame taken. */
    private void onWritten(ByteBuf frame, ChannelFuture written) {
        finish(frame);
        if (!written.isSuccess()) {
            if (!closed) {
                LOG.debug("Closing connection {} from {}: writing a reply failed: {}",
                        connection.connectionId(), remote(), String.valueOf(written.cause()));
                closing = true;
                ctx.close();
            }
            return;
        }
        processQueue();
    }

    private void finish(ByteBuf frame) {
        if (inFlight == frame) {
            inFlight = null;
        }
        frame.release();
    }

    private void readMoreIfIdle() {
        if (!closed && !closing && inFlight == null && queued.isEmpty()) {
            ctx.read();
        }
    }

    private void updateBusy() {
        boolean busy = !closed && (inFlight != null || !queued.isEmpty());
        if (busy != countedBusy) {
            countedBusy = busy;
            if (busy) {
                busyConnections.increment();
            } else {
                busyConnections.decrement();
            }
        }
    }

    private String remote() {
        return Addresses.format(connection.remoteAddress());
    }
}
