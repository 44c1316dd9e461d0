package io.qtk.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.qtk.model.ModelBundle;
import io.qtk.model.ModelManifest;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The encoder and decoder of one model, ready to run. Obtained from {@link OnnxBackend#session}; one per model, shared.
 *
 * <p>Each graph's ONNX Runtime session is created on its first run (or by {@link #preload()}), so a process that only
 * decodes never loads the encoder. Inputs are passed to ONNX Runtime in direct native-order buffers (no copy on its
 * side); every tensor and result is closed before a run returns.
 *
 * <p><b>Shapes</b> (bundle spec, "Tensors"): grid models take an image {@code [1, 3, H, W]} with H and W multiples of
 * the factor f and produce a latent {@code [1, C, H/f, W/f]}; global models take {@code [1, 3, T, T]} and produce
 * {@code [1, N, d]}. The decoder maps the (de-quantised) latent back to {@code [1, 3, H, W]}. Inputs and outputs are
 * checked against the manifest; a mismatch is an {@link InferenceException}.
 *
 * <p><b>Threads.</b> Thread-safe: any number of threads may run the same session at once. {@link #close()} waits for
 * runs in progress, then releases the native sessions; later runs throw {@link IllegalStateException}.
 */
public final class ModelSession implements AutoCloseable {
    private final OnnxBackend backend;
    private final ModelBundle bundle;
    private final ModelManifest m;
    private final String label;
    /** Runs hold the read lock; close takes the write lock, so it never frees a session under a running graph. */
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private OnnxBackend.Created encoder; // guarded by this
    private OnnxBackend.Created decoder; // guarded by this
    private volatile boolean closed;

    ModelSession(OnnxBackend backend, ModelBundle bundle) {
        this.backend = backend;
        this.bundle = bundle;
        this.m = bundle.manifest();
        this.label = "model " + m.name() + " " + m.version();
    }

    /** The bundle this session runs. */
    public ModelBundle bundle() {
        return bundle;
    }

    /** Shorthand for {@code bundle().manifest()}. */
    public ModelManifest manifest() {
        return m;
    }

    /** Creates both graph sessions now (servers: pay the load time before the first request). */
    public void preload() throws InferenceException {
        lock.readLock().lock();
        try {
            checkOpen();
            encoder();
            decoder();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Where the graphs run: CPU if any graph loaded so far runs on the CPU, CUDA if all loaded graphs do; before any
     * graph is loaded, the backend's {@link OnnxBackend#preferredProvider()}.
     */
    public synchronized ExecutionProvider provider() {
        if (encoder == null && decoder == null) {
            return backend.preferredProvider();
        }
        boolean cpu = (encoder != null && encoder.provider == ExecutionProvider.CPU)
                || (decoder != null && decoder.provider == ExecutionProvider.CPU);
        return cpu ? ExecutionProvider.CPU : ExecutionProvider.CUDA;
    }

    private synchronized OnnxBackend.Created encoder() throws InferenceException {
        if (encoder == null) {
            encoder = load(bundle.encoderOnnx(), "encoder", m.encoderInput(), m.encoderOutput());
        }
        return encoder;
    }

    private synchronized OnnxBackend.Created decoder() throws InferenceException {
        if (decoder == null) {
            decoder = load(bundle.decoderOnnx(), "decoder", m.decoderInput(), m.decoderOutput());
        }
        return decoder;
    }

    private OnnxBackend.Created load(byte[] graph, String which, String in, String out) throws InferenceException {
        OnnxBackend.Created c = backend.createSession(graph, label + " " + which);
        Set<String> ins = c.session.getInputNames();
        Set<String> outs = c.session.getOutputNames();
        if (!ins.contains(in) || !outs.contains(out)) {
            closeQuietly(c.session);
            throw new InferenceException(label + " " + which + ": the graph has inputs " + ins + " and outputs " + outs
                    + ", the manifest names input '" + in + "' and output '" + out + "'");
        }
        return c;
    }

    /**
     * Runs the encoder on one image.
     *
     * @param chw RGB planes in [0, 1], {@code 3 * h * w} floats, C order
     * @param h image height: a multiple of f (grid) or T (global)
     * @param w image width: a multiple of f (grid) or T (global)
     * @return the latent, shape {@code [1, C, h/f, w/f]} (grid) or {@code [1, N, d]} (global)
     * @throws IllegalArgumentException if the sizes do not fit the model
     * @throws InferenceException if the run fails or returns an unexpected shape
     */
    public FloatTensor runEncoder(float[] chw, int h, int w) throws InferenceException {
        if (h < 1 || w < 1 || (long) 3 * h * w != chw.length) {
            throw new IllegalArgumentException("image " + h + "x" + w + " needs 3*h*w floats, got " + chw.length);
        }
        int[] expect;
        if (m.quantiser() == ModelManifest.Quantiser.GRID) {
            int f = m.gridFactor();
            if (h % f != 0 || w % f != 0) {
                throw new IllegalArgumentException("image " + h + "x" + w + " is not a multiple of the factor " + f
                        + " (pad it first)");
            }
            expect = new int[] {1, m.latentChannels(), h / f, w / f};
        } else {
            if (h != m.globalTile() || w != m.globalTile()) {
                throw new IllegalArgumentException("global model takes " + m.globalTile() + "x" + m.globalTile()
                        + " tiles, got " + h + "x" + w);
            }
            expect = new int[] {1, m.groups(), m.codebookDim()};
        }
        return run(true, chw, new long[] {1, 3, h, w}, expect);
    }

    /**
     * Runs the decoder of a grid model on a latent of {@code h x w} positions.
     *
     * @param latent {@code C * h * w} floats (the de-quantised latent; zeros for groups not coded)
     * @return the image, shape {@code [1, 3, h*f, w*f]}; values are not clamped
     */
    public FloatTensor runDecoder(float[] latent, int h, int w) throws InferenceException {
        if (m.quantiser() != ModelManifest.Quantiser.GRID) {
            throw new IllegalArgumentException("not a grid model; use runDecoder(FloatTensor)");
        }
        return runDecoder(new FloatTensor(latent, 1, m.latentChannels(), h, w));
    }

    /**
     * Runs the decoder on a latent tensor: grid {@code [1, C, h, w]} (or {@code [C, h, w]}), global {@code [1, N, d]}
     * (or {@code [N, d]}).
     *
     * @return the image {@code [1, 3, H, W]}
     */
    public FloatTensor runDecoder(FloatTensor latent) throws InferenceException {
        int[] s = latent.shape();
        if (m.quantiser() == ModelManifest.Quantiser.GRID) {
            if (s.length == 3) {
                s = new int[] {1, s[0], s[1], s[2]};
            }
            if (s.length != 4 || s[0] != 1 || s[1] != m.latentChannels() || s[2] < 1 || s[3] < 1) {
                throw new IllegalArgumentException("grid latent must be [1, " + m.latentChannels() + ", h, w], got "
                        + Arrays.toString(latent.shape()));
            }
            int f = m.gridFactor();
            return run(false, latent.data(), longs(s), new int[] {1, 3, s[2] * f, s[3] * f});
        }
        if (s.length == 2) {
            s = new int[] {1, s[0], s[1]};
        }
        if (s.length != 3 || s[0] != 1 || s[1] != m.groups() || s[2] != m.codebookDim()) {
            throw new IllegalArgumentException("global latent must be [1, " + m.groups() + ", " + m.codebookDim()
                    + "], got " + Arrays.toString(latent.shape()));
        }
        return run(false, latent.data(), longs(s), new int[] {1, 3, m.globalTile(), m.globalTile()});
    }

    private FloatTensor run(boolean enc, float[] data, long[] shape, int[] expect) throws InferenceException {
        String which = enc ? "encoder" : "decoder";
        lock.readLock().lock();
        try {
            checkOpen();
            OnnxBackend.Created c = enc ? encoder() : decoder();
            String in = enc ? m.encoderInput() : m.decoderInput();
            String out = enc ? m.encoderOutput() : m.decoderOutput();
            FloatBuffer buf = DirectBuffers.of(data);
            try (OnnxTensor input = OnnxTensor.createTensor(backend.env(), buf, shape);
                    OrtSession.Result result = c.session.run(Map.of(in, input), Set.of(out))) {
                Optional<OnnxValue> v = result.get(out);
                if (v.isEmpty() || !(v.get() instanceof OnnxTensor)) {
                    throw new InferenceException(label + " " + which + ": no tensor output '" + out + "'");
                }
                OnnxTensor t = (OnnxTensor) v.get();
                TensorInfo info = t.getInfo();
                long[] got = info.getShape();
                if (info.type != ai.onnxruntime.OnnxJavaType.FLOAT || !Arrays.equals(got, longs(expect))) {
                    throw new InferenceException(label + " " + which + ": output '" + out + "' is " + info.type + " "
                            + Arrays.toString(got) + ", expected FLOAT " + Arrays.toString(expect) + " for input "
                            + Arrays.toString(shape));
                }
                // getFloatBuffer copies native memory into a heap buffer once; take its array rather than copy again.
                FloatBuffer fb = t.getFloatBuffer();
                float[] arr;
                if (fb.hasArray() && fb.arrayOffset() == 0 && fb.array().length == fb.remaining()) {
                    arr = fb.array();
                } else {
                    arr = new float[fb.remaining()];
                    fb.get(arr);
                }
                return new FloatTensor(arr, expect);
            } catch (OrtException e) {
                throw new InferenceException(label + " " + which + " failed for input " + Arrays.toString(shape)
                        + ": " + OnnxBackend.firstLine(e.getMessage()), e);
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(label + ": session is closed");
        }
    }

    private static long[] longs(int[] a) {
        long[] l = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            l[i] = a[i];
        }
        return l;
    }

    private static void closeQuietly(OrtSession s) {
        try {
            s.close();
        } catch (OrtException e) {
            // nothing useful to do: the session is being discarded
        }
    }

    /** Waits for runs in progress, then releases both graph sessions. Idempotent. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            synchronized (this) {
                if (encoder != null) {
                    closeQuietly(encoder.session);
                    encoder = null;
                }
                if (decoder != null) {
                    closeQuietly(decoder.session);
                    decoder = null;
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
        backend.forget(this);
    }

    @Override
    public String toString() {
        return "ModelSession[" + label + ", " + provider() + "]";
    }
}
