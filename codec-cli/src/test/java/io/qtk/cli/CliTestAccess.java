package io.qtk.cli;

import java.nio.file.Path;
import java.util.List;

/** Lets tests in sub-packages use the package-private helpers of {@link Cli}. */
public final class CliTestAccess {
    private CliTestAccess() {
    }

    /** @return {@code --model-dir DIR} for the test model */
    public static List<String> modelArgs() {
        return Cli.modelArgs();
    }

    /**
     * What a process printed and returned.
     *
     * @param code exit code
     * @param out stdout
     * @param err stderr
     */
    public record Result(int code, String out, String err) {
    }

    /**
     * Runs the CLI as a process whose PATH is only {@code pathDir}.
     *
     * @param pathDir the only PATH entry
     * @param args the arguments
     * @return what it printed and returned
     * @throws Exception when the process cannot run
     */
    public static Result runProcessWithPath(Path pathDir, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", Cli.classPath(),
                QtkCli.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("PATH", pathDir.toString());
        Process p = pb.start();
        StringBuilder o = new StringBuilder();
        StringBuilder e = new StringBuilder();
        Thread to = Cli.drain(p.getInputStream(), o);
        Thread te = Cli.drain(p.getErrorStream(), e);
        if (!p.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("process did not finish");
        }
        to.join();
        te.join();
        return new Result(p.exitValue(), o.toString(), e.toString());
    }

    /** @return the repository root */
    public static Path repoRoot() {
        return Cli.repoRoot();
    }
}
