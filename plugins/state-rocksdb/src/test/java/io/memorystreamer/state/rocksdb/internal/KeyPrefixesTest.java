package io.memorystreamer.state.rocksdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyPrefixesTest {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    @ParameterizedTest
    @CsvSource({
        "01, 02",
        "00, 01",
        "7F, 80",
        "01FF, 02",
        "01FFFF, 02",
        "0100, 0101",
        "FE, FF",
        "FF01, FF02",
    })
    void upperBoundIsTheNextPrefixOfTheSameOrShorterLength(String prefix, String bound) {
        assertThat(HEX.formatHex(KeyPrefixes.exclusiveUpperBound(HEX.parseHex(prefix)))).isEqualTo(bound);
    }

    @ParameterizedTest
    @CsvSource({"''", "FF", "FFFF"})
    void emptyOrAllOnesPrefixHasNoUpperBound(String prefix) {
        assertThat(KeyPrefixes.exclusiveUpperBound(HEX.parseHex(prefix))).isNull();
    }
}
