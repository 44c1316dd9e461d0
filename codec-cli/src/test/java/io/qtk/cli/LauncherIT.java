package io.qtk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The root launcher script runs the shaded jar with JAVA_OPTS. An integration test (failsafe): it runs after the
 * package phase has made the jar, and sets QTK_NO_BUILD=1 so the script never starts Maven itself.
 */
class LauncherIT {
    @Test
    void launcherRunsTheJarWithJavaOpts() throws Exception {
        Path root = Cli.repoRoot();
        Path script = root.resolve("qtk");
        Path jar = root.resolve("codec-cli/target/qtk.jar");
        assertTrue(Files.isExecutable(script), "no executable launcher at " + script);
        assertTrue(Files.isRegularFile(jar), "no jar at " + jar + " (the package phase makes it)");
        ProcessBuilder pb = new ProcessBuilder(script.toString(), "--version").redirectErrorStream(true);
        pb.environment().put("QTK_NO_BUILD", "1");
        pb.environment().put("JAVA_OPTS", "-Dqtk.launcher.test=1 -Xmx256m");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.startsWith("qtk "), out);

        ProcessBuilder bad = new ProcessBuilder(script.toString(), "compress").redirectErrorStream(true);
        bad.environment().put("QTK_NO_BUILD", "1");
        Process q = bad.start();
        String qo = new String(q.getInputStream().readAllBytes());
        assertTrue(q.waitFor(60, TimeUnit.SECONDS));
        assertEquals(ExitCodes.USAGE, q.exitValue(), "the script passes the exit code through: " + qo);
    }
}
