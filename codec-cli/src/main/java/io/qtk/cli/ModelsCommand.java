package io.qtk.cli;

import io.qtk.ModelDescription;
import io.qtk.QtkEncoder;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code qtk models}: the models the codec can use, where they come from, and their rate ladders. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = {"List the available models and their rate ladders.",
            "Models come from the class path (embedded), QTK_MODEL_PATH and --model-dir; the ladder is the group "
                + "counts each model is trained to decode."})
public final class ModelsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RuntimeOptions runtime;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<ModelDescription> models;
        try (QtkEncoder encoder = QtkEncoder.create(runtime.config(1))) {
            models = encoder.models();
        }
        if (models.isEmpty()) {
            spec.commandLine().getErr().println("qtk: no models found (embedded, QTK_MODEL_PATH, --model-dir)");
            return ExitCodes.FAILED;
        }
        out.printf(Locale.ROOT, "%-24s %-8s %-7s %6s %6s %4s %6s  %s%n", "NAME", "VERSION", "KIND", "GROUPS", "K",
                "d", "SCALE", "LADDER (groups)");
        for (ModelDescription m : models) {
            out.printf(Locale.ROOT, "%-24s %-8s %-7s %6d %6d %4d %6d  %s%n", m.name(), m.version(), m.quantiser(),
                    m.groups(), m.codebookSize(), m.codebookDim(), m.scale(),
                    String.join(",", m.ladder().stream().map(String::valueOf).toList()));
        }
        out.println();
        for (ModelDescription m : models) {
            out.printf(Locale.ROOT, "%s: sha256 %s%n  from %s%n", m.name(), m.sha256(), m.source());
        }
        out.flush();
        return ExitCodes.OK;
    }
}
