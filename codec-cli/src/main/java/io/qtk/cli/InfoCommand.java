package io.qtk.cli;

import io.qtk.format.ChunkInfo;
import io.qtk.format.ChunkListing;
import io.qtk.format.ChunkType;
import io.qtk.format.QtkFile;
import io.qtk.format.QtkHeader;
import io.qtk.format.QtkReader;
import io.qtk.format.QuantiserLayout;
import io.qtk.format.TokenStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code qtk info FILE.qtk...}: header, model, groups, metadata, chunk list and bits per pixel, read with the
 * container reader only, so it works without the model and on truncated files.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Show header, model, groups, chunks and bpp of .qtk files.",
            "Size, channels, model, quantiser, groups coded and present, metadata, the chunk list and the bits per "
                + "pixel up to each token stream (the file's own rate ladder).",
            "Needs no model: only the container is read."})
public final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = ".qtk files")
    List<Path> files = new ArrayList<>();

    @Option(names = "--no-chunks", description = "Leave out the chunk list.")
    boolean noChunks;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int failed = 0;
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            if (i > 0) {
                out.println();
            }
            try {
                byte[] data = ImageFiles.readAll(f);
                ChunkListing listing = QtkReader.listChunks(data); // framing + CRCs first: the most basic errors
                QtkFile file = QtkReader.read(data);
                print(out, f, data.length, listing, file, !noChunks);
            } catch (Exception e) {
                failed++;
                out.flush();
                err.println("qtk: " + f + ": " + Errors.describe(e));
                err.flush();
            }
        }
        out.flush();
        return failed == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }

    static void print(PrintWriter out, Path path, long size, ChunkListing listing, QtkFile file, boolean chunks) {
        QtkHeader h = file.header();
        double px = (double) h.width() * h.height();
        QuantiserLayout q = h.quantiser();
        out.printf(Locale.ROOT, "file:       %s%n", path);
        out.printf(Locale.ROOT, "size:       %,d bytes, %.4f bpp%n", size, 8.0 * size / px);
        out.printf(Locale.ROOT, "format:     qtk %d.%d%s%n", io.qtk.format.QtkFormat.VERSION_MAJOR,
                listing.minorVersion(), file.truncated() ? " (truncated)" : "");
        out.printf(Locale.ROOT, "image:      %dx%d, %s, %d-bit source, orientation %d%s%n", h.width(), h.height(),
                h.channels().name().toLowerCase(Locale.ROOT).replace('_', '+'), h.sourceBitDepth(), h.orientation(),
                h.orientation() == 1 ? " (upright)" : "");
        out.printf(Locale.ROOT, "model:      %s version %s%n", h.model().name(), h.model().version());
        out.printf(Locale.ROOT, "model hash: %s%n", h.model().sha256Hex());
        String cell = q.kindName().equals("grid") ? "factor f=" + q.cellSize() : "tile T=" + q.cellSize();
        out.printf(Locale.ROOT, "quantiser:  %s, %s, %d %s, K=%d, d=%d, token grid %dx%d%n", q.kindName(), cell,
                q.groups(), q.kindName().equals("grid") ? "groups" : "tokens per tile", q.codebookSize(),
                q.codewordDim(), h.tokenColumns(), h.tokenRows());
        out.printf(Locale.ROOT, "groups:     %d of %d coded, %d present%s%n", h.groupsCoded(), q.groups(),
                file.groupsPresent(), file.truncated() ? " (file cut short: decodes at the quality of these)" : "");
        out.printf(Locale.ROOT, "streams:    %d (groups per stream: %s)%n", h.streamCount(),
                String.join(",", h.streamLayout().stream().map(String::valueOf).toList()));
        io.qtk.format.ImageMetadata m = file.metadata();
        out.printf(Locale.ROOT, "metadata:   ICC %s, EXIF %s, XMP %s, comment %s%n",
                m.icc().map(b -> b.length + " B").orElse("none"), m.exif().map(b -> b.length + " B").orElse("none"),
                m.xmp().map(s -> s.length() + " chars").orElse("none"),
                m.comment().map(s -> "\"" + abbreviate(s, 40) + "\"").orElse("none"));
        out.printf(Locale.ROOT, "alpha:      %s%n", file.alpha().map(a -> "yes, " + a.chunkDataLength() + " B coded")
                .orElse(h.channels().hasAlpha() ? "declared, not present" : "none"));
        if (!chunks) {
            return;
        }
        out.println("chunks:");
        out.printf(Locale.ROOT, "  %10s  %-4s  %10s  %s%n", "offset", "type", "length", "notes");
        List<TokenStream> streams = file.streams();
        int qtok = 0;
        for (ChunkInfo c : listing.chunks()) {
            String note = "";
            if (c.type().equals(ChunkType.QTOK)) {
                if (qtok < streams.size()) {
                    TokenStream s = streams.get(qtok);
                    long end = c.offset() + c.totalLength();
                    note = String.format(Locale.ROOT, "groups %d-%d, coder %d; file up to here %.4f bpp",
                            s.firstGroup(), s.endGroup() - 1, s.coderId(), 8.0 * end / px);
                }
                qtok++;
            }
            if (!c.complete()) {
                note = (note.isEmpty() ? "" : note + "; ") + "incomplete (file cut short)";
            }
            out.printf(Locale.ROOT, "  %10d  %-4s  %10d  %s%n", c.offset(), c.type().name(), c.dataLength(), note);
        }
    }

    private static String abbreviate(String s, int max) {
        String one = s.replace('\n', ' ').replace('\r', ' ');
        return one.length() <= max ? one : one.substring(0, max - 3) + "...";
    }
}
