package io.qtk.cli.bench;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A codec the bench sweeps over its settings. Each coding reports the real size of the file it made and the image
 * decoded back from it, with the time each step took.
 */
public interface BenchCodec extends AutoCloseable {
    /**
     * One coding of one image at one setting.
     *
     * @param bytes the size of the compressed file
     * @param decoded the image decoded from it
     * @param encodeMs wall time of the encode in milliseconds
     * @param decodeMs wall time of the decode in milliseconds
     */
    record Coded(long bytes, BufferedImage decoded, double encodeMs, double decodeMs) {
    }

    /** @return the name in tables, CSV and the plot legend */
    String name();

    /** @return the settings swept, as labels (e.g. "q=50") */
    List<String> settings();

    /** @return "in-process" or "process" (external tools: times include process start-up) */
    String timing();

    /**
     * @param source the image, prepared in the forms codecs take
     * @param setting one of {@link #settings()}
     * @return the result
     * @throws Exception when coding fails
     */
    Coded code(BenchSource source, String setting) throws Exception;

    @Override
    default void close() {
    }
}
