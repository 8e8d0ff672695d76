package org.lra.model.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.lra.model.tensor.Init;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Param;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Precision;

class AdamWTest {

    private static Parameters twoParams() {
        Parameters params = new Parameters();
        params.register("w", Init.constant(0), true, 2);  // decays
        params.register("b", Init.constant(0), false, 1); // does not
        params.allocate(Precision.FLOAT64, 0);
        params.values().set(0, 0.5);
        params.values().set(1, -1.0);
        params.values().set(2, 0.2);
        return params;
    }

    private static void setGrads(Parameters p, double... g) {
        for (int i = 0; i < g.length; i++) {
            p.grads().set(i, g[i]);
        }
    }

    @Test
    void firstStepMatchesHandComputedUpdate() {
        Parameters params = twoParams();
        AdamW opt = new AdamW(params, 0.999, 1e-6, 0.01);
        setGrads(params, 0.3, -0.2, 1.0);
        try (Parallel pool = new Parallel(1)) {
            opt.update(pool, 0.1, 0.95);
        }
        // step 1: m̂ = g, v̂ = g², so w ← w·(1 − lr·wd) − lr·g/(|g| + eps); no decay for b
        assertEquals(0.5 * (1 - 0.1 * 0.01) - 0.1 * 0.3 / (0.3 + 1e-6), params.values().get(0), 1e-15);
        assertEquals(-1.0 * (1 - 0.1 * 0.01) + 0.1 * 0.2 / (0.2 + 1e-6), params.values().get(1), 1e-15);
        assertEquals(0.2 - 0.1 * 1.0 / (1.0 + 1e-6), params.values().get(2), 1e-15);
        assertEquals(1, opt.steps());
    }

    @Test
    void threeStepsWithMovingLrAndBeta1MatchTorchAdamW() {
        Parameters params = twoParams();
        AdamW opt = new AdamW(params, 0.999, 1e-6, 0.01);
        double[][] grads = {{0.3, -0.2, 1.0}, {-0.1, 0.4, 0.5}, {0.05, 0.05, -2.0}};
        double[] lrs = {0.1, 0.05, 0.02};
        double[] beta1 = {0.95, 0.9, 0.85};
        // torch 1.13 AdamW, float64, param groups (w: weight_decay 0.01, b: 0), lr/betas set per step
        double[][] want = {
            {0.39950033333222223, -0.8990004999975, 0.10000009999989999},
            {0.3951807045296647, -0.9243445757799066, 0.06837261655218638},
            {0.39216321203144355, -0.9309132045286613, 0.07696036789299997},
        };
        try (Parallel pool = new Parallel(2)) {
            for (int s = 0; s < 3; s++) {
                setGrads(params, grads[s]);
                opt.update(pool, lrs[s], beta1[s]);
                for (int i = 0; i < 3; i++) {
                    assertEquals(want[s][i], params.values().get(i), 1e-15, "step " + s + " element " + i);
                }
            }
        }
    }

    @Test
    void clipGradNormMatchesTorch() {
        Parameters params = new Parameters();
        Param p = params.register("p", Init.constant(0), true, 3);
        params.allocate(Precision.FLOAT64, 0);
        setGrads(params, 3, 4, 0);
        try (Parallel pool = new Parallel(2)) {
            double norm = AdamW.clipGradNorm(pool, params, 2.0);
            assertEquals(5.0, norm, 1e-15);
            // torch.nn.utils.clip_grad_norm_: factor 2 / (5 + 1e-6)
            assertEquals(1.199999760000048, params.grads().get(p.offset()), 1e-15);
            assertEquals(1.599999680000064, params.grads().get(p.offset() + 1), 1e-15);
            setGrads(params, 0.3, 0.4, 0);
            AdamW.clipGradNorm(pool, params, 2.0);
            assertEquals(0.3, params.grads().get(0), 0, "below the limit: unchanged");
            setGrads(params, 30, 40, 0);
            AdamW.clipGradNorm(pool, params, 0);
            assertEquals(30, params.grads().get(0), 0, "0 disables clipping");
        }
    }
}
