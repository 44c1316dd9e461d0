package io.qtk.cli;

import java.nio.file.Path;

/**
 * One file of a batch: where it comes from, where its result goes, and how it is named on screen.
 *
 * @param input the input file
 * @param output the output file
 * @param label the input as shown to the user (relative to the directory given, or as typed)
 * @param pixels width * height when known from the header beforehand, else 0 (only used for progress / ETA)
 * @param preFailure a failure already known when planning (e.g. two inputs mapping to one output), or null
 */
public record Task(Path input, Path output, String label, long pixels, String preFailure) {
    /** @return this task with a known pixel count */
    Task withPixels(long px) {
        return new Task(input, output, label, px, preFailure);
    }
}
