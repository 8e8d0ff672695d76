package org.lra.cli.rundir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lra.model.attention.BlendProbe;
import org.lra.model.attention.FmmAttention;
import org.lra.model.nn.AttentionProvider;
import org.lra.model.train.TrainingListener;

/**
 * Writes {@code blend.csv} for fmm runs: at every dev evaluation, one row per layer and head with the blend
 * weights and the RMS of the near-field and far-field outputs over that evaluation's forward passes
 * (dropout off, real tokens only), for {@code out = near ⊙ N + far ⊙ Σ_l kernel_l ⊙ far_l}:
 * <pre>  step, layer, head, near, far, kernel0, ..., near_rms, far_rms</pre>
 * near, far and kernel_l are the weights (parameters {@code block<i>.attn.blend.near|far|kernel<l>}, or their
 * fixed values; the mean over the head's D entries when per_head_dim; far = 1 − near when complement);
 * near_rms = RMS(N), far_rms = RMS(Σ_l kernel_l ⊙ far_l), so far·far_rms against near·near_rms is how much
 * the layer uses its far field. Rows reach the file at checkpoints, like metrics.csv, so a resumed run's
 * file equals an uninterrupted one's.
 */
public final class BlendCsvListener implements TrainingListener {
    private final List<FmmAttention> layers;
    private final List<BlendProbe> probes = new ArrayList<>();
    private final CheckpointedCsv csv;

    /** {@code layers}: the model's fmm attentions in block order (see {@link #collecting}). */
    public BlendCsvListener(Path file, List<FmmAttention> layers, int heads, int headDim) {
        this.layers = List.copyOf(layers);
        for (FmmAttention a : this.layers) {
            probes.add(a.newProbe(heads, headDim));
        }
        this.csv = new CheckpointedCsv(file, header(probes.get(0).kernels()));
    }

    static String[] header(int kernels) {
        List<String> h = new ArrayList<>(List.of("step", "layer", "head", "near", "far"));
        for (int l = 0; l < kernels; l++) {
            h.add("kernel" + l);
        }
        h.addAll(List.of("near_rms", "far_rms"));
        return h.toArray(String[]::new);
    }

    /** The production attention, with every fmm attention it makes also added to {@code into} (block order). */
    public static AttentionProvider collecting(AttentionProvider attention, List<FmmAttention> into) {
        return (cfg, params, prefix, heads, headDim, dropout, layer, maxSeqLen) -> {
            var a = attention.create(cfg, params, prefix, heads, headDim, dropout, layer, maxSeqLen);
            if (a instanceof FmmAttention fmm) {
                into.add(fmm);
            }
            return a;
        };
    }

    /** Drops rows after {@code step} (a resume continues from there); creates the file with its header if absent. */
    public void truncateAfter(long step) throws IOException {
        csv.truncateAfter(step);
    }

    @Override
    public void onEvalStart(long step) {
        for (int i = 0; i < layers.size(); i++) {
            probes.get(i).reset();
            layers.get(i).watch(probes.get(i));
        }
    }

    @Override
    public void onEval(EvalRecord r) {
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).watch(null);
            BlendProbe p = probes.get(i);
            boolean hasFar = p.kernels() > 0;
            for (int h = 0; h < p.heads(); h++) {
                List<String> row = new ArrayList<>(List.of(Long.toString(r.step()), Integer.toString(i),
                        Integer.toString(h), MetricsCsvListener.fmt(p.near(h)),
                        hasFar ? MetricsCsvListener.fmt(p.far(h)) : ""));
                for (int l = 0; l < p.kernels(); l++) {
                    row.add(MetricsCsvListener.fmt(p.kernel(l, h)));
                }
                row.add(MetricsCsvListener.fmt(p.nearRms(h)));
                row.add(hasFar ? MetricsCsvListener.fmt(p.farRms(h)) : "");
                csv.add(row.toArray(String[]::new));
            }
        }
    }

    @Override
    public void onCheckpoint(long step) {
        csv.flush();
    }
}
