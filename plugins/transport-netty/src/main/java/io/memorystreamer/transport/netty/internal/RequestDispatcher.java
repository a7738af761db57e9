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
 * Feeds one connection's frames to its {@link ConnectionHandler} in arrival order and writes the
 * replies back in that order. The handler sets how many frames may be handed over before the
 * earliest completes ({@link ConnectionHandler#maxFramesInFlight()}): with 1 each frame waits for
 * the previous stage, with more a pipelining client's requests reach the handler while earlier ones
 * are processed. The channel runs with auto-read off and reads only while the connection holds
 * little: nothing at all for a one-at-a-time handler, else at most {@link #MAX_FRAMES_HELD} frames
 * and about {@link #READ_AHEAD_BYTES} bytes (frames are held until their reply is written). No
 * frame is handed over while the channel is not writable, so a client that does not read its
 * replies stops being served.
 *
 * <p>Confined to the channel's event loop: handler stages that complete on other threads hop
 * back to it before touching any state here.
 */
final class RequestDispatcher extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);
    /** Frames one connection holds at most (read, handed over, or waiting for their reply's write). */
    static final int MAX_FRAMES_HELD = 16;
    /** A pipelining connection reads ahead only while the frames it holds stay below this. */
    static final int READ_AHEAD_BYTES = 1 << 20;

    /** A frame handed to the handler, with its reply once the stage completed. */
    private static final class Request {
        final ByteBuf frame;
        boolean completed;
        Reply reply;
        Throwable error;
        boolean released;

        Request(ByteBuf frame) {
            this.frame = frame;
        }
    }

    private final ConnectionInfo connection;
    private final ConnectionHandler handler;
    private final BusyConnections busyConnections;
    private final int maxInFlight;
    /** Read, not yet handed over. */
    private final ArrayDeque<ByteBuf> queued = new ArrayDeque<>();
    /**
     * Handed over, in request order, until their reply is handed to the channel: replies leave
     * in order, so this is what the handler's in-flight allowance counts.
     */
    private final ArrayDeque<Request> inFlight = new ArrayDeque<>();
    /** Replies handed to the channel, in order, until written. */
    private final ArrayDeque<Request> writing = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private long heldBytes;
    /** Guards {@link #processQueue} against re-entry when a stage and its write complete inline. */
    private boolean processing;
    private boolean closing;
    private boolean closed;
    private boolean countedBusy;

    RequestDispatcher(ConnectionInfo connection, ConnectionHandler handler, BusyConnections busyConnections) {
        this.connection = connection;
        this.handler = handler;
        this.busyConnections = busyConnections;
        this.maxInFlight = Math.clamp(handler.maxFramesInFlight(), 1, MAX_FRAMES_HELD);
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
        heldBytes += frame.readableBytes();
        processQueue();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        readMoreIfRoom();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            processQueue();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            // A request may legitimately take long (a long-polling fetch): only idle means idle.
            if (heldFrames() == 0) {
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
            heldBytes -= frame.readableBytes();
            frame.release();
        }
        // Completed requests are released now; pending ones when their stage completes, and
        // replies being written when their write fails.
        inFlight.removeIf(request -> {
            if (request.completed) {
                release(request);
            }
            return request.completed;
        });
        updateBusy();
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
            boolean progress = true;
            while (progress && !closed && !closing) {
                progress = false;
                while (canHandOver()) {
                    dispatch(queued.poll());
                    progress = true;
                }
                progress |= writeCompletedReplies();
            }
        } finally {
            processing = false;
        }
        updateBusy();
        readMoreIfRoom();
    }

    private boolean canHandOver() {
        return !closed && !closing && !queued.isEmpty() && inFlight.size() < maxInFlight
                && (inFlight.isEmpty() && writing.isEmpty() || ctx.channel().isWritable());
    }

    private void dispatch(ByteBuf frame) {
        Request request = new Request(frame);
        inFlight.add(request);
        CompletionStage<Reply> stage;
        try {
            stage = handler.handle(frame.nioBuffer());
        } catch (RuntimeException e) {
            stageDone(request, null, e);
            return;
        }
        if (stage == null) {
            stageDone(request, null, new IllegalStateException("ConnectionHandler.handle returned null"));
            return;
        }
        EventLoop loop = ctx.channel().eventLoop();
        stage.whenComplete((reply, error) -> {
            if (loop.inEventLoop()) {
                stageDone(request, reply, error);
                return;
            }
            try {
                loop.execute(() -> stageDone(request, reply, error));
            } catch (RejectedExecutionException e) {
                // The transport has stopped; nobody will write this reply.
                request.frame.release();
            }
        });
    }

    private void stageDone(Request request, Reply reply, Throwable error) {
        request.completed = true;
        request.reply = reply;
        request.error = error;
        if (closed) {
            release(request);
            inFlight.remove(request);
            return;
        }
        processQueue();
    }

    /**
     * Hands the replies of the completed requests at the head of the order to the channel.
     *
     * @return whether any request left the in-flight queue
     */
    private boolean writeCompletedReplies() {
        boolean progress = false;
        boolean wrote = false;
        while (!closed && !closing && !inFlight.isEmpty() && inFlight.peek().completed) {
            Request request = inFlight.poll();
            progress = true;
            wrote |= reply(request);
        }
        if (wrote) {
            ctx.flush();
        }
        return progress;
    }

    /** @return whether something was written to the channel (not yet flushed) */
    private boolean reply(Request request) {
        Throwable error = request.error;
        Reply reply = request.reply;
        if (error == null && reply == null) {
            error = new IllegalStateException("ConnectionHandler completed a request with no reply");
        }
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            LOG.warn("Closing connection {} from {}: request failed", connection.connectionId(), remote(), cause);
            release(request);
            closeAfterWrites();
            return false;
        }
        return switch (reply) {
            case Reply.Frame response -> write(request, response);
            case Reply.None none -> {
                release(request);
                yield false;
            }
            case Reply.Close close -> {
                LOG.info("Closing connection {} from {}: {}", connection.connectionId(), remote(), close.reason());
                release(request);
                closeAfterWrites();
                yield false;
            }
        };
    }

    /** Closes once the replies already handed to the channel are flushed. */
    private void closeAfterWrites() {
        closing = true;
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private boolean write(Request request, Reply.Frame response) {
        long size = 0;
        for (LogChunk part : response.parts()) {
            size += part.sizeInBytes();
        }
        if (size > Integer.MAX_VALUE) {
            request.error = new IllegalStateException("reply of " + size + " bytes does not fit a frame");
            request.reply = null;
            return reply(request);
        }
        List<Object> messages = new ArrayList<>(response.parts().size());
        try {
            for (LogChunk part : response.parts()) {
                messages.add(toMessage(part));
            }
        } catch (RuntimeException e) {
            messages.forEach(ReferenceCountUtil::release);
            request.error = e;
            request.reply = null;
            return reply(request);
        }
        writing.add(request);
        ChannelFuture last = ctx.write(ctx.alloc().buffer(4).writeInt((int) size));
        for (Object message : messages) {
            // A failed part must not be followed by the next one: that would corrupt the stream.
            last.addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            last = ctx.write(message);
        }
        last.addListener((ChannelFuture written) -> onWritten(request, written));
        return true;
    }

    private static Object toMessage(LogChunk part) {
        return switch (part) {
            case LogChunk.Bytes bytes -> Unpooled.wrappedBuffer(bytes.buffer());
            case LogChunk.FileRegion region -> new SharedFileRegion(region.channel(), region.position(), region.size());
        };
    }

    /** The reply is on the wire (or failed): its frame is no longer held. */
    private void onWritten(Request request, ChannelFuture written) {
        writing.remove(request);
        release(request);
        if (!written.isSuccess()) {
            if (!closed && !closing) {
                LOG.debug("Closing connection {} from {}: writing a reply failed: {}",
                        connection.connectionId(), remote(), String.valueOf(written.cause()));
                closing = true;
                ctx.close();
            }
            return;
        }
        processQueue();
    }

    private void release(Request request) {
        if (!request.released) {
            request.released = true;
            heldBytes -= request.frame.readableBytes();
            request.frame.release();
        }
    }

    private int heldFrames() {
        return queued.size() + inFlight.size() + writing.size();
    }

    /**
     * Asks for more bytes when the connection holds nothing, or, for a pipelining handler, while
     * it holds less than its read-ahead allowance.
     */
    private void readMoreIfRoom() {
        if (closed || closing) {
            return;
        }
        int held = heldFrames();
        if (held == 0 || maxInFlight > 1 && held < MAX_FRAMES_HELD && heldBytes < READ_AHEAD_BYTES) {
            ctx.read();
        }
    }

    private void updateBusy() {
        boolean busy = !closed && heldFrames() > 0;
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
