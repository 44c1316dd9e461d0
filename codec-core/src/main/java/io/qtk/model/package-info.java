/**
 * Model bundles ({@code .qtkm}, specified in {@code format-spec/model-bundle.md}) and their discovery.
 *
 * <ul>
 *   <li>{@link io.qtk.model.ModelBundle}: reads and validates a bundle (path, bytes or class-path resource); exposes
 *       manifest, codebooks, order-0 counts, ONNX graphs and the SHA-256 identity.
 *   <li>{@link io.qtk.model.ModelManifest}: the typed manifest.
 *   <li>{@link io.qtk.model.ModelRegistry}: class path ({@code META-INF/qtk/models.list}), {@code qtk.model.path},
 *       {@code QTK_MODEL_PATH}, API directories; lookup by name (latest), name + version, hash.
 *   <li>{@link io.qtk.model.InvalidModelException} (bad bundle) and {@link io.qtk.model.ModelNotFoundException}
 *       (nothing matches; lists what is available).
 * </ul>
 *
 * <p>Depends on {@code io.qtk.quant.Codebook} only; never on the ONNX runtime.
 */
package io.qtk.model;
