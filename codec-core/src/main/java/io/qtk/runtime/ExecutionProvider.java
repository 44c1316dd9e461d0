package io.qtk.runtime;

/** Where a {@link ModelSession} runs its graphs. */
public enum ExecutionProvider {
    /** ONNX Runtime's CPU provider. */
    CPU,
    /** NVIDIA CUDA (needs the {@code onnxruntime_gpu} artifact, the {@code -Pgpu} build, plus CUDA and cuDNN). */
    CUDA
}
