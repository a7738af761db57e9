package io.memorystreamer.broker.internal.support;

import io.memorystreamer.spi.storage.LogChunk;
import io.memorystreamer.spi.transport.ConnectionHandler;
import io.memorystreamer.spi.transport.ConnectionInfo;
import io.memorystreamer.spi.transport.FrameHandler;
import io.memorystreamer.spi.transport.Reply;
import io.memorystreamer.spi.transport.SecurityProtocol;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal length-prefixed frame transport for tests: one thread per connection, frames handed to
 * a {@link FrameHandler} exactly as the transport contract says (one at a time, replies in order).
 * It lets real Kafka clients talk to the protocol plugin without the Netty transport.
 */
public final class BlockingSocketServer implements AutoCloseable {

    private final ServerSocketChannel server;
    private final FrameHandler handler;
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread acceptor;

    public BlockingSocketServer(FrameHandler handler) {
        this.handler = handler;
        try {
            server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = Thread.ofPlatform().daemon().name("test-acceptor").start(this::acceptLoop);
    }

    /** host:port for {@code bootstrap.servers}. */
    public String bootstrap() {
        try {
            InetSocketAddress address = (InetSocketAddress) server.getLocalAddress();
            return address.getHostString() + ":" + address.getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel socket = server.accept();
                ConnectionInfo info = new ConnectionInfo("test-" + connections.incrementAndGet(), "PLAINTEXT",
                        SecurityProtocol.PLAINTEXT, (InetSocketAddress) socket.getLocalAddress(),
                        (InetSocketAddress) socket.getRemoteAddress());
                ConnectionHandler connection = handler.open(info);
                Thread.ofPlatform().daemon().name("test-" + info.connectionId()).start(() -> serve(socket, connection));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void serve(SocketChannel socket, ConnectionHandler connection) {
        try (socket) {
            while (true) {
                ByteBuffer size = readFully(socket, ByteBuffer.allocate(4));
                ByteBuffer frame = readFully(socket, ByteBuffer.allocate(size.flip().getInt()));
                Reply reply = connection.handle(frame.flip()).toCompletableFuture().join();
                switch (reply) {
                    case Reply.None none -> {
                    }
                    case Reply.Close close -> {
                        return;
                    }
                    case Reply.Frame out -> write(socket, out);
                }
            }
        } catch (IOException e) {
            // client went away
        } finally {
            connection.closed();
        }
    }

    private static void write(SocketChannel socket, Reply.Frame frame) throws IOException {
        writeFully(socket, ByteBuffer.allocate(4).putInt(frame.sizeInBytes()).flip());
        for (LogChunk part : frame.parts()) {
            switch (part) {
                case LogChunk.Bytes bytes -> writeFully(socket, bytes.buffer().duplicate());
                case LogChunk.FileRegion region -> {
                    long sent = 0;
                    while (sent < region.size()) {
                        sent += region.channel().transferTo(region.position() + sent, region.size() - sent, socket);
                    }
                }
            }
        }
    }

    private static ByteBuffer readFully(SocketChannel socket, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (socket.read(buffer) < 0) {
                throw new EOFException();
            }
        }
        return buffer;
    }

    private static void writeFully(SocketChannel socket, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            socket.write(buffer);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            acceptor.join(5_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
