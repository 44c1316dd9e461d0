package io.qtk.cli;

import io.qtk.cli.bench.BenchCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code qtk} command: compress images to {@code .qtk}, decompress them, inspect files and models, and measure
 * rate-distortion against other codecs. {@link #main} runs it as a process; {@link #newCommandLine()} gives the
 * configured picocli instance for embedding and tests.
 */
@Command(name = "qtk", mixinStandardHelpOptions = true, versionProvider = QtkCli.Version.class,
        description = "Learned image codec: compress images to .qtk and back.",
        subcommands = {CompressCommand.class, DecompressCommand.class, InfoCommand.class, ModelsCommand.class,
            BenchCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nEnvironment:%n",
        footer = {"  JAVA_OPTS       JVM options for the qtk launcher script (e.g. -Xmx8g)",
            "  QTK_MODEL_PATH  extra directories of .qtkm model bundles, ':'-separated"})
public final class QtkCli implements Runnable {
    /** The exit code list shown in every command's help. */
    static final String[] EXIT_CODES = {"0:success: every file was done",
        "1:some files failed (each is reported with its cause; the others were done)",
        "2:usage error: bad option or arguments (nothing was done)"};

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        // "qtk" alone: show what there is to do, and fail like any other usage error.
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed");
    }

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        int code;
        try {
            code = newCommandLine().execute(args);
        } finally {
            System.out.flush();
            System.err.flush();
        }
        System.exit(code);
    }

    /** @return the {@code qtk} command line with its error handling and exit codes set up */
    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new QtkCli());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler(QtkCli::handleParameterError);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> handleExecutionError(ex, cmd));
        java.util.Map<String, String> codes = new java.util.LinkedHashMap<>();
        for (String c : EXIT_CODES) {
            codes.put("  " + c.substring(0, c.indexOf(':')), c.substring(c.indexOf(':') + 1));
        }
        java.util.List<CommandLine> all = new java.util.ArrayList<>(cl.getSubcommands().values());
        all.add(cl);
        for (CommandLine c : all) {
            c.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
        }
        return cl;
    }

    /**
     * Runs the command line with the given output streams (as tests and embedding programs do).
     *
     * @param out standard output
     * @param err standard error
     * @param args the arguments
     * @return the exit code
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = newCommandLine();
        cl.setOut(out);
        cl.setErr(err);
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static int handleParameterError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("qtk: " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return ExitCodes.USAGE;
    }

    private static int handleExecutionError(Exception ex, CommandLine cmd) {
        PrintWriter err = cmd.getErr();
        if (ex instanceof UsageException) {
            err.println("qtk: " + ex.getMessage());
            err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
            err.flush();
            return ExitCodes.USAGE;
        }
        err.println("qtk: " + Errors.describe(ex));
        if (Boolean.getBoolean("qtk.debug") || System.getenv("QTK_DEBUG") != null) {
            ex.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.FAILED;
    }

    /** Prints the version of qtk, of the file format it writes, and of the Java runtime. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"qtk " + version(), "Java " + System.getProperty("java.version") + " ("
                    + System.getProperty("java.vm.name") + ", " + System.getProperty("os.arch") + ")"};
        }
    }

    /** @return the qtk version from the build, or "dev" when run from unpackaged classes without it */
    public static String version() {
        try (InputStream in = QtkCli.class.getResourceAsStream("/io/qtk/cli/version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "dev");
            }
        } catch (IOException ignored) {
            // fall through
        }
        return "dev";
    }
}
