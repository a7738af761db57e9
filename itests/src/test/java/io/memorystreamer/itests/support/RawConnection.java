package io.memorystreamer.itests.support;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * A bare socket to the broker for sending what no well-behaved client sends: garbage, oversized
 * frames, corrupt batches. Well-formed requests are serialised with kafka-clients' own classes.
 */
public final class RawConnection implements AutoCloseable {

    private final Socket socket;
    private final DataOutputStream out;
    private final DataInputStream in;
    private int correlationId;

    public RawConnection(String bootstrap) {
        try {
            int colon = bootstrap.lastIndexOf(':');
            socket = new Socket();
            socket.connect(new InetSocketAddress(bootstrap.substring(0, colon), Integer.parseInt(bootstrap.substring(colon + 1))), 10_000);
            socket.setSoTimeout(30_000);
            out = new DataOutputStream(socket.getOutputStream());
            in = new DataInputStream(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a 4-byte size prefix followed by {@code body}. */
    public void sendFrame(byte[] body) throws IOException {
        out.writeInt(body.length);
        out.write(body);
        out.flush();
    }

    /** Writes only a size prefix announcing {@code size} bytes, and {@code bodyBytes} of zeros. */
    public void sendSizeOnly(int size, int bodyBytes) throws IOException {
        out.writeInt(size);
        out.write(new byte[bodyBytes]);
        out.flush();
    }

    /** Sends a well-formed request and returns its parsed response. */
    public AbstractResponse request(AbstractRequest request, String clientId) throws IOException {
        RequestHeader header = new RequestHeader(request.apiKey(), request.version(), clientId, ++correlationId);
        ByteBuffer bytes = request.serializeWithHeader(header);
        byte[] body = new byte[bytes.remaining()];
        bytes.get(body);
        sendFrame(body);
        return AbstractResponse.parseResponse(ByteBuffer.wrap(receiveFrame()), header);
    }

    /** Reads one response frame body. */
    public byte[] receiveFrame() throws IOException {
        int size = in.readInt();
        byte[] body = new byte[size];
        in.readFully(body);
        return body;
    }

    /** Whether the broker closed the connection (read hits end of stream) within the socket timeout. */
    public boolean closedByBroker() {
        try {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (EOFException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            // connection reset: closed by the broker as well
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
