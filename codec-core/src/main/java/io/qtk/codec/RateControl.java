package io.qtk.codec;

import io.qtk.EncodeOptions;
import java.util.List;
import java.util.TreeSet;
import java.util.function.IntToLongFunction;

/**
 * Picks the number of groups (the prefix length) to write. Groups are nested, so an encoder codes all of them once
 * and the file for g groups holds the first g streams; the size of every ladder point is therefore known exactly
 * before choosing.
 *
 * <ul>
 *   <li>{@code quality} q in [0, 1] maps monotonically onto the ladder: point {@code round(q * (L - 1))}.</li>
 *   <li>{@code targetBytes} / {@code targetBpp}: the largest ladder point whose file fits, the lowest point when
 *       none fits.</li>
 * </ul>
 */
public final class RateControl {
    private RateControl() {
    }

    /**
     * @param ladder the model's ladder (may be empty, unsorted or hold values past G)
     * @param groups G
     * @return the distinct ladder values in 1..G ascending; {@code [1..G]} when the ladder names none
     */
    public static int[] normalise(List<Integer> ladder, int groups) {
        TreeSet<Integer> s = new TreeSet<>();
        if (ladder != null) {
            for (Integer g : ladder) {
                if (g != null && g >= 1 && g <= groups) {
                    s.add(g);
                }
            }
        }
        if (s.isEmpty()) {
            for (int g = 1; g <= groups; g++) {
                s.add(g);
            }
        }
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * @param quality in [0, 1]
     * @param ladder ascending ladder
     * @return the group count
     */
    public static int byQuality(double quality, int[] ladder) {
        double q = Math.max(0, Math.min(1, quality));
        return ladder[(int) Math.round(q * (ladder.length - 1))];
    }

    /**
     * @param maxBytes the most bytes the file may have
     * @param ladder ascending ladder
     * @param fileSize the exact file size for a group count (non-decreasing in it)
     * @return the largest ladder point whose file fits, else the lowest
     */
    public static int bySize(long maxBytes, int[] ladder, IntToLongFunction fileSize) {
        int best = ladder[0];
        for (int g : ladder) {
            if (fileSize.applyAsLong(g) <= maxBytes) {
                best = g;
            }
        }
        return best;
    }

    /**
     * @param options the rate setting
     * @param width image width
     * @param height image height
     * @param ladder ascending ladder
     * @param fileSize exact file size per group count
     * @return the group count to write
     */
    public static int choose(EncodeOptions options, int width, int height, int[] ladder, IntToLongFunction fileSize) {
        return switch (options.rateMode()) {
            case QUALITY -> byQuality(options.quality(), ladder);
            case TARGET_BYTES -> bySize(options.targetBytes(), ladder, fileSize);
            case TARGET_BPP -> bySize(maxBytesForBpp(options.targetBpp(), width, height), ladder, fileSize);
        };
    }

    /**
     * @param options the rate setting
     * @param width image width
     * @param height image height
     * @return the most bytes the file may have: the target of a size mode, unbounded for a quality
     */
    public static long maxBytes(EncodeOptions options, int width, int height) {
        return switch (options.rateMode()) {
            case QUALITY -> Long.MAX_VALUE;
            case TARGET_BYTES -> options.targetBytes();
            case TARGET_BPP -> maxBytesForBpp(options.targetBpp(), width, height);
        };
    }

    /**
     * @param bpp bits per pixel
     * @param width image width
     * @param height image height
     * @return the largest byte count whose bits per pixel are at most {@code bpp}
     */
    public static long maxBytesForBpp(double bpp, int width, int height) {
        double bytes = bpp * width * (double) height / 8.0;
        return bytes >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) Math.floor(bytes);
    }
}
