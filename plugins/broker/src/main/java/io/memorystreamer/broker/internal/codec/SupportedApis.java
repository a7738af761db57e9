package io.memorystreamer.broker.internal.codec;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersionCollection;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The APIs and version ranges this broker serves: exactly the APIs that have a handler, each from
 * the oldest version kafka-clients knows to its latest stable one, unless narrowed. Immutable.
 */
public final class SupportedApis {

    /** An inclusive version range. */
    public record Range(short min, short max) {
        public Range {
            if (min < 0 || max < min) {
                throw new IllegalArgumentException("bad version range " + min + ".." + max);
            }
        }

        public boolean contains(short version) {
            return version >= min && version <= max;
        }
    }

    private final Map<ApiKeys, Range> ranges;

    private SupportedApis(Map<ApiKeys, Range> ranges) {
        this.ranges = ranges;
    }

    /**
     * @param apis the APIs that have handlers
     * @param narrowed narrower ranges for APIs whose handler does not serve every version
     */
    public static SupportedApis of(Set<ApiKeys> apis, Map<ApiKeys, Range> narrowed) {
        EnumMap<ApiKeys, Range> ranges = new EnumMap<>(ApiKeys.class);
        for (ApiKeys api : apis) {
            Range full = new Range(api.oldestVersion(), api.latestVersion(false));
            Range narrow = narrowed.get(api);
            if (narrow != null && (narrow.min() < full.min() || narrow.max() > full.max())) {
                throw new IllegalArgumentException(api + ": " + narrow + " is outside what kafka-clients knows, " + full);
            }
            ranges.put(api, narrow != null ? narrow : full);
        }
        return new SupportedApis(ranges);
    }

    public boolean isSupported(ApiKeys api, short version) {
        Range range = ranges.get(api);
        return range != null && range.contains(version);
    }

    public Optional<Range> range(ApiKeys api) {
        return Optional.ofNullable(ranges.get(api));
    }

    public Set<ApiKeys> apis() {
        return ranges.keySet();
    }

    /** The ranges as an ApiVersionsResponse lists them; a new collection on each call. */
    public ApiVersionCollection toApiVersions() {
        ApiVersionCollection collection = new ApiVersionCollection(ranges.size());
        ranges.forEach((api, range) -> collection.add(new ApiVersion()
                .setApiKey(api.id)
                .setMinVersion(range.min())
                .setMaxVersion(range.max())));
        return collection;
    }
}
