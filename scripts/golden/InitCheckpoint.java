import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.lra.cli.config.ConfigLoader;
import org.lra.cli.config.RunConfig;
import org.lra.model.Model;
import org.lra.model.ModelBuilder;
import org.lra.model.checkpoint.Checkpoint;
import org.lra.model.optim.AdamW;
import org.lra.model.tensor.Precision;

/**
 * Writes the step-0 checkpoint of a config and seed: the initial weights `lra train` would start from, with zero
 * AdamW moments. For the parity experiments (compare initial-weight statistics, start the official model from our
 * draw); run it with the CLI jar on the class path:
 *   java -cp lra-cli/target/lra.jar scripts/golden/InitCheckpoint.java CONFIG SEED OUT [KEY=VALUE...]
 */
public class InitCheckpoint {
    public static void main(String[] args) throws Exception {
        RunConfig cfg = ConfigLoader.load(Path.of(args[0]), Arrays.asList(args).subList(3, args.length));
        long seed = Long.parseLong(args[1]);
        Model model = ModelBuilder.build(cfg.model(), Precision.FLOAT32, seed);
        Checkpoint.save(Path.of(args[2]), model.parameters(), AdamW.from(model.parameters(), cfg.training()), seed,
                Map.of());
    }
}
