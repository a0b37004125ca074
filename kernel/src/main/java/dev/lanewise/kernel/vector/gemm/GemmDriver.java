package dev.lanewise.kernel.vector.gemm;

import dev.lanewise.kernel.Activation;
import dev.lanewise.kernel.Parallelism;
import dev.lanewise.kernel.spi.KernelProvider;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The packed, cache-blocked GEMM framework shared by float and double (BLIS style; see {@link BlockSizes} for the
 * loop nest): C = act(alpha * op(A) * op(B) + beta * C + bias), optionally storing the pre-activation.
 *
 * <p>Threads split C into row ranges (or column ranges when C is wider than tall) aligned to the micro-tile, so
 * every element of C sees the same KC slices and the same FMA chain: results are bit-identical for any thread count.
 * Each thread packs into its own {@link Task}'s buffers; tasks are pooled (bounded), so a steady state of calls
 * allocates nothing on the single-threaded path. The arguments are trusted (the facade validated them).
 */
public final class GemmDriver {
    /** Below this many multiply-adds per thread, a thread costs more (wake-up, duplicate packing) than it saves. */
    static final long MIN_WORK_PER_THREAD = 1L << 21;
    /**
     * From this many columns of C on, A is packed even when untransposed, where packing is the strided copy (double,
     * and float at other than 512 bits): each A panel is then reused by n / NR micro-kernels, so packing buys
     * contiguous, conflict-free reads (in-place rows with a power-of-two lda alias in L1 sets) for ~2% of a 1024^3
     * GEMM. Below it, packing A by that copy cost up to ~15% (128x784x256 on Zen 5) and 8-18% for double at n = 96-256
     * on an Intel Xeon (session 7).
     */
    static final int PACK_A_MIN_COLUMNS = 512;
    /**
     * Where A is packed by in-register blocks ({@link Packing#packsAInBlocks}, float at 512 bits), it pays from this
     * many B panels on, i.e. from a reuse of each A panel by 4 micro-kernels: measured on an Intel Xeon (session 7,
     * JMH, alternating runs) packed A ran 7-13% faster at n = 192-256, 0-11% at 128 (three pairs), equal at 96 and
     * 5-10% slower at 48-64; on Zen 5 packing at n = 256 had tied (session 5).
     */
    static final int BLOCKED_PACK_A_MIN_PANELS = 4;
    /**
     * A multi-threaded call is cut into this many chunks of C per thread, which the caller and the workers take in
     * turn: when a worker runs late (another process holds its core), the caller takes its chunk instead of waiting
     * for it. 1, measured against 2 at 1024³ with 2 threads (2 forks each, alternating, quiet): 147 and 156 against 139
     * and 128 ops/s, as every row chunk packs B again; under load the two measured the same.
     */
    static final int CHUNKS_PER_THREAD = 1;
    /**
     * After a multi-threaded call found the machine busy, calls run on the caller's thread alone for this long, then
     * threads are tried again. Busy: a worker had not even started while the caller did at least
     * {@link #BUSY_MIN_NANOS} of work, i.e. the worker's thread did not get a core for that long (a worker that
     * merely parked wakes in tens of microseconds). With another process on one of 2 cores a second thread has no
     * core to gain and costs its hand-offs (see GEMM-NOTES.md, "Threads"). A time, not a number of calls: a false
     * alarm then costs the same at any GEMM size.
     */
    static final long BUSY_BACKOFF_NANOS = 20_000_000;
    static final long BUSY_MIN_NANOS = 200_000;
    /** Until when calls run single-threaded (System.nanoTime); a hint shared by all callers, set without locking. */
    private static volatile long busyUntil = System.nanoTime();
    /** Off in tests that must run every call on several threads. */
    static volatile boolean backoffEnabled = true;

    /** Whether a multi-threaded call's timing says the machine is busy (see {@link #BUSY_BACKOFF_NANOS}). */
    static boolean looksBusy(boolean takenBack, long computedNanos) {
        return takenBack && computedNanos > BUSY_MIN_NANOS;
    }

