package io.qtk;

import java.util.List;

/**
 * A model the codec can use, as listed by {@link QtkEncoder#models()}.
 *
 * @param name model name
 * @param version model version
 * @param sha256 SHA-256 of the bundle, 64 lower-case hex digits
 * @param quantiser {@code "grid"} or {@code "global"}
 * @param groups groups (grid) or tokens per tile (global)
 * @param codebookSize K, codewords per group / token
 * @param codebookDim d, dimensions per codeword
 * @param scale grid: down-sampling factor f; global: tile side T in pixels
 * @param ladder the group counts the model was trained to decode (its rate ladder)
 * @param source where it was found: {@code classpath:...} or a file path
 */
public record ModelDescription(String name, String version, String sha256, String quantiser, int groups,
        int codebookSize, int codebookDim, int scale, List<Integer> ladder, String source) {
}
