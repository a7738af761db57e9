package io.memorystreamer.broker.internal.topic;

import org.apache.kafka.common.errors.InvalidTopicException;

/** Kafka's topic name rules, with Kafka's messages. */
public final class TopicNames {

    /** The longest legal topic name. */
    public static final int MAX_LENGTH = 249;

    private TopicNames() {
    }

    /**
     * Checks a topic name.
     *
     * @throws InvalidTopicException when the name is empty, {@code .} or {@code ..}, longer than
     *     {@value #MAX_LENGTH} characters, or has a character other than ASCII letters, digits,
     *     '.', '_' and '-'
     */
    public static void validate(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidTopicException("Topic name is illegal, it can't be empty");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new InvalidTopicException("Topic name cannot be \".\" or \"..\"");
        }
        if (name.length() > MAX_LENGTH) {
            throw new InvalidTopicException("Topic name is illegal, it can't be longer than " + MAX_LENGTH
                    + " characters, topic name: " + name);
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isLegal(name.charAt(i))) {
                throw new InvalidTopicException("Topic name \"" + name + "\" is illegal, it contains a character "
                        + "other than ASCII alphanumerics, '.', '_' and '-'");
            }
        }
    }

    public static boolean isValid(String name) {
        try {
            validate(name);
            return true;
        } catch (InvalidTopicException e) {
            return false;
        }
    }

    /**
     * Whether two different names would collide in metric names, where Kafka turns '.' into '_'.
     */
    public static boolean collide(String a, String b) {
        return !a.equals(b) && a.replace('.', '_').equals(b.replace('.', '_'));
    }

    private static boolean isLegal(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == '-';
    }
}