    /** Lets the next call use its threads again. */
    static void resetBackoff() {
        busyUntil = System.nanoTime();
    }
    /** Pooled tasks kept for reuse; more concurrent tasks than this are allocated and dropped. */
    static final int POOL_SIZE = 2 * Math.max(2, Runtime.getRuntime().availableProcessors());

    private GemmDriver() {
    }


    /** Float GEMM with an optional fused epilogue ({@code f == null}: none; {@code bias}/{@code pre} nullable). */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
                            int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc,
                            float[] bias, int biasOff, Activation.Function f, float param, float[] pre, int preOff,
                            int ldPre, KernelProvider activations) {
        run(FloatOps.forColumns(n), transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
                bias, biasOff, f, param, pre, preOff, ldPre, activations);
    }

    /** Double twin of the float method. */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff,
                            int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc,
                            double[] bias, int biasOff, Activation.Function f, double param, double[] pre,
                            int preOff, int ldPre, KernelProvider activations) {
        run(DoubleOps.forColumns(n), transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
                bias, biasOff, f, param, pre, preOff, ldPre, activations);
    }

    /** Applies bias, pre-activation store and activation to rows [0, m) x columns [0, n) of C. */
    public static void epilogue(int m, int n, float[] c, int cOff, int ldc, float[] bias, int biasOff,
                                Activation.Function f, float param, float[] pre, int preOff, int ldPre,
                                KernelProvider activations) {
        epilogue(FloatOps.INSTANCE, 0, m, 0, n, c, cOff, ldc, bias, biasOff, f, param, pre, preOff, ldPre,
                activations);
    }

    /** Double twin of the float method. */
    public static void epilogue(int m, int n, double[] c, int cOff, int ldc, double[] bias, int biasOff,
                                Activation.Function f, double param, double[] pre, int preOff, int ldPre,
                                KernelProvider activations) {
        epilogue(DoubleOps.INSTANCE, 0, m, 0, n, c, cOff, ldc, bias, biasOff, f, param, pre, preOff, ldPre,
                activations);
    }

    private static <A> void run(Precision<A> ops, boolean transA, boolean transB, int m, int n, int k,
                                double alpha, A a, int aOff, int lda, A b, int bOff, int ldb, double beta, A c,
                                int cOff, int ldc, A bias, int biasOff, Activation.Function f, double param, A pre,
                                int preOff, int ldPre, KernelProvider activations) {
        if (m == 0 || n == 0) {
            return;
        }
        if (alpha == 0 || k == 0) {
            ops.scale(m, n, beta, c, cOff, ldc);
            epilogue(ops, 0, m, 0, n, c, cOff, ldc, bias, biasOff, f, param, pre, preOff, ldPre, activations);
            return;
        }
        BlockSizes bs = ops.sizes;
        boolean splitRows = m >= n || bs.narrow();
        int unit = splitRows ? bs.mr() : bs.nr();
        int panels = ceilDiv(splitRows ? m : n, unit);
        long work = (long) m * n * k;
        int threads = (int) Math.max(1, Math.min(Math.min(Parallelism.threads(), panels), work / MIN_WORK_PER_THREAD));
        if (threads > 1 && backoffEnabled && System.nanoTime() - busyUntil < 0) {
            threads = 1;
        }
        Task<A> own = acquire(ops);
        own.set(transA, transB, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, bias, biasOff, f, param,
                pre, preOff, ldPre, activations);
        own.partition(splitRows, m, unit, panels, threads == 1 ? 1 : Math.min(panels, threads * CHUNKS_PER_THREAD));
        Task<A> dispatched = null; // the tasks handed to workers, linked through Task.next (no per-call array)
        long started = 0;
        try {
            for (int t = 1; t < threads; t++) {
                Task<A> task = acquire(ops);
                task.set(transA, transB, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, bias, biasOff,
                        f, param, pre, preOff, ldPre, activations);
                task.root = own;
                task.next = dispatched;
                dispatched = task;
                Workers.start(task, task.queue());
            }
            started = threads > 1 ? System.nanoTime() : 0;
            own.computeChunks();
        } finally {
            long waitFrom = threads > 1 ? System.nanoTime() : 0;
            boolean takenBack = false;
            Throwable failure = null;
            for (Task<A> task = dispatched; task != null; ) {
                // A worker that has not started yet (a busy machine: its thread is not running) loses its task
                // here; the chunks it would have taken are done by now. Only a worker that started is waited for.
                if (task.claim(task.generation)) {
                    takenBack = true;
                } else {
                    Workers.awaitFinished(task);
                    if (failure == null) {
                        failure = task.failure;
                    }
                }
                Task<A> next = task.next;
                release(task);
                task = next;
            }
            if (threads > 1 && backoffEnabled && looksBusy(takenBack, waitFrom - started)) {
                busyUntil = System.nanoTime() + BUSY_BACKOFF_NANOS;
            }
            release(own);
            if (failure != null) {
                throw new IllegalStateException("GEMM worker failed", failure);
            }
        }
    }

    /** The serial blocked algorithm over one range of C. */
    static <A> void compute(Task<A> t) {
        Precision<A> ops = t.ops;
        BlockSizes bs = ops.sizes;
        if (bs.narrow()) {
            computeNarrow(t);
            return;
        }
        int mrMax = bs.mr(), nrMax = bs.nr();
        int rows = t.row1 - t.row0, cols = t.col1 - t.col0;
        int kcMax = bs.sliceDepth(t.k);
        t.ensureCapacity(roundUp(Math.min(bs.mc(), rows), mrMax) * kcMax, roundUp(Math.min(bs.nc(), cols), nrMax)
                * kcMax);
        for (int ic = t.row0; ic < t.row1; ic += bs.mc()) {
            int mc = Math.min(bs.mc(), t.row1 - ic);
            for (int pc = 0; pc < t.k; pc += kcMax) {
                int kc = Math.min(kcMax, t.k - pc);
                double beta = pc == 0 ? t.beta : 1.0;
                boolean last = pc + kc == t.k;
                // Untransposed A for a narrow C is read in place by the direct kernels (its rows are already
                // contiguous in k); only a partial last row panel is packed (zero-padded) at packedA[0].
                boolean direct = !t.transA && t.n < ops.packAMinColumns();
                int fullRows = direct ? mc / mrMax * mrMax : 0;
                if (!direct || fullRows < mc) {
                    ops.packA(t.transA, t.a, t.aOff, t.lda, ic + fullRows, mc - fullRows, pc, kc, t.packedA);
                }
                for (int jc = t.col0; jc < t.col1; jc += bs.nc()) {
                    int nc = Math.min(bs.nc(), t.col1 - jc);
                    // An untransposed B's full panels are packed by the first row panel's kernels as they compute
                    // (kernelPackB), when that panel is full; the rest here.
                    int packedByKernels = !t.transB && mc >= mrMax ? nc / nrMax * nrMax : 0;
                    if (packedByKernels < nc) {
                        ops.packB(t.transB, t.b, t.bOff, t.ldb, pc, kc, jc + packedByKernels, nc - packedByKernels,
                                t.packedB, packedByKernels * kc);
                    }
                    for (int ir = 0; ir < mc; ir += mrMax) {
                        int mr = Math.min(mrMax, mc - ir);
                        boolean inPlace = direct && mr == mrMax;
                        A aSrc = inPlace ? t.a : t.packedA;
                        int aIdx = inPlace ? t.aOff + (ic + ir) * t.lda + pc : (ir - fullRows) * kc;
                        for (int jr = 0; jr < nc; jr += nrMax) {
                            int nr = Math.min(nrMax, nc - jr);
                            int cIdx = t.cOff + (ic + ir) * t.ldc + jc + jr;
                            boolean fullTile = mr == mrMax && nr == nrMax;
                            A out = fullTile ? t.c : t.tile;
                            int outIdx = fullTile ? cIdx : 0;
                            int outLd = fullTile ? t.ldc : nrMax;
                            double outBeta = fullTile ? beta : 0.0;
                            if (ir == 0 && jr < packedByKernels) {
                                ops.kernelPackB(kc, inPlace, aSrc, aIdx, t.lda, t.b,
                                        t.bOff + pc * t.ldb + jc + jr, t.ldb, t.packedB, jr * kc, t.alpha, outBeta,
                                        out, outIdx, outLd);
                            } else if (inPlace) {
                                ops.kernelDirect(kc, aSrc, aIdx, t.lda, t.packedB, jr * kc, t.alpha, outBeta, out,
                                        outIdx, outLd);
                            } else {
                                ops.kernel(kc, aSrc, aIdx, t.packedB, jr * kc, t.alpha, outBeta, out, outIdx, outLd);
                            }
                            if (!fullTile) {
                                ops.mergeEdge(t.tile, nrMax, mr, nr, beta, t.c, cIdx, t.ldc);
                            }
                        }
                        if (last && t.hasEpilogue) {
                            // The mr x nc row panel was just written: finish it while it is still in cache (per panel
                            // rather than per micro-tile: nc / nr times fewer, longer epilogue calls per row).
                            epilogue(ops, ic + ir, mr, jc, nc, t.c, t.cOff, t.ldc, t.bias, t.biasOff, t.f, t.param,
                                    t.pre, t.preOff, t.ldPre, t.activations);
                        }
                    }
                }
            }
        }
    }

    /**
     * C at most NR columns wide, one MR-row panel per kernel call: A is read in place whatever its transpose (its
     * rows, or for a transposed A its k-major columns, go straight to the broadcasts), an untransposed B too (its
     * rows are the kernel's B vectors, loaded under the column mask), so a 128 x 10 output layer packs nothing; a
     * transposed B is packed per KC slice into kc x NR (zero-padded). The kernel writes alpha * acc to the task's
     * MR x NR tile and {@code mergeEdge} adds it to beta * C under the column mask, the packed path's edge merge:
     * masked stores in the kernel itself made it too big for C1, which then left it stuck in tier 2 (GEMM-NOTES.md).
     */
    private static <A> void computeNarrow(Task<A> t) {
        Precision<A> ops = t.ops;
        BlockSizes bs = ops.sizes;
        int mr = bs.mr(), n = t.n;
        int rowStep = t.transA ? 1 : t.lda, kStep = t.transA ? t.lda : 1;
        int kcMax = bs.sliceDepth(t.k);
        if (t.transB) {
            t.ensureCapacity(0, bs.nr() * kcMax);
        }
        // Transposed A goes along m unless op(A) has fewer rows than one along-m call (then there is no full panel
        // to shift a partial one into).
        boolean alongM = t.transA && t.row1 >= ops.alongMRows();
        for (int pc = 0; pc < t.k; pc += kcMax) {
            int kc = Math.min(kcMax, t.k - pc);
            double beta = pc == 0 ? t.beta : 1.0;
            boolean last = pc + kc == t.k;
            A b = t.b;
            int bIdx = t.bOff + pc * t.ldb, bStep = t.ldb;
            if (t.transB) {
                ops.packB(true, t.b, t.bOff, t.ldb, pc, kc, 0, n, t.packedB, 0);
                b = t.packedB;
                bIdx = 0;
                bStep = bs.nr();
            }
            if (alongM) {
                narrowAlongM(t, pc, kc, beta, last, b, bIdx, bStep);
                continue;
            }
            for (int i = t.row0; i < t.row1; i += mr) {
                int rows = Math.min(mr, t.row1 - i);
                ops.narrowKernel(kc, t.a, t.aOff + i * rowStep + pc * kStep, rowStep, kStep, b, bIdx, bStep, rows, n,
                        t.alpha, t.tile);
                if (last && t.bias != null) {
                    ops.mergeEdgeAddBias(t.tile, bs.nr(), rows, n, beta, t.c, t.cOff + i * t.ldc, t.ldc, t.bias,
                            t.biasOff);
                } else {
                    ops.mergeEdge(t.tile, bs.nr(), rows, n, beta, t.c, t.cOff + i * t.ldc, t.ldc);
                }
                if (last && t.hasEpilogue) {
                    // The bias is in (above); what is left is the pre-activation copy and the activation.
                    epilogue(ops, i, rows, 0, n, t.c, t.cOff, t.ldc, null, 0, t.f, t.param, t.pre, t.preOff,
                            t.ldPre, t.activations);
                }
            }
        }
    }

    /**
     * One KC slice of a narrow C with transposed A: op(A)'s k step p is a stored row of A, so the kernel's vectors run
     * along m (plain loads) and each B value is one broadcast for all of them: no lane pads n, where the row kernels
     * compute whole vectors for a 10-column C. The result goes to the tile column by column and is stored transposed
     * by {@code mergeColumns}. A partial last panel is shifted back to end at row1 (recomputing rows of the panel
     * before it and storing only its own), so no read passes op(A)'s last row and no mask is needed. C wider than one
     * call is split into near-equal column chunks.
     */
    private static <A> void narrowAlongM(Task<A> t, int pc, int kc, double beta, boolean last, A b, int bIdx,
                                         int bStep) {
        Precision<A> ops = t.ops;
        int panel = ops.alongMRows(), n = t.n;
        int chunks = ceilDiv(n, ops.alongMColumns()), width = ceilDiv(n, chunks);
        for (int i = t.row0; i < t.row1; i += panel) {
            int rows = Math.min(panel, t.row1 - i);
            int start = i + rows - panel;
            for (int j = 0; j < n; j += width) {
                int cols = Math.min(width, n - j);
                ops.alongMKernel(kc, t.a, t.aOff + pc * t.lda + start, t.lda, b, bIdx + j, bStep, cols, t.alpha,
                        t.tile);
                ops.mergeColumns(t.tile, panel - rows, panel, rows, cols, beta, t.c, t.cOff + i * t.ldc + j, t.ldc);
            }
            if (last && t.hasEpilogue) {
                epilogue(ops, i, rows, 0, n, t.c, t.cOff, t.ldc, t.bias, t.biasOff, t.f, t.param, t.pre, t.preOff,
                        t.ldPre, t.activations);
            }
        }
    }

    private static <A> void epilogue(Precision<A> ops, int row0, int rows, int col0, int cols, A c, int cOff, int ldc,
                                     A bias, int biasOff, Activation.Function f, double param, A pre, int preOff,
                                     int ldPre, KernelProvider activations) {
        boolean activate = f != null && f != Activation.Function.IDENTITY;
        if (bias == null && pre == null && !activate) {
            return;
        }
        if (ldc == cols && (pre == null || ldPre == cols)) {
            // The rows are contiguous (a narrow C without padding, e.g. 12 x 10): one call per step over the whole
            // panel instead of three per row shorter than a vector. Same per-element operations in the same order.
            int ci = cOff + row0 * ldc;
            if (bias != null) {
                for (int r = 0; r < rows; r++) {
                    ops.addBias(cols, c, ci + r * ldc, bias, biasOff);
                }
            }
            if (pre != null) {
                ops.copy(rows * cols, c, ci, pre, preOff + row0 * ldPre);
            }
            if (activate) {
                ops.activate(activations, f, param, rows * cols, c, ci);
            }
            return;
        }
        for (int r = row0; r < row0 + rows; r++) {
            int ci = cOff + r * ldc + col0;
            if (bias != null) {
                ops.addBias(cols, c, ci, bias, biasOff + col0);
            }
            if (pre != null) {
                ops.copy(cols, c, ci, pre, preOff + r * ldPre + col0);
            }
            if (activate) {
                ops.activate(activations, f, param, cols, c, ci);
            }
        }
    }

    private static <A> Task<A> acquire(Precision<A> ops) {
        AtomicReferenceArray<Task<A>> pool = ops.pool;
        for (int i = 0; i < POOL_SIZE; i++) {
            Task<A> task = pool.getAndSet(i, null);
            if (task != null) {
                return task;
            }
        }
        return new Task<>(ops);
    }

    private static <A> void release(Task<A> task) {
        AtomicReferenceArray<Task<A>> pool = task.ops.pool;
        task.clear();
        for (int i = 0; i < POOL_SIZE; i++) {
            if (pool.compareAndSet(i, null, task)) {
                return;
            }
        }
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    private static int roundUp(int x, int multiple) {
        return ceilDiv(x, multiple) * multiple;
    }

    /** One thread's share of a call: its range of C, the call's arguments and its own pack buffers. */
    static final class Task<A> {
        final Precision<A> ops;
        A packedA, packedB;
        final A tile;
        boolean transA, transB, hasEpilogue;
        int n, k, aOff, lda, bOff, ldb, cOff, ldc, biasOff, preOff, ldPre, row0, row1, col0, col1;
        double alpha, beta, param;
        A a, b, c, bias, pre;
        Activation.Function f;
        KernelProvider activations;
        /** Set by the worker when its share is computed (or failed); the caller spins on it. */
        volatile boolean finished;
        Task<A> next;
        Throwable failure;
        /** The caller's task, which holds the call's partition and chunk counter (itself for the caller's own). */
        Task<A> root;
        final AtomicInteger nextChunk = new AtomicInteger();
        boolean splitRows;
        int m, unit, panels, chunks;
        /**
         * 2 g while queued for a worker (g = {@link #generation}, one per hand-off), 2 g + 1 once the worker or the
         * caller claimed it: exactly one of them runs the hand-off, and a late worker holding a task that was since
         * pooled and handed off again cannot claim the new hand-off with its old generation.
         */
        final AtomicLong ticket = new AtomicLong(1);
        long generation;

        Task(Precision<A> ops) {
            this.ops = ops;
            this.tile = ops.allocate(Math.max(ops.sizes.mr() * ops.sizes.nr(),
                    ops.sizes.narrow() ? ops.alongMRows() * ops.alongMColumns() : 0));
        }

        void set(boolean transA, boolean transB, int n, int k, double alpha, A a, int aOff, int lda, A b, int bOff,
                 int ldb,
                 double beta, A c, int cOff, int ldc, A bias, int biasOff, Activation.Function f, double param, A pre,
                 int preOff, int ldPre, KernelProvider activations) {
            this.transA = transA;
            this.transB = transB;
            this.n = n;
            this.k = k;
            this.alpha = alpha;
            this.a = a;
            this.aOff = aOff;
            this.lda = lda;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
            this.beta = beta;
            this.c = c;
            this.cOff = cOff;
            this.ldc = ldc;
            this.bias = bias;
            this.biasOff = biasOff;
            this.f = f;
            this.param = param;
            this.pre = pre;
            this.preOff = preOff;
            this.ldPre = ldPre;
            this.activations = activations;
            this.hasEpilogue = bias != null || pre != null || (f != null && f != Activation.Function.IDENTITY);
        }

        /** The caller's task: C is cut into {@code chunks} ranges of whole {@code unit}-wide panels. */
        void partition(boolean splitRows, int m, int unit, int panels, int chunks) {
            this.root = this;
            this.splitRows = splitRows;
            this.m = m;
            this.unit = unit;
            this.panels = panels;
            this.chunks = chunks;
            nextChunk.set(0);
        }

        /** Queues this task for a worker; returns the generation to claim it with. */
        long queue() {
            long g = ++generation;
            ticket.set(2 * g);
            return g;
        }

        boolean claim(long g) {
            return ticket.compareAndSet(2 * g, 2 * g + 1);
        }

        /** Takes the call's next chunk until none is left, computing each into this task's range. */
        void computeChunks() {
            Task<A> r = root;
            int extent = r.splitRows ? r.m : n;
            for (int chunk; (chunk = r.nextChunk.getAndIncrement()) < r.chunks; ) {
                int from = (int) ((long) r.panels * chunk / r.chunks) * r.unit;
                int to = (int) Math.min((long) r.panels * (chunk + 1) / r.chunks * r.unit, extent);
                if (r.splitRows) {
                    range(from, to, 0, n);
                } else {
                    range(0, r.m, from, to);
                }
                compute(this);
            }
        }

        void range(int row0, int row1, int col0, int col1) {
            this.row0 = row0;
            this.row1 = row1;
            this.col0 = col0;
            this.col1 = col1;
        }

        void ensureCapacity(int aLength, int bLength) {
            if (packedA == null || ops.length(packedA) < aLength) {
                packedA = ops.allocate(aLength);
            }
            if (packedB == null || ops.length(packedB) < bLength) {
                packedB = ops.allocate(bLength);
            }
        }

        /** Drops references to the caller's arrays so a pooled task does not keep them alive. */
        void clear() {
            a = b = c = bias = pre = null;
            f = null;
            activations = null;
            finished = false;
            next = null;
            failure = null;
            root = null;
        }

        /** The worker's side: computes chunks; a failure is kept for the caller to rethrow. */
        void run() {
            try {
                computeChunks();
            } catch (Throwable e) {
                failure = e;
            }
        }
    }

    /**
     * Daemon worker threads that spin briefly for the next task before parking. A training step's GEMMs take
     * 30-300 µs each; handing them to a parked thread (an executor's queue) cost about as much as the second thread
     * saved, because waking an idle CPU, in a VM especially, takes tens of microseconds: measured with the training
     * step, 2 threads ran no faster than 1. Idle workers wait in a bounded array of slots (no allocation per call);
     * a worker that finds no free slot ends. Workers are shared by all concurrent callers.
     */
    private static final class Workers {
        /** How long an idle worker waits for its next task before it parks: longer than the gaps between GEMMs. */
        private static final long SPIN_NANOS = 200_000;
        /** How long a caller spins on a worker's last chunk: about one chunk of a training step's GEMM. */
        private static final long AWAIT_SPIN_NANOS = 20_000;
        /** Then it yields its core until this much time has passed, then parks between checks. */
        private static final long AWAIT_YIELD_NANOS = 1_000_000;
        private static final AtomicInteger COUNT = new AtomicInteger();
        private static final AtomicReferenceArray<Worker> IDLE = new AtomicReferenceArray<>(POOL_SIZE);

        static void start(Task<?> task, long generation) {
            Worker worker = null;
            for (int i = 0; i < POOL_SIZE && worker == null; i++) {
                worker = IDLE.getAndSet(i, null);
            }
            if (worker == null) {
                worker = new Worker();
                worker.pendingGeneration = generation;
                worker.pending = task;
                worker.start();
                return;
            }
            worker.pendingGeneration = generation;
            worker.pending = task;
            if (worker.parked) {
                LockSupport.unpark(worker);
            }
        }

        static void awaitFinished(Task<?> task) {
            long start = System.nanoTime();
            while (!task.finished) {
                long waited = System.nanoTime() - start;
                if (waited < AWAIT_SPIN_NANOS) {
                    Thread.onSpinWait();
                } else if (waited < AWAIT_YIELD_NANOS) {
                    // The worker may be waiting for this core (a busy machine): give it the core, not a spin.
                    Thread.yield();
                } else {
                    LockSupport.parkNanos(20_000);
                }
            }
        }

        private static final class Worker extends Thread {
            volatile Task<?> pending;
            /** Written before {@link #pending}, read after it. */
            long pendingGeneration;
            volatile boolean parked;

            Worker() {
                super("lanewise-gemm-" + COUNT.incrementAndGet());
                setDaemon(true);
            }

            @Override
            public void run() {
                while (true) {
                    Task<?> task = awaitTask();
                    long generation = pendingGeneration;
                    pending = null;
                    // Not claimed: the caller took the task back, and the caller alone may touch it now.
                    boolean claimed = task.claim(generation);
                    if (claimed) {
                        task.run();
                    }
                    // Back among the idle before the caller learns the task is done, so that its next call finds
                    // this worker instead of starting another thread.
                    boolean kept = offerIdle();
                    if (claimed) {
                        task.finished = true;
                    }
                    if (!kept) {
                        return;
                    }
                }
            }

            private Task<?> awaitTask() {
                Task<?> task;
                long start = System.nanoTime();
                for (long waited = 0; (task = pending) == null && waited < SPIN_NANOS;
                     waited = System.nanoTime() - start) {
                    // Yield after a short spin: on a busy machine this thread may share its core with the caller,
                    // whose work is what it is waiting for.
                    if (waited < AWAIT_SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        Thread.yield();
                    }
                }
                if (task == null) {
                    // Dekker with start(): this writes parked then reads pending; start() writes pending then reads
                    // parked, so at least one of the two sees the other's write and no wake-up is lost.
                    parked = true;
                    while ((task = pending) == null) {
                        LockSupport.park(this);
                    }
                    parked = false;
                }
                return task;
            }

            private boolean offerIdle() {
                for (int i = 0; i < POOL_SIZE; i++) {
                    if (IDLE.compareAndSet(i, null, this)) {
                        return true;
                    }
                }
                return false;
            }
        }
    }
}
