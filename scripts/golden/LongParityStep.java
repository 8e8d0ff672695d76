import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lra.cli.config.ConfigLoader;
import org.lra.cli.config.RunConfig;
import org.lra.data.Batch;
import org.lra.data.inspect.DataExport;
import org.lra.model.Model;
import org.lra.model.ModelBuilder;
import org.lra.model.attention.Attention;
import org.lra.model.attention.AttentionShape;
import org.lra.model.attention.BlendProbe;
import org.lra.model.attention.FmmAttention;
import org.lra.model.nn.AttentionProvider;
import org.lra.model.nn.StepContext;
import org.lra.model.optim.AdamW;
import org.lra.model.checkpoint.Checkpoint;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Param;
import org.lra.model.tensor.Precision;

/**
 * One float32 training step of our engine (dropout off, no optimiser update) on a batch of token-id rows, for
 * scripts/golden/long_parity.py: writes the loss, every parameter gradient, each layer's attention-core output
 * and its gradient, and each fmm layer's near/far-field RMS per head (BlendProbe) in the golden fixture text
 * format. Run it with the CLI jar on the class path:
 *   java -cp lra-cli/target/lra.jar scripts/golden/LongParityStep.java CONFIG CKPT IDS_TSV SEQLEN OUT [KEY=VALUE...]
 * IDS_TSV: one example a line, "label<TAB>id id id ..." (the rows to use, already chosen); each row is padded
 * with 0 to SEQLEN. The config's dropout is forced to 0 (model.dropout=0, model.attentionDropout=0).
 */
public class LongParityStep {
    /** An attention core that keeps a copy of its last output and of the gradient that reached it. */
    static final class Recording implements Attention {
        final Attention inner;
        Buf out;
        Buf dOut;

        Recording(Attention inner) {
            this.inner = inner;
        }

        @Override
        public void forward(StepContext ctx, AttentionShape shape, Buf q, Buf k, Buf v, Buf keyMask, Buf o) {
            inner.forward(ctx, shape, q, k, v, keyMask, o);
            out = copy(o, shape.rows() * shape.width());
        }

        @Override
        public void backward(StepContext ctx, Buf d, Buf dq, Buf dk, Buf dv) {
            dOut = copy(d, out.length());
            inner.backward(ctx, d, dq, dk, dv);
        }

        private static Buf copy(Buf b, int n) {
            Buf c = Buf.zeros(Precision.FLOAT64, n);
            for (int i = 0; i < n; i++) {
                c.set(i, b.get(i));
            }
            return c;
        }
    }

    public static void main(String[] args) throws IOException {
        List<String> sets = new ArrayList<>(Arrays.asList(args).subList(5, args.length));
        sets.add("model.dropout=0");
        sets.add("model.attentionDropout=0");
        RunConfig cfg = ConfigLoader.load(Path.of(args[0]), sets);
        int seqLen = Integer.parseInt(args[3]);

        List<Recording> cores = new ArrayList<>();
        List<BlendProbe> probes = new ArrayList<>();
        int heads = cfg.model().heads();
        int headDim = cfg.model().headDim();
        AttentionProvider recording = (a, params, prefix, h, d, dropout, layer, maxSeqLen) -> {
            Attention core = ModelBuilder.DEFAULT_ATTENTION.create(a, params, prefix, h, d, dropout, layer, maxSeqLen);
            if (core instanceof FmmAttention fmm) {
                BlendProbe probe = fmm.newProbe(heads, headDim);
                fmm.watch(probe);
                probes.add(probe);
            }
            Recording r = new Recording(core);
            cores.add(r);
            return r;
        };
        Model model = ModelBuilder.build(cfg.model(), Precision.FLOAT32, 0, recording);
        Checkpoint.load(Path.of(args[1]), model.parameters(), AdamW.from(model.parameters(), cfg.training()));

        Batch rows = DataExport.batch(Files.readAllLines(Path.of(args[2]), StandardCharsets.UTF_8), seqLen);
        int batch = rows.size();
        Model.Result result;
        model.parameters().zeroGrads();
        try (Parallel pool = new Parallel(1)) {
            result = model.forwardBackward(new StepContext(pool, true, 0, 0), rows);
        }

        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(Path.of(args[4]), StandardCharsets.UTF_8))) {
            w.println("# LongParityStep: ours, B=" + batch + " T=" + seqLen + " config " + args[0] + " weights " + args[1]);
            w.println("loss scalar " + (float) result.loss());
            for (Param p : model.parameters().list()) {
                write(w, "grad." + p.name(), model.parameters().grads(), p.offset(), p.size());
            }
            for (int l = 0; l < cores.size(); l++) {
                Recording r = cores.get(l);
                write(w, "attn" + l + ".out", r.out, 0, r.out.length());
                write(w, "attn" + l + ".dout", r.dOut, 0, r.dOut.length());
            }
            for (int l = 0; l < probes.size(); l++) {
                BlendProbe p = probes.get(l);
                StringBuilder near = new StringBuilder("attn" + l + ".nearRms " + heads);
                StringBuilder far = new StringBuilder("attn" + l + ".farRms " + heads);
                for (int h = 0; h < heads; h++) {
                    near.append(' ').append((float) p.nearRms(h));
                    far.append(' ').append((float) p.farRms(h));
                }
                w.println(near);
                w.println(far);
            }
        }
    }

    private static void write(PrintWriter w, String name, Buf b, int offset, int n) {
        StringBuilder s = new StringBuilder(name).append(' ').append(n);
        for (int i = 0; i < n; i++) {
            s.append(' ').append((float) b.get(offset + i));
        }
        w.println(s);
    }
}
