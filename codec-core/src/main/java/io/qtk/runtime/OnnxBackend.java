package io.qtk.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import io.qtk.model.ModelBundle;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The ONNX Runtime backend: one JVM-wide {@code OrtEnvironment} and one {@link ModelSession} per model (by SHA-256),
 * created on first use and reused by every caller.
 *
 * <p><b>Threads.</b> Thread-safe. {@link #session} may be called concurrently and returns the same session for the
 * same model; sessions run concurrently (ONNX Runtime's {@code OrtSession.run} is thread-safe).
 *
 * <p><b>GPU.</b> With {@link BackendOptions#useCuda()} true, or automatically when the CUDA build of ONNX Runtime is on
 * the class path (Maven profile {@code -Pgpu}), each graph session is first created with the CUDA execution provider.
 * If that fails (CPU-only runtime, CUDA or cuDNN libraries missing, no device) the backend logs one WARNING line on
 * the {@code io.qtk.runtime} logger, "CUDA execution provider unavailable, running on CPU: reason", and uses the CPU
 * for this and every later session; it does not retry.
 *
 * <p><b>Natives.</b> {@link #create} first calls {@link NativeLibraryCache#install()} (unless disabled in the options),
 * so ONNX Runtime loads its libraries from a stable cache instead of extracting them to a new temporary directory on
 * every start.
 *
 * <p><b>Closing.</b> {@link #close()} closes every session this backend created (waiting for runs in progress) and
 * makes {@link #session} fail; sessions obtained earlier fail on their next run. The {@code OrtEnvironment} is shared
 * by the whole JVM and stays open. Closing twice is harmless.
 */
public final class OnnxBackend implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.qtk.runtime");

    private final BackendOptions options;
    private final OrtEnvironment env;
    private final boolean tryCuda;
    private final AtomicBoolean cudaFailed = new AtomicBoolean();
    private final ConcurrentMap<String, ModelSession> sessions = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private OnnxBackend(BackendOptions options, OrtEnvironment env, boolean tryCuda) {
        this.options = options;
        this.env = env;
        this.tryCuda = tryCuda;
    }

    /** A backend with {@link BackendOptions#defaults()}. */
    public static OnnxBackend create() throws InferenceException {
        return create(BackendOptions.defaults());
    }

    /**
     * A backend.
     *
     * @throws InferenceException if ONNX Runtime's native library cannot be loaded on this platform
     */
    public static OnnxBackend create(BackendOptions options) throws InferenceException {
        if (options.nativeCache()) {
            NativeLibraryCache.install(); // must precede the first use of any ai.onnxruntime class
        }
        OrtEnvironment env;
        boolean cudaBuild;
        try {
            env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "qtk");
            cudaBuild = OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
        } catch (LinkageError | RuntimeException e) {
            throw new InferenceException("ONNX Runtime could not be loaded: " + e, e);
        }
        boolean tryCuda;
        if (options.useCuda() != null) {
            tryCuda = options.useCuda();
        } else {
            String p = System.getProperty(BackendOptions.CUDA_PROPERTY);
            tryCuda = p != null ? Boolean.parseBoolean(p) : cudaBuild;
        }
        return new OnnxBackend(options, env, tryCuda);
    }

    /** The options this backend was made with. */
    public BackendOptions options() {
        return options;
    }

    /** ONNX Runtime's version string. */
    public String runtimeVersion() {
        return env.getVersion();
    }

    /** The provider new sessions get: CUDA while it is being tried and has not failed, else CPU. */
    public ExecutionProvider preferredProvider() {
        return tryCuda && !cudaFailed.get() ? ExecutionProvider.CUDA : ExecutionProvider.CPU;
    }

    /**
     * The session of a model, created on first request (the ONNX graphs themselves load lazily, on the first run of
     * each; see {@link ModelSession#preload()}).
     *
     * @throws IllegalStateException if this backend is closed
     */
    public ModelSession session(ModelBundle bundle) {
        if (closed) {
            throw new IllegalStateException("OnnxBackend is closed");
        }
        ModelSession s = sessions.computeIfAbsent(bundle.sha256Hex(), h -> new ModelSession(this, bundle));
        if (closed) { // raced with close(): do not hand out a session close() may have missed
            s.close();
            throw new IllegalStateException("OnnxBackend is closed");
        }
        return s;
    }

    OrtEnvironment env() {
        return env;
    }

    /** A created graph session and where it runs. */
    static final class Created {
        final OrtSession session;
        final ExecutionProvider provider;

        Created(OrtSession session, ExecutionProvider provider) {
            this.session = session;
            this.provider = provider;
        }
    }

    /** Creates a session for one graph: CUDA first if wanted, CPU otherwise or as the fallback. */
    Created createSession(byte[] graph, String what) throws InferenceException {
        OrtException cudaError = null;
        if (tryCuda && !cudaFailed.get()) {
            try (OrtSession.SessionOptions so = baseOptions()) {
                so.addCUDA(options.cudaDevice());
                return new Created(env.createSession(graph, so), ExecutionProvider.CUDA);
            } catch (OrtException e) {
                cudaError = e; // decided below: only a CUDA problem if the CPU then succeeds
            } catch (LinkageError | RuntimeException e) {
                cudaError = new OrtException(e.toString());
            }
        }
        try (OrtSession.SessionOptions so = baseOptions()) {
            OrtSession s = env.createSession(graph, so);
            if (cudaError != null && cudaFailed.compareAndSet(false, true)) {
                LOG.log(Level.WARNING, "CUDA execution provider unavailable, running on CPU: "
                        + firstLine(cudaError.getMessage()));
            }
            return new Created(s, ExecutionProvider.CPU);
        } catch (OrtException e) {
            throw new InferenceException(what + ": ONNX Runtime cannot load the graph: " + firstLine(e.getMessage()),
                    e);
        }
    }

    private OrtSession.SessionOptions baseOptions() throws OrtException {
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        try {
            so.setIntraOpNumThreads(options.intraOpThreads());
            so.setInterOpNumThreads(1); // our graphs are chains: parallelism is inside operators
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.addConfigEntry("session.intra_op.allow_spinning", options.allowSpinning() ? "1" : "0");
            return so;
        } catch (OrtException | RuntimeException e) {
            so.close();
            throw e;
        }
    }

    static String firstLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s.strip() : s.substring(0, nl).strip();
    }

    void forget(ModelSession s) {
        sessions.remove(s.bundle().sha256Hex(), s);
    }

    /** Closes every session of this backend; see the class documentation. */
    @Override
    public void close() {
        closed = true;
        List<ModelSession> all = new ArrayList<>(sessions.values());
        sessions.clear();
        for (ModelSession s : all) {
            s.close();
        }
    }

    @Override
    public String toString() {
        return "OnnxBackend[onnxruntime " + env.getVersion() + ", " + preferredProvider() + ", " + options + "]";
    }
}
