package io.qtk.cli;

import io.qtk.ProgressListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the tasks of a batch on {@code jobs} threads. A failing file is reported (with its cause) and the others go
 * on; the result is the number of failures, from which the command's exit code follows.
 */
public final class BatchRunner {
    /** Set when the JVM is being stopped (Ctrl-C): running encodes are cancelled, no new file is started. */
    private static final AtomicBoolean STOPPING = new AtomicBoolean();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STOPPING.set(true), "qtk-stop"));
    }

    /**
     * What was done with one file.
     *
     * @param detail for the file's line, e.g. "-> out.qtk  768x512  0.52 bpp"
     * @param pixels the image's width * height (for the megapixel count)
     */
    public record Done(String detail, long pixels) {
    }

    /** The work for one file. */
    @FunctionalInterface
    public interface Work {
        /**
         * @param task the file
         * @param listener to pass to the codec: feeds the progress bar and cancels on Ctrl-C
         * @return what was done
         * @throws Exception any failure; it is reported for this file only
         */
        Done process(Task task, ProgressListener listener) throws Exception;
    }

    private BatchRunner() {
    }

    /**
     * @param tasks the files
     * @param jobs files processed at the same time, at least 1
     * @param work what to do with each
     * @param progress where to report
     * @param verbose whether to print stack traces of failures
     * @return how many files failed
     */
    public static int run(List<Task> tasks, int jobs, Work work, Progress progress, boolean verbose) {
        double totalMp = tasks.stream().mapToLong(Task::pixels).sum() / 1e6;
        progress.start(tasks.size(), totalMp);
        AtomicInteger failures = new AtomicInteger();
        Runnable[] runs = new Runnable[tasks.size()];
        for (int i = 0; i < tasks.size(); i++) {
            Task t = tasks.get(i);
            runs[i] = () -> runOne(t, work, progress, verbose, failures);
        }
        if (jobs <= 1 || tasks.size() <= 1) {
            for (Runnable r : runs) {
                r.run();
            }
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, tasks.size()), r -> {
                Thread th = new Thread(r, "qtk-job");
                th.setDaemon(true); // never keep the JVM alive after Ctrl-C
                return th;
            });
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (Runnable r : runs) {
                    futures.add(pool.submit(r));
                }
                for (Future<?> f : futures) {
                    try {
                        f.get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        failures.incrementAndGet(); // runOne catches everything; this is only a safety net
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
        progress.finish();
        return failures.get();
    }

    private static void runOne(Task t, Work work, Progress progress, boolean verbose, AtomicInteger failures) {
        if (t.preFailure() != null) {
            failures.incrementAndGet();
            progress.fileFailed(t, t.preFailure());
            return;
        }
        if (STOPPING.get()) {
            failures.incrementAndGet();
            progress.fileFailed(t, "not started: interrupted");
            return;
        }
        ProgressListener listener = new ProgressListener() {
            @Override
            public void progress(float fraction) {
                progress.fileProgress(t, fraction);
            }

            @Override
            public boolean isCancelled() {
                return STOPPING.get();
            }
        };
        try {
            Done done = work.process(t, listener);
            progress.fileDone(t, done.detail(), done.pixels() / 1e6);
        } catch (Throwable e) { // one bad file (even an OutOfMemoryError on a huge one) must not stop the batch
            failures.incrementAndGet();
            progress.fileFailed(t, Errors.describe(e));
            if (verbose) {
                progress.trace(e);
            }
        }
    }
}
