package io.memorystreamer.broker.internal.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.errors.InvalidTopicException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TopicNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"orders", "a", "Orders.v2_final-1", "__consumer_offsets", "..."})
    void legalNamesPass(String name) {
        assertThatNoException().isThrownBy(() -> TopicNames.validate(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "has space", "slash/", "ünïcode", "colon:", "star*"})
    void illegalNamesAreInvalidTopics(String name) {
        assertThatThrownBy(() -> TopicNames.validate(name)).isInstanceOf(InvalidTopicException.class);
    }

    @Test
    void namesUpTo249CharactersPassAndLongerOnesFail() {
        assertThatNoException().isThrownBy(() -> TopicNames.validate("x".repeat(249)));
        assertThatThrownBy(() -> TopicNames.validate("x".repeat(250)))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessageContaining("can't be longer than 249 characters");
    }

    @Test
    void dotAndUnderscoreVariantsCollide() {
        assertThat(TopicNames.collide("a.b", "a_b")).isTrue();
        assertThat(TopicNames.collide("a.b", "a.b")).isFalse();
        assertThat(TopicNames.collide("a.b", "a-b")).isFalse();
    }
}
