package io.qtk.codec;

import io.qtk.model.ModelBundle;
import io.qtk.model.ModelManifest;
import io.qtk.model.ZipBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Test helper: a model bundle with context tables (coder id 3) or channel tables (coder id 4) made from another
 * bundle and measured indices, as a trainer would: classes and weights by each codeword's order-0 surprisal, counts +1
 * over the contexts of the selector.
 */
final class ContextBundles {
    private ContextBundles() {
    }

    /**
     * @param grid measured indices, all groups
     * @param k K
     * @return {@code [G][K]} classes: with counts {@code C = 1 + occurrences}, sum S and {@code b = log2 K}, the number
     *     of thresholds {@code b - 1, b, b + 1} bits that the surprisal {@code log2(S / C)} reaches
     */
    static int[][] classes(IndexGrid grid, int k) {
        int bits = 31 - Integer.numberOfLeadingZeros(k);
        int[][] out = new int[grid.groups()][k];
        for (int g = 0; g < grid.groups(); g++) {
            long[] c = new long[k];
            long total = k;
            java.util.Arrays.fill(c, 1);
            for (int p = 0; p < grid.positions(); p++) {
                c[grid.get(g, p)]++;
                total++;
            }
            for (int s = 0; s < k; s++) {
                int cls = 0;
                for (int t = bits - 1; t <= bits + 1; t++) {
                    if (total >= (c[s] << Math.max(0, t))) {
                        cls++;
                    }
                }
                out[g][s] = cls;
            }
        }
        return out;
    }

    /**
     * @return {@code [G][25][K]}: 1 + how often each codeword occurs in each grid neighbours context of a grid
     *     {@code columns} wide
     */
    static long[][][] counts(IndexGrid grid, int columns, int[][] classes, int k) {
        long[][][] out = new long[grid.groups()][ContextTables.CONTEXTS][k];
        for (int g = 0; g < grid.groups(); g++) {
            for (long[] row : out[g]) {
                java.util.Arrays.fill(row, 1);
            }
            int[] x = grid.group(g);
            for (int p = 0; p < x.length; p++) {
                int u = p % columns;
                int left = u > 0 ? 1 + classes[g][x[p - 1]] : 0;
                int up = p >= columns ? 1 + classes[g][x[p - columns]] : 0;
                out[g][left * 5 + up][x[p]]++;
            }
        }
        return out;
    }

    /**
     * @param grid measured indices, all groups
     * @param k K
     * @return {@code [G][K]} weights: the order-0 surprisal of counts {@code 1 + occurrences} in quarter bits,
     *     rounded, at most 255
     */
    static int[][] weights(IndexGrid grid, int k) {
        int[][] out = new int[grid.groups()][k];
        for (int g = 0; g < grid.groups(); g++) {
            long[] c = new long[k];
            java.util.Arrays.fill(c, 1);
            for (int p = 0; p < grid.positions(); p++) {
                c[grid.get(g, p)]++;
            }
            long total = k + grid.positions();
            for (int s = 0; s < k; s++) {
                out[g][s] = (int) Math.min(255, Math.round(4 * Math.log((double) total / c[s]) / Math.log(2)));
            }
        }
        return out;
    }

    /** @return {@code [G][L + 2][K]}: 1 + how often each codeword occurs in each channel context */
    static long[][][] channelCounts(IndexGrid grid, int window, int[] thresholds, int[][] weights, int k) {
        int c = thresholds.length + 2;
        long[][][] out = new long[grid.groups()][c][k];
        ChannelTables probe = ChannelTables.of(window, thresholds, weights, g -> null);
        ChannelTables.Window w = probe.newWindow(grid.positions());
        int[] ctx = new int[grid.positions()];
        for (int g = 0; g < grid.groups(); g++) {
            for (long[] row : out[g]) {
                java.util.Arrays.fill(row, 1);
            }
            w.contexts(grid, g, ctx);
            for (int p = 0; p < ctx.length; p++) {
                out[g][ctx[p]][grid.get(g, p)]++;
            }
        }
        return out;
    }

