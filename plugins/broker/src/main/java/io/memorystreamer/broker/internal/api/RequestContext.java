package io.memorystreamer.broker.internal.api;

import io.memorystreamer.spi.transport.ConnectionInfo;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * One decoded request's surroundings: who sent it, on which connection, with which header.
 *
 * @param connection the connection the request arrived on
 * @param apiKey the API
 * @param apiVersion the request version the client used
 * @param header the decoded request header
 * @param receivedNanos {@link System#nanoTime()} when the frame arrived
 */
public record RequestContext(
        ConnectionInfo connection,
        ApiKeys apiKey,
        short apiVersion,
        RequestHeaderData header,
        long receivedNanos) {

    public int correlationId() {
        return header.correlationId();
    }

    public String clientId() {
        return header.clientId() == null ? "" : header.clientId();
    }
}
