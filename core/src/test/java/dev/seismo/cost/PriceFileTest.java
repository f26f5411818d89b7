package dev.seismo.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.StringReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PriceFileTest {

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(PriceFileTest.class.getResource("/cost/" + name).toURI());
    }

    private static PriceFileException error(String json) {
        return catchThrowableOfType(PriceFileException.class,
                () -> CostModel.fromJson(new StringReader(json), "prices.json"));
    }

    @Test
    void aPriceFileSetsEveryPrice() throws Exception {
        CostModel m = CostModel.fromJson(resource("prices.json"));

        assertThat(m).isEqualTo(CostModel.builder().currency("EUR").inputPerMillionTokens(2.5)
                .outputPerMillionTokens(10).cachedInputPerMillionTokens(1.25).perCall(0.0001).instancePerHour(4.1)
                .gpuPerHour(2.2).energyPerKwh(0.21).carbonGramsPerKwh(250).build());
    }

    @Test
    void pricesLeftOutAreZero() throws IOException {
        CostModel m = CostModel.fromJson(new StringReader("{\"currency\": \"JPY\", \"gpuPerHour\": 300}"), "x");

        assertThat(m.currency()).isEqualTo("JPY");
        assertThat(m.gpuPerHour()).isEqualTo(300);
        assertThat(m.inputPerMillionTokens()).isZero();
    }

    @Test
    void anUnknownKeyIsRejectedWithTheKnownOnes() throws Exception {
        Path file = resource("unknown-key.json");
        PriceFileException e = catchThrowableOfType(PriceFileException.class, () -> CostModel.fromJson(file));

        assertThat(e).hasMessage(file + " at /gpuPricePerHour (line 4, column 3): unknown key 'gpuPricePerHour'."
                + " Known keys: currency, inputPerMillionTokens, outputPerMillionTokens, cachedInputPerMillionTokens,"
                + " perCall, instancePerHour, gpuPerHour, energyPerKwh, carbonGramsPerKwh");
        assertThat(e.source()).isEqualTo(file.toString());
        assertThat(e.jsonPointer()).contains("/gpuPricePerHour");
        assertThat(e.line()).hasValue(4);
    }

    @Test
    void aNumberWrittenAsAStringIsRejectedWithTheFix() {
        assertThat(error("{\"currency\": \"USD\",\n \"gpuPerHour\": \"2.5\"}")).hasMessage("prices.json at"
                + " /gpuPerHour (line 2, column 2): gpuPerHour must be a number, found a string \"2.5\". Write a plain"
                + " number >= 0 without quotes, such as \"gpuPerHour\": 2.5 (prices per million tokens, per call, per"
                + " hour or per kWh; carbon in grams per kWh)");
    }

    @Test
    void aNegativePriceIsRejectedWithTheBuildersWords() {
        assertThat(error("{\"currency\": \"USD\", \"perCall\": -0.01}"))
                .hasMessageContaining("at /perCall (line 1, column 21): perCall must be a finite amount >= 0,"
                        + " was -0.01. Write a plain number");
    }

    @Test
    void aCurrencyThatIsNoIsoCodeIsRejected() {
        assertThat(error("{\"currency\": \"dollars\"}")).hasMessage("prices.json at /currency (line 1, column 2):"
                + " currency must be an ISO 4217 code in upper case, such as USD or EUR, was 'dollars'. Use a"
                + " three-letter ISO 4217 code in quotes, such as \"USD\" or \"EUR\"");
    }

    @Test
    void aCurrencyThatIsNoStringIsRejected() {
        assertThat(error("{\"currency\": 840}")).hasMessageContaining("/currency (line 1, column 2): currency must"
                + " be a string, found a number.");
    }

    @Test
    void aMissingCurrencyIsRejected() {
        assertThat(error("{\"gpuPerHour\": 2}")).hasMessage("prices.json at /currency: the currency is missing. Add"
                + " \"currency\": \"USD\" (an ISO 4217 code) so amounts are not misread");
    }

    @Test
    void aRepeatedKeyIsRejectedWithItsPointerAndLine() {
        PriceFileException e = error("{\"currency\": \"USD\",\n\"gpuPerHour\": 1,\n\"gpuPerHour\": 2}");

        assertThat(e).hasMessage("prices.json at /gpuPerHour (line 3, column 1): repeated key 'gpuPerHour'. Give"
                + " each key once");
        assertThat(e.jsonPointer()).contains("/gpuPerHour");
    }

    @Test
    void aLeadingByteOrderMarkIsIgnored() throws Exception {
        Path file = Files.createTempFile("prices", ".json");
        try {
            Files.write(file, "\uFEFF{\"currency\": \"EUR\", \"gpuPerHour\": 2}".getBytes(StandardCharsets.UTF_8));

            assertThat(CostModel.fromJson(file)).isEqualTo(CostModel.builder().currency("EUR").gpuPerHour(2).build());
            assertThat(error("\uFEFF{\"currency\": \"EUR\", \"gpuPerHour\": -2}")).hasMessageContaining(
                    "at /gpuPerHour (line 1, column 21)"); // as without the mark
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void theCodeForNoCurrencyIsRejected() {
        assertThat(error("{\"currency\": \"XXX\"}")).hasMessage("prices.json at /currency (line 1, column 2):"
                + " currency must be the currency the prices are in, such as USD or EUR, was 'XXX' (ISO 4217's code"
                + " for no currency). Use a three-letter ISO 4217 code in quotes, such as \"USD\" or \"EUR\"");
    }

    @Test
    void brokenJsonIsRejectedWithItsLine() {
        PriceFileException e = error("{\"currency\": \"USD\"\n\"gpuPerHour\": 1}");

        assertThat(e.getMessage()).startsWith("prices.json (line 2, column 1): not valid JSON: Unexpected character")
                .endsWith("Check the file for a missing comma, quote or brace near this point");
        assertThat(e.jsonPointer()).isEmpty();
        assertThat(e.line()).hasValue(2);
    }

    @Test
    void somethingOtherThanAnObjectIsRejected() {
        assertThat(error("[1, 2]")).hasMessage("prices.json (line 1, column 1): a price file is one JSON object,"
                + " found an array. Write it as { \"currency\": \"USD\", ... }");
        assertThat(error("")).hasMessageContaining("found nothing (the file is empty)");
    }

    @Test
    void contentAfterTheObjectIsRejected() {
        assertThat(error("{\"currency\": \"USD\"} {}")).hasMessage("prices.json (line 1, column 21): content after"
                + " the price object. Keep one JSON object per file");
    }

    @Test
    void aMissingFileIsAnIoError() {
        assertThatThrownBy(() -> CostModel.fromJson(Path.of("no-such-prices.json")))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("no-such-prices.json");
    }
}
