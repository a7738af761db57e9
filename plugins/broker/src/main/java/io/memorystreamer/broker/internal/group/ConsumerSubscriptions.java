package io.memorystreamer.broker.internal.group;

import io.memorystreamer.broker.internal.topic.TopicCatalog;
import io.memorystreamer.broker.internal.topic.TopicInfo;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.Uuid;

/**
 * Resolves the subscriptions of a consumer group's members against the topics that exist: topic
 * names, and regular expressions ({@code subscribed_topic_regex}).
 *
 * <p>Kafka evaluates these regexes with RE2/J; this broker uses {@link java.util.regex.Pattern}
 * with the same full-match semantics ({@link java.util.regex.Matcher#matches()}). The common
 * syntax (character classes, alternation, quantifiers, anchors) behaves the same; Java also
 * accepts constructs RE2 refuses (back-references, look-around), which are then honoured.
 */
final class ConsumerSubscriptions {

    /** The resolution: the subscribed topics that exist, and each member's share of them. */
    record Resolution(Map<String, ConsumerGroup.SubscribedTopic> topics, Map<String, Set<Uuid>> memberTopics) {
    }

    private ConsumerSubscriptions() {
    }

    /**
     * @throws PatternSyntaxException if {@code regex} is not a valid regular expression
     */
    static Pattern compile(String regex) {
        return Pattern.compile(regex);
    }

    static Resolution resolve(Iterable<ConsumerGroupMember> members, TopicCatalog catalog) {
        Map<String, ConsumerGroup.SubscribedTopic> topics = new HashMap<>();
        Map<String, Set<Uuid>> memberTopics = new HashMap<>();
        Map<String, Set<String>> regexMatches = new HashMap<>();
        for (ConsumerGroupMember member : members) {
            Set<Uuid> ids = new HashSet<>();
            for (String name : member.subscribedTopicNames()) {
                catalog.topic(name).ifPresent(info -> add(info, topics, ids));
            }
            String regex = member.subscribedTopicRegex();
            if (regex != null) {
                Set<String> matches = regexMatches.computeIfAbsent(regex, r -> matching(r, catalog));
                for (String name : matches) {
                    catalog.topic(name).ifPresent(info -> add(info, topics, ids));
                }
            }
            memberTopics.put(member.memberId(), ids);
        }
        return new Resolution(topics, memberTopics);
    }

    private static void add(TopicInfo info, Map<String, ConsumerGroup.SubscribedTopic> topics, Set<Uuid> ids) {
        topics.putIfAbsent(info.name(), new ConsumerGroup.SubscribedTopic(info.id(), info.name(), info.partitionCount()));
        ids.add(info.id());
    }

    private static Set<String> matching(String regex, TopicCatalog catalog) {
        Optional<Pattern> pattern;
        try {
            pattern = Optional.of(compile(regex));
        } catch (PatternSyntaxException e) {
            // Validated when the member sent it; a stored one that no longer compiles matches nothing.
            pattern = Optional.empty();
        }
        Set<String> names = new HashSet<>();
        if (pattern.isPresent()) {
            for (TopicInfo topic : catalog.topics()) {
                if (pattern.get().matcher(topic.name()).matches()) {
                    names.add(topic.name());
                }
            }
        }
        return names;
    }
}
