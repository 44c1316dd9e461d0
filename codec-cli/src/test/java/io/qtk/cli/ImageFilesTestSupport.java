package io.qtk.cli;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Small fixtures shared by the image tests. */
final class ImageFilesTestSupport {
    private ImageFilesTestSupport() {
    }

    /** @return a valid 4x4 PNG */
    static byte[] png() {
        try {
            return ImageFiles.encode(Cli.gradient(4, 4), null, "png", 0.9f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
