package io.qtk.cli.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code qtk bench DIR}: rate-distortion and speed of qtk against JPEG and WebP. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure rate-distortion and speed.")
public final class BenchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 0;
    }
}
