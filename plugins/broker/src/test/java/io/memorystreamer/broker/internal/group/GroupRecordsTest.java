package io.memorystreamer.broker.internal.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The stored formats of committed offsets and group metadata, pinned by golden files. */
class GroupRecordsTest {

    private static final TopicPartition ORDERS_1 = new TopicPartition("orders", 1);
    private static final CommittedOffset OFFSET = new CommittedOffset(42L, 5, "checkpoint-7", 1_700_000_000_000L,
            CommittedOffset.NO_EXPIRY);
    private static final GroupRecords.StoredGroup GROUP =
            new GroupRecords.StoredGroup("consumer", 3, true, 1_700_000_000_000L);

    @Test
    void encodesVersionOneAsTheGoldenFiles() throws IOException {
        // When an offset key, an offset and a group are encoded
        String key = hex(GroupRecords.offsetKey("reports", ORDERS_1));
        String offset = hex(GroupRecords.encodeOffset(OFFSET));
        String group = hex(GroupRecords.encodeGroup(GROUP));

        // Then the bytes are the stored format's
        assertThat(key).isEqualTo(golden("offset-key-v1.hex"));
        assertThat(offset).isEqualTo(golden("offset-value-v1.hex"));
        assertThat(group).isEqualTo(golden("group-value-v1.hex"));
    }

    @Test
    void decodesTheGoldenFiles() throws IOException {
        // When the golden records are decoded
        GroupRecords.OffsetKey key = GroupRecords.decodeOffsetKey(bytes("offset-key-v1.hex"));
        CommittedOffset offset = GroupRecords.decodeOffset(bytes("offset-value-v1.hex"));
        GroupRecords.StoredGroup group = GroupRecords.decodeGroup(bytes("group-value-v1.hex"));

        // Then every field comes back
        assertThat(key).isEqualTo(new GroupRecords.OffsetKey("reports", ORDERS_1));
        assertThat(offset).isEqualTo(OFFSET);
        assertThat(group).isEqualTo(GROUP);
    }

    @Test
    void aConsumerGroupRoundTripsThroughItsGoldenFile() throws IOException {
        // Given a consumer group (KIP-848) that was empty at epoch 7
        GroupRecords.StoredConsumerGroup group = new GroupRecords.StoredConsumerGroup(7, true, 1_700_000_000_000L);

        // Then it encodes to the golden bytes and decodes back, and a cut value is refused
        assertThat(hex(GroupRecords.encodeConsumerGroup(group))).isEqualTo(golden("consumer-group-value-v1.hex"));
        assertThat(GroupRecords.decodeConsumerGroup(bytes("consumer-group-value-v1.hex"))).isEqualTo(group);
        byte[] golden = bytes("consumer-group-value-v1.hex");
        assertThatThrownBy(() -> GroupRecords.decodeConsumerGroup(Arrays.copyOf(golden, golden.length - 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesAnUnknownVersionAndTruncatedValues() throws IOException {
        // Given golden values with another version byte, and cut short
        byte[] offset = bytes("offset-value-v1.hex");
        byte[] group = bytes("group-value-v1.hex");
        byte[] otherVersion = offset.clone();
        otherVersion[0] = 2;

        // Then none decodes
        assertThatThrownBy(() -> GroupRecords.decodeOffset(otherVersion)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GroupRecords.decodeOffset(Arrays.copyOf(offset, offset.length - 3)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GroupRecords.decodeGroup(Arrays.copyOf(group, group.length - 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GroupRecords.decodeOffsetKey(new byte[] {0, 0, 0, 9, 'x'}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static byte[] bytes(String name) throws IOException {
        return HexFormat.of().parseHex(golden(name));
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = GroupRecordsTest.class.getResourceAsStream("golden/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
    }
}
