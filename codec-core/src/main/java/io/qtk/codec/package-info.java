/**
 * Internal glue of the codec engine (not a public API): the tile pipeline between pixels, the model networks and
 * the quantiser ({@link io.qtk.codec.GridPipeline}), the quantised indices of a whole image
 * ({@link io.qtk.codec.IndexGrid}), index streams to token-stream chunks and back, and rate control
 * ({@link io.qtk.codec.RateControl}).
 */
package io.qtk.codec;
