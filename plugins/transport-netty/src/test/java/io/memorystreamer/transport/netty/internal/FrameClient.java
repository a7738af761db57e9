package io.memorystreamer.transport.netty.internal;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** A blocking client on a plain socket that speaks the length-prefixed framing. */
final class FrameClient implements AutoCloseable {

    private static final int READ_TIMEOUT_MS = 10_000;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    FrameClient(String host, int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), READ_TIMEOUT_MS);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    FrameClient(int port) throws IOException {
        this("127.0.0.1", port);
    }

    /** The client's port, which the server sees as the remote port. */
    int localPort() {
        return socket.getLocalPort();
    }

    /** Sends frames in one write, as a pipelining client does. */
    void send(String... requests) throws IOException {
        int total = 0;
        byte[][] bodies = new byte[requests.length][];
        for (int i = 0; i < requests.length; i++) {
            bodies[i] = requests[i].getBytes(StandardCharsets.UTF_8);
            total += 4 + bodies[i].length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(total);
        for (byte[] body : bodies) {
            buffer.putInt(body.length).put(body);
        }
        sendRaw(buffer.array());
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    byte[] receiveBytes() throws IOException {
        int size = in.readInt();
        byte[] body = new byte[size];
        in.readFully(body);
        return body;
    }

    String receive() throws IOException {
        return new String(receiveBytes(), StandardCharsets.UTF_8);
    }

    /** Whether the server closed the connection (end of stream or reset) with nothing more sent. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (EOFException | SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
