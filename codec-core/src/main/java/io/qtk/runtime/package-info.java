/**
 * The ONNX Runtime backend: the only package that imports {@code ai.onnxruntime}.
 *
 * <ul>
 *   <li>{@link io.qtk.runtime.OnnxBackend}: shared environment, one {@link io.qtk.runtime.ModelSession} per model,
 *       CUDA with a logged CPU fallback.
 *   <li>{@link io.qtk.runtime.ModelSession}: encoder/decoder runs with shape checks; thread-safe.
 *   <li>{@link io.qtk.runtime.BackendOptions}: threads, CUDA, spinning, native cache.
 *   <li>{@link io.qtk.runtime.NativeLibraryCache}: extracts the native libraries once into
 *       {@code ~/.cache/qtk/onnxruntime-<version>-<os-arch>-<fingerprint>/} and sets {@code onnxruntime.native.path}.
 *   <li>{@link io.qtk.runtime.FloatTensor}, {@link io.qtk.runtime.ExecutionProvider},
 *       {@link io.qtk.runtime.InferenceException}.
 * </ul>
 */
package io.qtk.runtime;
