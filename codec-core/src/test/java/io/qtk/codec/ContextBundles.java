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

    /** @return the entries of a bundle, in its order */
    static Map<String, byte[]> entries(byte[] bundle) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(bundle))) {
            for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
                entries.put(e.getName(), z.readAllBytes());
            }
        }
        return entries;
    }

    /** @return values as a manifest writes them: comma-separated */
    static String csv(int[] values) {
        StringBuilder t = new StringBuilder();
        for (int v : values) {
            t.append(t.length() > 0 ? "," : "").append(v);
        }
        return t.toString();
    }

    /** @return the bundle's manifest with its name line set to {@code name}, for the caller to add keys to */
    private static StringBuilder renamedManifest(Map<String, byte[]> entries, String name) {
        StringBuilder m = new StringBuilder();
        for (String line : new String(entries.get(ModelBundle.MANIFEST), StandardCharsets.ISO_8859_1).split("\n")) {
            m.append(line.startsWith("name=") ? "name=" + name : line).append('\n');
        }
        return m;
    }

    /**
     * @param perCodeword {@code [G][K]}, a byte each
     * @param counts {@code [G][rows][K]}
     * @return {@code {perCodeword as G * K bytes, counts as little-endian u32}}, the layout of a bundle's entries
     */
    private static byte[][] tableEntries(int[][] perCodeword, long[][][] counts) {
        int groups = perCodeword.length;
        int k = perCodeword[0].length;
        byte[] bytes = new byte[groups * k];
        ByteBuffer cx = ByteBuffer.allocate(groups * counts[0].length * k * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int g = 0; g < groups; g++) {
            for (int s = 0; s < k; s++) {
                bytes[g * k + s] = (byte) perCodeword[g][s];
            }
            for (long[] row : counts[g]) {
                for (long v : row) {
                    cx.putInt((int) v);
                }
            }
        }
        return new byte[][] {bytes, cx.array()};
    }

    /** @return the entries as a bundle, all stored */
    private static byte[] zip(Map<String, byte[]> entries) {
        ZipBuilder out = new ZipBuilder();
        entries.forEach((n, d) -> out.add(n, d, false));
        return out.build();
    }

    /**
     * @param bundle a bundle without channel tables
     * @param name the new bundle's model name
     * @return the bundle with that name, the three {@code entropy.channel} keys and the two entries
     */
    static byte[] withChannelTables(byte[] bundle, String name, int window, int[] thresholds, int[][] weights,
            long[][][] counts) throws IOException {
        Map<String, byte[]> entries = entries(bundle);
        StringBuilder m = renamedManifest(entries, name);
        m.append(ModelManifest.CHANNEL_KEY).append('=').append(ModelManifest.CHANNEL_PREVIOUS_GROUPS).append('\n')
                .append(ModelManifest.CHANNEL_WINDOW_KEY).append('=').append(window).append('\n')
                .append(ModelManifest.CHANNEL_THRESHOLDS_KEY).append('=').append(csv(thresholds)).append('\n');
        entries.put(ModelBundle.MANIFEST, m.toString().getBytes(StandardCharsets.ISO_8859_1));
        byte[][] tables = tableEntries(weights, counts);
        entries.put(ModelBundle.WEIGHTS, tables[0]);
        entries.put(ModelBundle.CHANNEL, tables[1]);
        return zip(entries);
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
        Map<String, byte[]> entries = entries(bundle);
        StringBuilder m = renamedManifest(entries, name);
        m.append(ModelManifest.CONTEXT_KEY).append('=').append(ModelManifest.CONTEXT_GRID_NEIGHBOURS_4).append('\n');
        entries.put(ModelBundle.MANIFEST, m.toString().getBytes(StandardCharsets.ISO_8859_1));
        byte[][] tables = tableEntries(classes, counts);
        entries.put(ModelBundle.CLASSES, tables[0]);
        entries.put(ModelBundle.CONTEXT, tables[1]);
        return zip(entries);
    }

    /**
     * Coefficients of coder 5 fitted the way a trainer does: per group, least squares (with bias) of the index on its
     * causal features (previous groups in the window, then left, up, up-left, up-right with {@code K / 2} for an
     * absent neighbour), times {@code 2^S}, rounded, clamped to {@code |a| <= 2^24}; slots of groups before 0 are 0.
     *
     * @return {@code [G][N + 5]}
     */
    static int[][] fitPrediction(IndexGrid grid, int columns, int window, int shift, int k) {
        int groups = grid.groups();
        int n = grid.positions();
        int row = window + PredictionTables.EXTRA;
        int[][] out = new int[groups][row];
        int half = k / 2;
        for (int g = 0; g < groups; g++) {
            double[][] a = new double[row][row + 1];
            double[] f = new double[row];
            for (int p = 0; p < n; p++) {
                int r = p / columns;
                int c = p % columns;
                java.util.Arrays.fill(f, 0);
                for (int i = 0; i < window; i++) {
                    int src = g - window + i;
                    if (src >= 0) {
                        f[i] = grid.get(src, p);
                    }
                }
                f[window] = c > 0 ? grid.get(g, p - 1) : half;
                f[window + 1] = r > 0 ? grid.get(g, p - columns) : half;
                f[window + 2] = r > 0 && c > 0 ? grid.get(g, p - columns - 1) : half;
                f[window + 3] = r > 0 && c < columns - 1 ? grid.get(g, p - columns + 1) : half;
                f[window + 4] = 1;
                double y = grid.get(g, p);
                for (int i = 0; i < row; i++) {
                    for (int j = 0; j < row; j++) {
                        a[i][j] += f[i] * f[j];
                    }
                    a[i][row] += f[i] * y;
                }
            }
            for (int i = 0; i < row; i++) {
                a[i][i] += 1e-3 * (n + 1); // ridge: unused and constant features stay solvable
            }
            for (int col = 0; col < row; col++) { // Gaussian elimination with partial pivoting
                int piv = col;
                for (int i = col + 1; i < row; i++) {
                    if (Math.abs(a[i][col]) > Math.abs(a[piv][col])) {
                        piv = i;
                    }
                }
                double[] t = a[col];
                a[col] = a[piv];
                a[piv] = t;
                for (int i = 0; i < row; i++) {
                    if (i != col && a[col][col] != 0) {
                        double m = a[i][col] / a[col][col];
                        for (int j = col; j <= row; j++) {
                            a[i][j] -= m * a[col][j];
                        }
                    }
                }
            }
            for (int i = 0; i < row; i++) {
                double beta = a[i][i] == 0 ? 0 : a[i][row] / a[i][i];
                long v = Math.round(beta * (1L << shift));
                v = Math.max(-PredictionTables.MAX_COEFFICIENT, Math.min(PredictionTables.MAX_COEFFICIENT, v));
                out[g][i] = i < window && g - window + i < 0 ? 0 : (int) v;
            }
        }
        return out;
    }

    /** @return {@code [G][C5][K]}: 1 + how often each residual symbol occurs in each coder-5 context */
    static long[][][] residualCounts(IndexGrid grid, int columns, ChannelTables channel, int window, int shift,
            int[] activity, int[][] coefficients) {
        PredictionTables probe = PredictionTables.of(channel, window, shift, activity, coefficients, g -> null);
        int k = channel.codebookSize();
        int n = grid.positions();
        long[][][] out = new long[grid.groups()][probe.contexts()][k];
        PredictionTables.Coder coder = probe.newCoder(n, columns);
        int[] ctx = new int[n];
        int[] sym = new int[n];
        for (int g = 0; g < grid.groups(); g++) {
            for (long[] row : out[g]) {
                java.util.Arrays.fill(row, 1);
            }
            coder.symbols(grid, g, ctx, sym);
            for (int p = 0; p < n; p++) {
                out[g][ctx[p]][sym[p]]++;
            }
        }
        return out;
    }

    /**
     * @param bundle a bundle with channel tables and without prediction tables
     * @param name the new bundle's model name
     * @return the bundle with that name, the four {@code entropy.predict} keys and the two entries
     */
    static byte[] withPredictionTables(byte[] bundle, String name, int window, int shift, int[] activity,
            int[][] coefficients, long[][][] counts) throws IOException {
        Map<String, byte[]> entries = entries(bundle);
        StringBuilder m = renamedManifest(entries, name);
        m.append(ModelManifest.PREDICT_KEY).append('=').append(ModelManifest.PREDICT_LINEAR).append('\n')
                .append(ModelManifest.PREDICT_WINDOW_KEY).append('=').append(window).append('\n')
                .append(ModelManifest.PREDICT_SHIFT_KEY).append('=').append(shift).append('\n')
                .append(ModelManifest.PREDICT_ACTIVITY_KEY).append('=').append(csv(activity)).append('\n');
        entries.put(ModelBundle.MANIFEST, m.toString().getBytes(StandardCharsets.ISO_8859_1));
        int groups = coefficients.length;
        ByteBuffer a = ByteBuffer.allocate(groups * (window + 5) * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int[] row : coefficients) {
            for (int v : row) {
                a.putInt(v);
            }
        }
        int rows = counts[0].length;
        int k = counts[0][0].length;
        ByteBuffer rs = ByteBuffer.allocate(groups * rows * k * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (long[][] g : counts) {
            for (long[] row : g) {
                for (long v : row) {
                    rs.putInt((int) v);
                }
            }
        }
        entries.put(ModelBundle.PREDICT, a.array());
        entries.put(ModelBundle.RESIDUAL, rs.array());
        return zip(entries);
    }
}
