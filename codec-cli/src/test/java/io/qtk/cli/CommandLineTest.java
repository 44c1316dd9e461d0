package io.qtk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Help, version and usage errors, run in process exactly as {@code main} would. */
class CommandLineTest {
    @Test
    void helpListsEveryCommandAndTheExitCodes() {
        Cli.Result r = Cli.run("--help");
        assertEquals(0, r.code(), r::toString);
        for (String c : new String[] {"compress", "decompress", "info", "models", "bench"}) {
            assertTrue(r.out().contains(c), "help lists " + c);
        }
        assertTrue(r.out().contains("Exit codes:"));
        assertTrue(r.out().contains("some files failed"));
        assertTrue(r.out().contains("usage error"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"compress", "decompress", "info", "models", "bench"})
    void everyCommandHasHelpWithExitCodes(String command) {
        Cli.Result r = Cli.run(command, "--help");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().startsWith("Usage: qtk " + command), r.out());
        assertTrue(r.out().contains("Exit codes:"), r.out());
        assertTrue(r.out().contains("  2   usage error"), r.out());
    }

    @Test
    void versionNamesQtkAndJava() {
        Cli.Result r = Cli.run("--version");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("qtk "), r.out());
        assertTrue(r.out().contains("Java "), r.out());
    }

    @Test
    void noCommandIsAUsageError() {
        Cli.Result r = Cli.run();
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("a command is needed"), r.err());
    }

    @Test
    void unknownCommandSuggestsTheRightOne() {
        Cli.Result r = Cli.run("compres", "a.png", "b.qtk");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("compress"), r.err());
    }

    @Test
    void unknownOptionIsAUsageErrorWithAHint() {
        Cli.Result r = Cli.run("compress", "--qualiti", "0.5", "a.png", "b.qtk");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("--qualiti"), r.err());
        assertTrue(r.err().contains("Try 'qtk compress --help'"), r.err());
    }

    @Test
    void missingOutputArgumentIsAUsageError() {
        Cli.Result r = Cli.run("compress", "a.png");
        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
    }

    @Test
    void rateOptionsAreMutuallyExclusive() {
        Cli.Result r = Cli.run("compress", "--quality", "0.5", "--bpp", "1", "a.png", "b.qtk");
        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains("mutually exclusive"), r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--quality=1.5", "--quality=-0.1", "--bpp=0", "--bpp=-2", "--size=0", "--size=lots",
        "--jobs=0", "--threads=-1", "--rdo=-1", "--rdo=11", "--rdo=NaN"})
    void outOfRangeValuesAreUsageErrors(String option) {
        Cli.Result r = Cli.run("compress", option, "in.png", "out.qtk");
        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        String name = option.substring(0, option.indexOf('='));
        assertTrue(r.err().contains(name), r.err());
    }

    @Test
    void sizesAcceptSuffixes() {
        assertEquals(50000, CompressCommand.parseSize("50000"));
        assertEquals(48000, CompressCommand.parseSize("48k"));
        assertEquals(48000, CompressCommand.parseSize("48kB"));
        assertEquals(65536, CompressCommand.parseSize("64Ki"));
        assertEquals(65536, CompressCommand.parseSize("64KiB"));
        assertEquals(1500000, CompressCommand.parseSize("1.5M"));
        assertEquals(2 * 1024 * 1024, CompressCommand.parseSize("2MiB"));
    }

    @Test
    void decompressNeedsAKnownOutputFormat() {
        Cli.Result r = Cli.run("decompress", "in.qtk", "out.xyz");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("cannot tell the output format"), r.err());
        r = Cli.run("decompress", "--format", "gif", "in.qtk", "out.gif");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("--format must be one of png, jpg, bmp, tiff"), r.err());
    }

    @Test
    void benchRejectsUnknownCodecs() {
        Cli.Result r = Cli.run("bench", "--codecs", "qtk,avif", ".");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("unknown codec 'avif'"), r.err());
    }
}
