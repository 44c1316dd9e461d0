package io.qtk.bench.pipeline;

import io.qtk.DecodeOptions;
import io.qtk.DecodedImage;
import io.qtk.EncodeOptions;
import io.qtk.ImageMetadata;
import io.qtk.ProgressListener;
import io.qtk.QtkConfig;
import io.qtk.QtkDecoder;
import io.qtk.QtkEncoder;
import io.qtk.codec.BundleModelSource;
import io.qtk.codec.CodecEngine;
import io.qtk.codec.Stages;
import io.qtk.model.ModelBundle;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Per-stage timing of the whole codec pipeline and throughput on a large image (a bench main, not JMH: the stages
 * are measured inside one real encode / decode).
 *
 * <pre>
 * mvn -q -pl codec-bench -am package -DskipTests
 * java -cp codec-bench/target/benchmarks.jar io.qtk.bench.pipeline.PipelineBench \
 *     [--model NAME|PATH.qtkm] [--image PATH] [--iters 10] [--warmup 3] [--mp 24] [--threads 0] [--quality 1] [--rdo 1]
 *     [--cpu]
 * </pre>
 *
 * <p>The model defaults to {@code testdata/models/qtk-test-tiny.qtkm}; the image to Kodak {@code kodim01.png} from
 * {@code ../shared} (a synthetic 768x512 image when absent). {@code --mp 0} skips the large-image run. {@code --cpu}
 * times the stages in CPU time of the calling thread, which a busy machine disturbs far less than wall time; with
 * {@code --threads 1} ONNX Runtime runs on that thread, so the table then covers all the work.
 */
public final class PipelineBench {
    private PipelineBench() {
    }

    /**
     * @param args see the class documentation
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        String model = null;
        String imagePath = null;
        int iters = 10;
        int warmup = 3;
        double mp = 24;
        int threads = 0;
        double quality = 1;
        double rdo = EncodeOptions.DEFAULT_RDO_STRENGTH;
        boolean cpu = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--model" -> model = args[++i];
                case "--image" -> imagePath = args[++i];
                case "--iters" -> iters = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--mp" -> mp = Double.parseDouble(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--quality" -> quality = Double.parseDouble(args[++i]);
                case "--rdo" -> rdo = Double.parseDouble(args[++i]);
                case "--cpu" -> cpu = true;
                default -> {
                    System.err.println("unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }
        Path root = Path.of(System.getProperty("qtk.repo.root", ".")).toAbsolutePath().normalize();
        List<Path> dirs = new ArrayList<>();
        String name;
        if (model == null) {
            model = root.resolve("testdata/models/qtk-test-tiny.qtkm").toString();
        }
        if (model.endsWith(".qtkm")) {
            Path p = Path.of(model).toAbsolutePath();
            name = ModelBundle.readManifest(p).name();
            dirs.add(p.getParent());
        } else {
            name = model;
        }
        QtkConfig config = QtkConfig.builder().intraOpThreads(threads).modelDirs(dirs).build();
        BufferedImage img = loadImage(imagePath, root);
        EncodeOptions opts = EncodeOptions.builder().model(name).quality(quality).rdoStrength(rdo).build();

        System.out.printf(Locale.ROOT, "qtk pipeline bench: model %s, image %s (%dx%d), %d iterations after %d warm-up,"
                + " %d cores, java %s%n", name, imagePath == null ? "(default)" : imagePath, img.getWidth(),
                img.getHeight(), iters, warmup, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        try (BundleModelSource source = BundleModelSource.open(config)) {
            CodecEngine engine = new CodecEngine(source, config.maxTilePixels());
            stageTable(engine, img, opts, iters, warmup, cpu);
        }
        if (mp > 0) {
            largeImage(config, opts, mp);
        }
    }

    private static BufferedImage loadImage(String path, Path root) throws IOException {
        Path p = path != null ? Path.of(path) : root.resolve("../shared/datasets/eval/kodak/kodim01.png").normalize();
        if (Files.exists(p)) {
            BufferedImage img = ImageIO.read(p.toFile());
            if (img != null) {
                return img;
            }
        }
        if (path != null) {
            throw new IOException("cannot read image " + path);
        }
        return synthetic(768, 512);
    }

    static BufferedImage synthetic(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                px[i] = (byte) (128 + 100 * Math.sin(x * 0.013 + y * 0.002));
                px[i + 1] = (byte) (y * 255L / h);
                px[i + 2] = (byte) ((x * 255L / w) ^ ((x >> 4) & (y >> 4) & 15));
            }
        }
        return img;
    }

    /** Stage times in CPU time of the calling thread (robust on a shared machine; use with --threads 1). */
    static final class CpuStages extends Stages {
        private static final ThreadMXBean BEAN = ManagementFactory.getThreadMXBean();

