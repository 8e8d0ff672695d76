package org.lra.model.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lra.model.config.AttentionConfig;
import org.lra.model.config.AttentionType;
import org.lra.model.config.BlendConfig;
import org.lra.model.config.KernelType;
import org.lra.model.config.WeightShape;
import org.lra.model.config.WeightSpec;
import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Precision;

/** The blend diagnostics against the band and far fields computed on their own. */
class BlendProbeTest {
    static final int HEADS = 2;
    static final int DIM = 3;
    static final int BANDWIDTH = 3;

    static final AttentionConfig CONFIG = new AttentionConfig(AttentionType.fmm, BANDWIDTH,
            List.of(KernelType.elu, KernelType.elu_flip),
            new BlendConfig(WeightSpec.learned(WeightShape.per_head_dim, 1), WeightSpec.learned(WeightShape.per_head, 0),
                    List.of(WeightSpec.learned(WeightShape.scalar, 1), WeightSpec.learned(WeightShape.per_head, 0))),
            false, false);

    @Test
    void weightsPerHeadAndFieldRmsOverRealTokens() {
        try (Parallel pool = new Parallel(2)) {
            StepContext eval = AttentionHarness.context(pool, false);
            AttentionHarness h = AttentionHarness.small(71);
            Parameters params = new Parameters();
            FmmAttention fmm = (FmmAttention) AttentionFactory.create(CONFIG, params, "block0.attn", HEADS, DIM, 0.1, 0);
            params.allocate(Precision.FLOAT64, 1);
            AttentionHarness.perturbWeights(params);
            BlendProbe probe = fmm.newProbe(HEADS, DIM);
            fmm.watch(probe);
            fmm.forward(eval, h.shape, h.q, h.k, h.v, h.mask, h.out);
            fmm.forward(eval, h.shape, h.q, h.k, h.v, h.mask, h.out); // the same batch twice: the same RMS
            fmm.watch(null);
            fmm.forward(eval, h.shape, h.q, k(h), h.v, h.mask, h.out); // not watched

            int n = h.size();
            Buf band = Buf.zeros(Precision.FLOAT64, n);
            Buf far0 = Buf.zeros(Precision.FLOAT64, n);
            Buf far1 = Buf.zeros(Precision.FLOAT64, n);
            new BandAttention(BANDWIDTH, false, 0.1, 0).forward(eval, h.shape, h.q, h.k, h.v, h.mask, band);
            new FarField(FeatureMap.of(KernelType.elu), false, false).forward(eval, h.shape, h.q, h.k, h.v, h.mask, far0);
            new FarField(FeatureMap.of(KernelType.elu_flip), false, false).forward(eval, h.shape, h.q, h.k, h.v, h.mask, far1);
            Buf w = params.values();
            int near = params.get("block0.attn.blend.near").offset();
            int far = params.get("block0.attn.blend.far").offset();
            int kernel0 = params.get("block0.attn.blend.kernel0").offset();
            int kernel1 = params.get("block0.attn.blend.kernel1").offset();
            for (int head = 0; head < HEADS; head++) {
                double nearMean = 0;
                for (int d = 0; d < DIM; d++) {
                    nearMean += w.get(near + head * DIM + d) / DIM;
                }
                assertEquals(nearMean, probe.near(head), 1e-15, "per_head_dim: the mean over the head");
                assertEquals(w.get(far + head), probe.far(head), 1e-15);
                assertEquals(w.get(kernel0), probe.kernel(0, head), 1e-15);
                assertEquals(w.get(kernel1 + head), probe.kernel(1, head), 1e-15);
                double sn = 0;
                double sf = 0;
                long count = 0;
                for (int r = 0; r < h.shape.rows(); r++) {
                    if (h.mask.get(r) == 0) {
                        continue;
                    }
                    for (int d = 0; d < DIM; d++) {
                        int i = r * HEADS * DIM + head * DIM + d;
                        double f = w.get(kernel0) * far0.get(i) + w.get(kernel1 + head) * far1.get(i);
                        sn += band.get(i) * band.get(i);
                        sf += f * f;
                        count++;
                    }
                }
                assertEquals(Math.sqrt(sn / count), probe.nearRms(head), 1e-12);
                assertEquals(Math.sqrt(sf / count), probe.farRms(head), 1e-12);
            }
            probe.reset();
            assertEquals(Double.NaN, probe.nearRms(0), "nothing watched since the reset");
        }
    }

    /** The same numbers, bit for bit, with one thread as with two. */
    @Test
    void threadCountDoesNotChangeTheNumbers() {
        double[][] got = new double[2][];
        for (int threads = 1; threads <= 2; threads++) {
            try (Parallel pool = new Parallel(threads)) {
                AttentionHarness h = new AttentionHarness(Precision.FLOAT32, 3, 40, HEADS, DIM, 72);
                Parameters params = new Parameters();
                FmmAttention fmm = (FmmAttention) AttentionFactory.create(CONFIG, params, "block0.attn", HEADS, DIM, 0, 0);
                params.allocate(Precision.FLOAT32, 1);
                AttentionHarness.perturbWeights(params);
                BlendProbe probe = fmm.newProbe(HEADS, DIM);
                fmm.watch(probe);
                fmm.forward(AttentionHarness.context(pool, false), h.shape, h.q, h.k, h.v, h.mask, h.out);
                got[threads - 1] = new double[] {probe.nearRms(0), probe.nearRms(1), probe.farRms(0), probe.farRms(1)};
            }
        }
        assertEquals(List.of(got[0][0], got[0][1], got[0][2], got[0][3]),
                List.of(got[1][0], got[1][1], got[1][2], got[1][3]));
    }

    /** Other keys, so that a forward the probe counted would change its numbers. */
    private static Buf k(AttentionHarness h) {
        Buf k = AttentionHarness.copy(h.k);
        for (int i = 0; i < h.size(); i++) {
            k.set(i, -k.get(i));
        }
        return k;
    }
}
