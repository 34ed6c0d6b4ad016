package io.warren.broker.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one list of settings: what --help shows is exactly what flags, environment and file accept. */
class SettingsTest {

    @Test
    void everySettingIsAFlagAndAnEnvironmentVariableAndIsInTheHelp() {
        String help = Settings.help();
        for (Settings.Setting s : Settings.ALL) {
            assertTrue(help.contains("  --" + s.key() + " " + s.value()), s.key());
            assertTrue(help.contains("env " + s.env() + ", default " + s.dflt()), s.key());
            if (!s.key().equals("config")) {
                assertTrue(ConfigLoader.values(new String[]{"--" + s.key(), "x"}, Map.of()).containsKey(s.key()));
                assertEquals("y", ConfigLoader.values(new String[0], Map.of(s.env(), "y")).get(s.key()));
            }
        }
        assertEquals("WARREN_AMQP_PORT", Settings.ALL.stream().filter(s -> s.key().equals("amqp-port")).findFirst()
                .orElseThrow().env());
    }

    @Test
    void logSettings() {
        LogSettings d = LogSettings.from(Map.of());
        assertNull(d.level());
        assertFalse(d.json());
        assertNull(d.file());
        assertFalse(d.replacesAppenders());
        LogSettings s = LogSettings.from(ConfigLoader.values(new String[]{"--log-format=json", "--log-file", "w.log",
                "--log-level", "debug"}, Map.of()));
        assertEquals("DEBUG", s.level());
        assertTrue(s.json());
        assertEquals(Path.of("w.log"), s.file());
        assertTrue(s.replacesAppenders());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LogSettings.from(Map.of("log-format", "xml")));
        assertEquals("--log-format needs text or json, got 'xml'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LogSettings.from(Map.of("log-level", "loud")));
    }

    @Test
    void aMisspeltFlagIsReportedAsUnknownEvenWithoutAValue() {
        assertEquals("unknown option --bogus (see --help)", assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.values(new String[]{"--bogus"}, Map.of())).getMessage());
        assertEquals("missing value for --amqp-port", assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.values(new String[]{"--amqp-port"}, Map.of())).getMessage());
    }

    @Test
    void badNumbersNameTheirSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.load(new String[]{"--sync-interval-ms", "often"}, Map.of()));
        assertEquals("--sync-interval-ms needs a number, got 'often'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.load(new String[0], Map.of("WARREN_MEMORY_HIGH_WATERMARK", "lots")));
        assertEquals("--memory-high-watermark needs a number, got 'lots'", e.getMessage());
    }
}