        @Override
        protected long now() {
            return BEAN.getCurrentThreadCpuTime();
        }
    }

    private static void stageTable(CodecEngine engine, BufferedImage img, EncodeOptions opts, int iters, int warmup,
            boolean cpu) throws IOException {
        System.out.println(cpu ? "clock: CPU time of the calling thread" : "clock: wall time");
        Stages.Stage[] all = Stages.Stage.values();
        double[][] ms = new double[all.length][iters];
        double[] encTotal = new double[iters];
        double[] decTotal = new double[iters];
        byte[] file = null;
        for (int it = -warmup; it < iters; it++) {
            Stages s = cpu ? new CpuStages() : new Stages();
            long t0 = s.start();
            file = engine.encode(img, ImageMetadata.EMPTY, opts, ProgressListener.NONE, s);
            long t1 = s.start();
            DecodedImage d = engine.decode(file, DecodeOptions.DEFAULT, ProgressListener.NONE, s);
            long t2 = s.start();
            if (d.image().getWidth() != img.getWidth()) {
                throw new IllegalStateException("bad decode");
            }
            if (it >= 0) {
                for (Stages.Stage st : all) {
                    ms[st.ordinal()][it] = s.nanos(st) / 1e6;
                }
                encTotal[it] = (t1 - t0) / 1e6;
                decTotal[it] = (t2 - t1) / 1e6;
            }
        }
        double enc = median(encTotal);
        double dec = median(decTotal);
        System.out.printf(Locale.ROOT, "%nfile %d bytes = %.3f bpp%n", file.length,
                8.0 * file.length / ((double) img.getWidth() * img.getHeight()));
        System.out.printf(Locale.ROOT, "%-16s %10s %8s%n", "stage", "median ms", "% of op");
        for (Stages.Stage st : all) {
            double m = median(ms[st.ordinal()]);
            boolean encodeSide = st.ordinal() <= Stages.Stage.CONTAINER_WRITE.ordinal();
            if (m == 0 && (st == Stages.Stage.ALPHA_ENCODE || st == Stages.Stage.ALPHA_DECODE)) {
                continue;
            }
            System.out.printf(Locale.ROOT, "%-16s %10.2f %7.1f%%%n", st.name().toLowerCase(Locale.ROOT), m,
                    100 * m / (encodeSide ? enc : dec));
        }
        double onnxEnc = median(ms[Stages.Stage.NET_ENCODE.ordinal()]);
        double onnxDec = median(ms[Stages.Stage.NET_DECODE.ordinal()]);
        System.out.printf(Locale.ROOT, "%-16s %10.2f%n%-16s %10.2f%n", "ENCODE total", enc, "DECODE total", dec);
        System.out.printf(Locale.ROOT, "Java outside ONNX Runtime: encode %.1f%%, decode %.1f%%, both %.1f%% "
                + "(ONNX runs incl. tensor copies: %.2f + %.2f ms)%n", 100 * (enc - onnxEnc) / enc,
                100 * (dec - onnxDec) / dec, 100 * (enc + dec - onnxEnc - onnxDec) / (enc + dec), onnxEnc, onnxDec);
    }

    private static void largeImage(QtkConfig config, EncodeOptions opts, double mp) throws IOException {
        int w = (int) Math.round(Math.sqrt(mp * 1e6 * 3 / 2));
        int h = (int) Math.round(mp * 1e6 / w);
        BufferedImage big = synthetic(w, h);
        try (QtkEncoder enc = QtkEncoder.create(config); QtkDecoder dec = QtkDecoder.create(config)) {
            byte[] f = enc.encode(big, opts); // warm-up at the tile shapes
            dec.decode(f, DecodeOptions.DEFAULT);
            double[] e = new double[2];
            double[] d = new double[2];
            for (int i = 0; i < 2; i++) {
                long t0 = System.nanoTime();
                f = enc.encode(big, opts);
                long t1 = System.nanoTime();
                dec.decode(f, DecodeOptions.DEFAULT);
                long t2 = System.nanoTime();
                e[i] = (t1 - t0) / 1e9;
                d[i] = (t2 - t1) / 1e9;
            }
            double px = (double) w * h / 1e6;
            System.out.printf(Locale.ROOT, "%n%dx%d (%.1f MP), public API, best of 2: encode %.2f s = %.2f MP/s, "
                    + "decode %.2f s = %.2f MP/s, file %.3f bpp%n", w, h, px, min(e), px / min(e), min(d),
                    px / min(d), 8.0 * f.length / ((double) w * h));
        }
    }

    private static double median(double[] a) {
        double[] c = a.clone();
        Arrays.sort(c);
        return c.length == 0 ? 0 : c[c.length / 2];
    }

    private static double min(double[] a) {
        return Arrays.stream(a).min().orElse(0);
    }
}
