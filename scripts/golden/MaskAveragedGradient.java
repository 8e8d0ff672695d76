import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.lra.cli.config.ConfigLoader;
import org.lra.cli.config.RunConfig;
import org.lra.data.Batch;
import org.lra.data.inspect.DataExport;
import org.lra.model.Model;
import org.lra.model.ModelBuilder;
import org.lra.model.checkpoint.Checkpoint;
import org.lra.model.nn.StepContext;
import org.lra.model.optim.AdamW;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Precision;

/**
 * Parity experiment: the training loss and gradient of our model at fixed weights on one fixed batch, averaged
 * over K dropout draws (steps first..first+K-1 of the checkpoint's seed key the masks; -DfirstStep, default 0). Compared with the same average from the
 * official model (mask_averaged_gradient.py), it shows whether dropout acts on training the same way in both.
 *   java -cp lra-cli/target/lra.jar scripts/golden/MaskAveragedGradient.java CONFIG CKPT BATCH.tsv K OUT.bin [KEY=VALUE...]
 * BATCH.tsv: label<TAB>ids lines (lra data export format). OUT.bin: little-endian float64 mean loss, then the
 * mean gradient block in parameter order, then the per-element variance of the gradient over the K draws.
 */
public class MaskAveragedGradient {
    public static void main(String[] args) throws Exception {
        RunConfig cfg = ConfigLoader.load(Path.of(args[0]), Arrays.asList(args).subList(5, args.length));
        Model model = ModelBuilder.build(cfg.model(), Precision.FLOAT32, 0);
        Parameters params = model.parameters();
        long seed = Checkpoint.load(Path.of(args[1]), params, AdamW.from(params, cfg.training())).seed();
        Batch batch = DataExport.batch(Files.readAllLines(Path.of(args[2])), cfg.model().maxLength());
        int k = Integer.parseInt(args[3]);
        int n = params.size();
        double[] sum = new double[n];
        double[] sumSq = new double[n];
        double loss = 0;
        long first = Long.getLong("firstStep", 0); // -DfirstStep=N: another K draws, to calibrate the statistic
        try (Parallel pool = new Parallel(1)) {
            for (long step = first; step < first + k; step++) {
                params.zeroGrads();
                loss += model.forwardBackward(new StepContext(pool, true, seed, step), batch).loss();
                double[] g = params.grads().toDoubleArray(0, n);
                for (int i = 0; i < n; i++) {
                    sum[i] += g[i];
                    sumSq[i] += g[i] * g[i];
                }
            }
        }
        try (DataOutputStream out = new DataOutputStream(new FileOutputStream(args[4]))) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8 * (1 + 2 * n)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            buf.putDouble(loss / k);
            for (int i = 0; i < n; i++) {
                buf.putDouble(sum[i] / k);
            }
            for (int i = 0; i < n; i++) {
                double m = sum[i] / k;
                buf.putDouble(sumSq[i] / k - m * m);
            }
            out.write(buf.array());
        }
    }
}
