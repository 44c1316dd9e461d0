package io.qtk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's first command (the main job: compress and decompress with the embedded default model) exactly as
 * written there, through the root launcher and the packaged jar, so the README and the product cannot drift apart.
 */
class ReadmeCommandIT {
    @TempDir
    Path tmp;

    @Test
    void readmeMainCommandRoundTripsWithTheEmbeddedModel() throws Exception {
        Path root = Cli.repoRoot();
        List<String> models = Files.readAllLines(
                root.resolve("codec-models/src/main/resources/META-INF/qtk/models.list"), StandardCharsets.UTF_8);
        assertTrue(models.stream().map(String::strip).anyMatch(l -> !l.isEmpty() && !l.startsWith("#")),
                "no model shipped yet in codec-models (models.list is empty)");

        String readme = Files.readString(root.resolve("README.md"));
        int section = readme.indexOf("## Two commands");
        assertTrue(section >= 0, "README has no 'Two commands' section");
        Matcher m = Pattern.compile("```sh\\n(.*?)\\n```", Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(section), "no sh block after 'Two commands'");
        String command = m.group(1).strip();
        assertTrue(command.startsWith("./qtk compress "), "first command is not a qtk compress: " + command);

        // The README writes to /tmp/parrot.*; this test writes to its own folder.
        String local = command.replace("/tmp/parrot", tmp.resolve("parrot").toString());
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", local).directory(root.toFile()).redirectErrorStream(true);
        pb.environment().put("QTK_NO_BUILD", "1"); // the jar was just packaged; the test never starts Maven
        pb.environment().remove("QTK_MODEL_PATH"); // only the embedded model
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "timed out: " + out);
        assertEquals(0, p.exitValue(), out);

        Path qtk = tmp.resolve("parrot.qtk");
        Path png = tmp.resolve("parrot.png");
        assertTrue(Files.size(qtk) > 0, out);
        BufferedImage in = ImageIO.read(root.resolve("testdata/images/kodim23-crop-320x240.png").toFile());
        BufferedImage back = ImageIO.read(png.toFile());
        assertEquals(in.getWidth(), back.getWidth());
        assertEquals(in.getHeight(), back.getHeight());
        // A loose floor that only garbage fails (a wrong colour order or an all-grey image is far below it); the
        // model's real quality is measured by 'qtk bench' and reported in the README.
        double psnr = Cli.psnr(in, back);
        assertTrue(psnr > 18, "PSNR " + psnr + " dB: decoded image does not resemble the input");
    }
}