    /**
     * @param bundle a bundle without channel tables
     * @param name the new bundle's model name
     * @return the bundle with that name, the three {@code entropy.channel} keys and the two entries
     */
    static byte[] withChannelTables(byte[] bundle, String name, int window, int[] thresholds, int[][] weights,
            long[][][] counts) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(bundle))) {
            for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
                entries.put(e.getName(), z.readAllBytes());
            }
        }
        StringBuilder m = new StringBuilder();
        for (String line : new String(entries.get(ModelBundle.MANIFEST), StandardCharsets.ISO_8859_1).split("\n")) {
            m.append(line.startsWith("name=") ? "name=" + name : line).append('\n');
        }
        StringBuilder t = new StringBuilder();
        for (int v : thresholds) {
            t.append(t.length() > 0 ? "," : "").append(v);
        }
        m.append(ModelManifest.CHANNEL_KEY).append('=').append(ModelManifest.CHANNEL_PREVIOUS_GROUPS).append('\n')
                .append(ModelManifest.CHANNEL_WINDOW_KEY).append('=').append(window).append('\n')
                .append(ModelManifest.CHANNEL_THRESHOLDS_KEY).append('=').append(t).append('\n');
        entries.put(ModelBundle.MANIFEST, m.toString().getBytes(StandardCharsets.ISO_8859_1));
        int groups = weights.length;
        int k = weights[0].length;
        byte[] w = new byte[groups * k];
        ByteBuffer cx = ByteBuffer.allocate(groups * (thresholds.length + 2) * k * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int g = 0; g < groups; g++) {
            for (int s = 0; s < k; s++) {
                w[g * k + s] = (byte) weights[g][s];
            }
            for (long[] row : counts[g]) {
                for (long v : row) {
                    cx.putInt((int) v);
                }
            }
        }
        entries.put(ModelBundle.WEIGHTS, w);
        entries.put(ModelBundle.CHANNEL, cx.array());
        ZipBuilder out = new ZipBuilder();
        entries.forEach((n, d) -> out.add(n, d, false));
        return out.build();
    }

    /**
     * @param bundle a bundle without context tables
     * @param name the new bundle's model name
     * @param classes {@code [G][K]}
     * @param counts {@code [G][25][K]}
     * @return the bundle with that name, {@code entropy.context=grid-neighbours-4} and the two entries
     */
    static byte[] withContextTables(byte[] bundle, String name, int[][] classes, long[][][] counts)
            throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(bundle))) {
            for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
                entries.put(e.getName(), z.readAllBytes());
            }
        }
        StringBuilder m = new StringBuilder();
        for (String line : new String(entries.get(ModelBundle.MANIFEST), StandardCharsets.ISO_8859_1).split("\n")) {
            m.append(line.startsWith("name=") ? "name=" + name : line).append('\n');
        }
        m.append(ModelManifest.CONTEXT_KEY).append('=').append(ModelManifest.CONTEXT_GRID_NEIGHBOURS_4).append('\n');
        entries.put(ModelBundle.MANIFEST, m.toString().getBytes(StandardCharsets.ISO_8859_1));
        int groups = classes.length;
        int k = classes[0].length;
        byte[] cl = new byte[groups * k];
        ByteBuffer cx = ByteBuffer.allocate(groups * ContextTables.CONTEXTS * k * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int g = 0; g < groups; g++) {
            for (int s = 0; s < k; s++) {
                cl[g * k + s] = (byte) classes[g][s];
            }
            for (long[] row : counts[g]) {
                for (long v : row) {
                    cx.putInt((int) v);
                }
            }
        }
        entries.put(ModelBundle.CLASSES, cl);
        entries.put(ModelBundle.CONTEXT, cx.array());
        ZipBuilder out = new ZipBuilder();
        entries.forEach((n, d) -> out.add(n, d, false));
        return out.build();
    }
}
