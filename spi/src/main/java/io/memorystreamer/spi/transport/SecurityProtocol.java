package io.memorystreamer.spi.transport;

/** The security protocol of a listener, as in Kafka's {@code listeners} configuration. */
public enum SecurityProtocol {
    PLAINTEXT,
    SSL,
    SASL_PLAINTEXT,
    SASL_SSL
}
