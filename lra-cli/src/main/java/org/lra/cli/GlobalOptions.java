package org.lra.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.lra.cli.config.RunConfig;
import org.lra.data.DataDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.ScopeType;

import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * The options every {@code lra} command accepts, before or after the subcommand:
 * {@code lra --data-dir D data import ...} and {@code lra data import ... --data-dir D} mean the same.
 *
 * <p>They live once, on the root command, with picocli's inherited scope: picocli copies them into every
 * subcommand but binds the copies to this one object, so wherever the user typed them the value lands here.
 * Subcommands read them through {@link #of(CommandSpec)}.
 */
public class GlobalOptions {

    @Option(names = "--data-dir", paramLabel = "DIR", scope = ScopeType.INHERIT,
            // two lines, so the help's wrapping cannot split the path at its dot
            description = {"Prepared datasets.", "Default: $" + DataDir.ENV + ", else ~/.lra/data."})
    private Path dataDir;

    private int verbosity;

    @Option(names = "--threads", paramLabel = "N", scope = ScopeType.INHERIT, converter = PositiveInt.class,
            description = "Compute threads (default: the config's threads; bench step: 2; the data generators: "
                    + "every core).")
    private Integer threads;

    /**
     * Checked while converting, not in a setter: picocli then names the command the user typed
     * ({@code lra data generate pathfinder: error: Invalid value for option '--threads': ...}), where a setter
     * bound on the root command could only name {@code lra}.
     */
    static final class PositiveInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String text) {
            int value;
            try {
                value = Integer.parseInt(text.strip());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + text + "' is not an int");
            }
            if (value < 1) {
                throw new TypeConversionException("must be >= 1, got " + value);
            }
            return value;
        }
    }

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "More output: DEBUG logs and stack traces on errors; repeat (-vv) for TRACE.")
    void setVerbose(boolean[] flags) {
        verbosity = Math.max(verbosity, flags.length);
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(verbosity >= 2 ? Level.TRACE : Level.DEBUG);
    }

    /** The global options of the command line {@code spec} belongs to (defaults when run outside {@code lra}). */
    public static GlobalOptions of(CommandSpec spec) {
        return spec.root().userObject() instanceof LraCommand lra ? lra.global : new GlobalOptions();
    }

    /** --data-dir, else $LRA_DATA_DIR, else ~/.lra/data: {@link DataDir#resolve}, absolute. */
    public Path dataDir() {
        return DataDir.resolve(dataDir, System.getenv(), System.getProperty("user.home"));
    }

    /** --data-dir as given, or null: for passing it on to the commands a sweep starts, and only when given. */
    public Path dataDirOption() {
        return dataDir;
    }

    /** --threads when given; empty means "whatever the config says". */
    public OptionalInt threads() {
        return threads == null ? OptionalInt.empty() : OptionalInt.of(threads);
    }

    /** The config a run uses under these options: --threads, when given, replaces the config's threads. */
    public RunConfig applyTo(RunConfig config) {
        return threads == null ? config : config.withThreads(threads);
    }

    public boolean verbose() {
        return verbosity > 0;
    }
}
