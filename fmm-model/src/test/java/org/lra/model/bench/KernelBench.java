package org.lra.model.bench;

import org.lra.model.nn.Dropout;
import org.lra.model.nn.Gelu;
import org.lra.model.nn.LayerNorm;
import org.lra.model.nn.Linear;
import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Precision;

/** Best-of-N time of each elementwise kernel on one block's worth of data at B=8, T=1024, 1 thread. */
public final class KernelBench {
    interface Body {
        void run();
    }

    private static final java.lang.management.ThreadMXBean MX = java.lang.management.ManagementFactory.getThreadMXBean();

    /** Best wall time and best CPU time of the calling thread (robust to other load when threads = 1). */
    static void time(String name, Body b) {
        double best = Double.MAX_VALUE;
        double bestCpu = Double.MAX_VALUE;
        for (int i = 0; i < 40; i++) {
            long c0 = MX.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            b.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
            bestCpu = Math.min(bestCpu, (MX.getCurrentThreadCpuTime() - c0) / 1e6);
        }
        System.out.printf("%-28s wall %8.3f ms   cpu %8.3f ms%n", name, best, bestCpu);
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int rows = 8 * 1024;
        Precision p = Precision.FLOAT32;
        try (Parallel pool = new Parallel(threads)) {
            StepContext ctx = new StepContext(pool, true, 1, 1);
            Buf h = Buf.zeros(p, rows * 128);
            Buf a = Buf.zeros(p, rows * 128);
            Buf x = Buf.zeros(p, rows * 64);
            Buf y = Buf.zeros(p, rows * 64);
            Buf z = Buf.zeros(p, rows * 64);
            for (int i = 0; i < rows * 128; i++) {
                h.set(i, Math.sin(i) * 2);
            }
            for (int i = 0; i < rows * 64; i++) {
                x.set(i, Math.cos(i));
            }
            Parameters params = new Parameters();
            LayerNorm ln = new LayerNorm(params, "ln", 64);
            Linear fc1 = new Linear(params, "fc1", 64, 128);
            Linear fc2 = new Linear(params, "fc2", 128, 64);
            Linear wq = new Linear(params, "wq", 64, 64);
            params.allocate(p, 1);
            Dropout d = new Dropout(0.1, 0, 101);
            time("gelu fwd [BT,128]", () -> Gelu.forward(pool, h, a, rows * 128));
            time("gelu bwd [BT,128]", () -> Gelu.backward(pool, a, h, a, rows * 128));
            time("dropout [BT,128]", () -> d.forward(ctx, h, a, rows * 128));
            time("dropout+add [BT,64]", () -> d.forwardAdd(ctx, x, y, z, rows * 64));
            time("layernorm fwd [BT,64]", () -> ln.forward(pool, x, y, rows));
            time("layernorm bwd [BT,64]", () -> ln.backward(pool, y, x, rows, z, true));
            time("linear 64->128 fwd", () -> fc1.forward(pool, x, h, rows));
            time("linear 64->128 bwd", () -> fc1.backward(pool, h, x, rows, y, false));
            time("linear 128->64 fwd", () -> fc2.forward(pool, h, x, rows));
            time("linear 128->64 bwd", () -> fc2.backward(pool, x, h, rows, a, false));
            time("linear 64->64 fwd", () -> wq.forward(pool, x, y, rows));
            time("linear 64->64 bwd", () -> wq.backward(pool, y, x, rows, z, false));
        }
    }
}
