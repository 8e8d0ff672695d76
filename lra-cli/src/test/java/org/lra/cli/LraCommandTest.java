package org.lra.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.cli.config.ConfigLoader;
import org.lra.cli.config.RunConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LraCommandTest {

    /** Runs the real command line and captures its streams. */
    record Run(int code, String out, String err) {
    }

    static Run run(CommandLine cmd, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static Run run(String... args) {
        return run(LraCommand.commandLine(), args);
    }

    @TempDir
    Path dir;

    @Command(name = "boom")
    static class Boom implements Runnable {
        final RuntimeException toThrow;

        Boom(RuntimeException toThrow) {
            this.toThrow = toThrow;
        }

        @Override
        public void run() {
            throw toThrow;
        }
    }

    @Test
    void badDataFileIsAnInputErrorNamingFileAndLine() throws IOException {
        Path listops = dir.resolve("listops-1000");
        Files.createDirectories(listops);
        for (String split : new String[] {"train", "val", "test"}) {
            Files.writeString(listops.resolve("basic_" + split + ".tsv"), "Source\tTarget\n[MAX 1 2 ]\t12\n");
        }
        Run r = run("data", "import", "listops", "--from", listops.toString(), "--data-dir", dir.resolve("data").toString());
        assertEquals(ExitCodes.INPUT, r.code(), r.err());
        assertTrue(r.err().contains("basic_") && r.err().contains(":2"), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertFalse(Files.exists(dir.resolve("data").resolve("listops")), "nothing half-imported is left behind");
    }

    @Test
    void helpListsExitCodesOnRootAndSubcommands() {
        Run root = run("--help");
        assertEquals(0, root.code());
        assertTrue(root.out().contains("Exit codes:"), root.out());
        assertTrue(root.out().contains("diverged run (NaN/Inf loss)"));
        Run show = run("config", "show", "--help");
        assertTrue(show.out().contains("Exit codes:"), show.out());
        assertTrue(show.out().contains("--set=KEY=VALUE"), show.out());
    }

    /** Help is a reference a user can rely on: every option and parameter of every command says what it is. */
    @Test
    void everyOptionAndParameterHasADescription() {
        List<String> missing = new java.util.ArrayList<>();
        for (CommandLine cmd : commandTree(LraCommand.commandLine())) {
            for (picocli.CommandLine.Model.ArgSpec arg : cmd.getCommandSpec().args()) {
                if (arg.description().length == 0 || String.join("", arg.description()).isBlank()) {
                    missing.add(cmd.getCommandSpec().qualifiedName() + " " + (arg.isOption()
                            ? ((picocli.CommandLine.Model.OptionSpec) arg).longestName() : arg.paramLabel()));
                }
            }
        }
        assertEquals(List.of(), missing);
    }

    /** A parent's command list shows each subcommand's first description line, so that line is a whole sentence. */
    @Test
    void everyCommandSummaryIsAWholeSentence() {
        List<String> cut = new java.util.ArrayList<>();
        CommandLine root = LraCommand.commandLine();
        for (CommandLine sub : commandTree(root)) {
            if (sub == root) {
                continue;   // the root is in no parent's list
            }
            CommandLine.Model.UsageMessageSpec usage = sub.getCommandSpec().usageMessage();
            String[] lines = usage.header().length > 0 ? usage.header() : usage.description();
            String summary = lines.length == 0 ? "" : lines[0].strip();
            if (!summary.endsWith(".")) {
                cut.add(sub.getCommandSpec().qualifiedName() + ": " + summary);
            }
        }
        assertEquals(List.of(), cut);
    }

    /** {@code cmd} and every command below it, parents first. */
    private static List<CommandLine> commandTree(CommandLine cmd) {
        List<CommandLine> all = new java.util.ArrayList<>(List.of(cmd));
        cmd.getSubcommands().values().forEach(sub -> all.addAll(commandTree(sub)));
        return all;
    }

    /** The generators check their own settings; the error names the options the user typed, not Java fields. */
    @Test
    void generatorArgumentErrorIsOneLineNamingTheCommandOnceAndTheOptions() {
        String[][] cases = {
                {"listops", "--min-length", "300", "--max-length", "200",
                        "need 0 <= --min-length < --max-length - 1, got --min-length 300, --max-length 200"},
                {"listops", "--val", "-1", "--max-depth", "10",
                        "--train, --val and --test must each be >= 1, got 96000, -1, 2000"},
                {"listops", "--max-depth", "1", "--max-args", "10", "--max-depth and --max-args must be >= 2, got 1, 10"},
                {"pathfinder", "--resolution", "48", "--count", "10", "--resolution must be one of [32, 64, 128], got 48"},
                {"pathfinder", "--count", "-1", "--seed", "0", "--count must be >= 0, got -1"},
        };
        for (String[] c : cases) {
            Run r = run("data", "generate", c[0], c[1], c[2], c[3], c[4], "--no-import",
                    "--out", dir.resolve("generated").toString(), "--data-dir", dir.resolve("data").toString());
            assertEquals(ExitCodes.INPUT, r.code(), r.err());
            assertEquals("lra data generate " + c[0] + ": error: " + c[5], r.err().strip());
        }
    }

    @Test
    void completionScriptCoversCommandsAndClosedChoices() {
        Run r = run("completion");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("complete -F"), "a bash completion script");
        for (String word : new String[] {"train", "import", "completion", "--data-dir", "--checkpoint"}) {
            assertTrue(r.out().contains(word), "completes " + word);
        }
        for (String choices : new String[] {"best last", "easy intermediate hard", "train val test",
                "listops text retrieval image pathfinder all", "softmax linear band fmm"}) {
            List<String> words = List.of(choices.split(" "));
            assertTrue(r.out().lines().anyMatch(l -> words.stream().allMatch(w -> l.contains("\"" + w + "\"")
                    || l.contains(" " + w + " ") || l.contains("(" + w + " ") || l.contains(" " + w + ")"))),
                    "completes the choices " + choices);
        }
        Run help = run("eval", "--help");
        assertTrue(help.out().contains("Default: best"), "help shows default values: " + help.out());
        Run bad = run("eval", "x", "--split", "dev");
        assertEquals(ExitCodes.INPUT, bad.code());
        assertTrue(bad.err().contains("expected one of train, val, test, got 'dev'"), bad.err());
    }

    @Test
    void versionComesFromTheFilteredResource() {
        Run v = run("--version");
        assertEquals(0, v.code());
        assertTrue(v.out().startsWith("lra "), v.out());
        assertFalse(v.out().contains("${"), "resource was filtered: " + v.out());
        // built in a git checkout (a source tarball has no commit to record), the commit is known: 40 hex digits
        org.junit.jupiter.api.Assumptions.assumeTrue(git("rev-parse", "HEAD").matches("[0-9a-f]{40}"), "not in git");
        assertTrue(v.out().lines().findFirst().orElseThrow().matches("lra \\S+ \\(build commit [0-9a-f]{40}(-dirty)?\\)"),
                v.out());
        assertEquals(VersionProvider.buildCommit().replace("-dirty", ""), git("rev-parse", "HEAD"),
                "the commit Maven recorded is this checkout's HEAD (a worktree's own, not the main checkout's)");
    }

    /** A usage error is its line, a "did you mean" where picocli has one, and a pointer to --help: no usage dump. */
    @Test
    void usageErrorIsOneLineAndAPointerToHelp() {
        Run badValue = run("data", "generate", "pathfinder", "--threads", "0");
        assertEquals(ExitCodes.INPUT, badValue.code());
        List<String> lines = badValue.err().lines().toList();
        assertEquals(2, lines.size(), badValue.err());
        assertEquals("lra data generate pathfinder: error: Invalid value for option '--threads': must be >= 1, got 0",
                lines.get(0), "names the command typed, though the option lives on the root");
        assertTrue(lines.get(1).startsWith("Try 'lra") && lines.get(1).endsWith(" --help' for its usage."), lines.get(1));

        Run typo = run("train", "--seeed", "1");
        assertEquals(ExitCodes.INPUT, typo.code());
        assertTrue(typo.err().startsWith("lra train: error: Unknown options: '--seeed', '1'"), typo.err());
        assertTrue(typo.err().contains("--seed"), "picocli's suggestion: " + typo.err());
        assertFalse(typo.err().contains("Usage:"), typo.err());

        // every command that only groups others answers alike: the line, then its usage (the subcommand list)
        for (String[] group : new String[][] {{}, {"config"}, {"data"}, {"data", "generate"}, {"bench"}}) {
            String name = String.join(" ", Stream.concat(Stream.of("lra"), Stream.of(group)).toList());
            Run noSubcommand = run(group);
            assertEquals(ExitCodes.INPUT, noSubcommand.code(), name);
            assertEquals(name + ": error: Missing subcommand", noSubcommand.err().lines().findFirst().orElseThrow());
            assertTrue(noSubcommand.err().contains("Usage: " + name + " "), "the subcommand list is the answer here");
        }
    }

    @Test
    void configErrorsExitTwoWithOneLineAndNoStackTrace() throws IOException {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "nmae: x\n");
        Run r = run("config", "show", bad.toString());
        assertEquals(ExitCodes.INPUT, r.code());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), err);
        assertTrue(err.startsWith("lra config show: error: nmae: unknown key (did you mean 'name'?)"), err);
        assertFalse(err.contains("at org."), err);
    }

    /** config show prints the effective config: the global --threads overrides the config's, as in lra train. */
    @Test
    void configShowAppliesTheGlobalThreads() {
        String file = TestPaths.configsDir().resolve("cpu/listops/fmm-2kernel-band5.yaml").toString();
        RunConfig cfg = ConfigLoader.resolve(Path.of(file), List.of()).config();
        assertTrue(run("config", "show", file).out().contains("\nthreads: " + cfg.threads() + "\n"));
        int other = cfg.threads() + 1;
        for (String[] args : new String[][] {{"config", "show", file, "--threads", "" + other},
                {"--threads", "" + other, "config", "show", file}}) {
            Run r = run(args);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("\nthreads: " + other + "\n"), r.out());
            assertTrue(r.out().startsWith("# configHash: " + cfg.withThreads(other).configHash() + "\n"), r.out());
            assertTrue(r.out().contains("\n# --threads " + other + "\n"), r.out());
        }
        Run json = run("config", "show", file, "--json", "--threads", "" + other);
        assertTrue(json.out().contains("\"threads\" : " + other + ","), json.out());
    }

    /** Each config fault the issue lists: exit 2, one line naming the key (where there is one) and the file. */
    @Test
    void everyConfigFaultIsOneLineNamingKeyAndFile() throws IOException {
        String base = TestPaths.configsDir().resolve("paper/listops/band5.yaml").toString();
        String ext = "extends: " + base + "\n";
        Files.writeString(dir.resolve("cyc-a.yaml"), "extends: cyc-b.yaml\n");
        Files.writeString(dir.resolve("cyc-b.yaml"), "extends: cyc-a.yaml\n");
        Files.write(dir.resolve("binary.yaml"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, (byte) 0xff});
        String[][] cases = {
                // file name, content (null: written above), what the line must say
                {"steps.yaml", ext + "training: {steps: 0}\n", "training.steps: must be >= 1, got 0 (steps.yaml)"},
                {"batch.yaml", ext + "training: {batchSize: 0}\n", "training.batchSize: must be >= 1, got 0 (batch.yaml)"},
                {"lr.json", "{\"extends\": \"" + base + "\", \"training\": {\"lr\": 1e400}}",
                        "training.lr: must be a finite number, got Infinity (lr.json)"},
                {"lrneg.yaml", ext + "training: {lr: -0.001}\n", "training.lr: must be > 0, got -0.001 (lrneg.yaml)"},
                {"drop.yaml", ext + "model: {dropout: 1.0}\n", "model.dropout: must be in [0, 1), got 1.0 (drop.yaml)"},
                {"att.yaml", ext + "model: {attention: {type: sofmax}}\n", "model.attention.type: must be one of"},
                {"kern.yaml", ext + "model: {attention: {type: linear, kernels: [eluu]}}\n",
                        "model.attention.kernels[0]: must be one of elu|elu_flip|tanh, got 'eluu' (kern.yaml)"},
                {"cyc-a.yaml", null, "extends: cycle: "},
                {"missing.yaml", "extends: nope.yaml\n", "extends: no such file: nope.yaml"},
                {"syntax.yaml", ext + "model: {dim: 3\n", "cannot parse: line "},
                {"empty.yaml", "", "expected a mapping at the top level, got an empty file (empty.yaml)"},
                {"binary.yaml", null, "not a text file (binary content; expected YAML or JSON) (binary.yaml)"},
                {"pool.yaml", ext + "model: {pooling: max}\n",
                        "model.pooling: must be one of mean|mean-tokens|cls, got 'max' (pool.yaml)"},
                {"cls.yaml", ext + "model: {pooling: cls, vocabSize: 17}\n", "model.pooling: cls uses token id"},
        };
        for (String[] c : cases) {
            Path file = dir.resolve(c[0]);
            if (c[1] != null) {
                Files.writeString(file, c[1]);
            }
            Run r = run("config", "show", file.toString());
            String err = r.err().strip().replace(dir + "/", "");
            assertEquals(ExitCodes.INPUT, r.code(), c[0] + ": " + err);
            assertEquals(1, err.lines().count(), c[0] + ": " + err);
            assertTrue(err.startsWith("lra config show: error: ") && err.contains(c[2]), c[0] + ": " + err);
            assertFalse(err.contains("Exception"), c[0] + ": " + err);
        }
    }

    @Test
    void otherFailuresExitOneAndDivergenceThree() {
        CommandLine cmd = LraCommand.commandLine();
        cmd.addSubcommand("boom", new Boom(new IllegalStateException("disk on fire")));
        Run r = run(cmd, "boom");
        assertEquals(ExitCodes.FAILURE, r.code());
        assertTrue(r.err().contains("failed: disk on fire"), r.err());
        assertFalse(r.err().contains("Exception"), "no Java class names without -v: " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace without -v");

        CommandLine verbose = LraCommand.commandLine();
        verbose.addSubcommand("boom", new Boom(new IllegalStateException("disk on fire")));
        assertTrue(run(verbose, "boom", "-v").err().contains("\tat "), "stack trace with -v");

        CommandLine diverged = LraCommand.commandLine();
        diverged.addSubcommand("boom", new Boom(new DivergedRunException("loss NaN at step 12")));
        assertEquals(ExitCodes.DIVERGED, run(diverged, "boom").code());
    }

    @Test
    void configShowPrintsYamlOrJson() {
        Path cell = TestPaths.configsDir().resolve("paper/listops/band5.yaml");
        Run yaml = run("config", "show", cell.toString(), "--set", "seed=4");
        assertEquals(0, yaml.code(), yaml.err());
        assertTrue(yaml.out().startsWith("# configHash: "), yaml.out());
        assertTrue(yaml.out().contains("\nseed: 4\n"), yaml.out());
        assertTrue(yaml.out().contains("type: band"));
        Run json = run("config", "show", cell.toString(), "--json");
        assertEquals(0, json.code());
        assertTrue(json.out().startsWith("{"));
        assertTrue(json.out().contains("\"bandwidth\" : 5"), json.out());
        assertTrue(json.out().contains("\"pooling\" : \"mean\""), json.out());
    }

    /** model.pooling shows, and --set changes it and, away from the reference mean, the config hash. */
    @Test
    void configShowShowsThePoolingAndSetChangesIt() {
        String cell = TestPaths.configsDir().resolve("paper/listops/band5.yaml").toString();
        Run mean = run("config", "show", cell);
        assertTrue(mean.out().contains("\n  pooling: mean\n"), mean.out());
        Run tokens = run("config", "show", cell, "--set", "model.pooling=mean-tokens");
        assertEquals(0, tokens.code(), tokens.err());
        assertTrue(tokens.out().contains("\n  pooling: mean-tokens\n"), tokens.out());
        assertTrue(tokens.out().contains("\n# --set model.pooling=mean-tokens\n"), tokens.out());
        assertFalse(tokens.out().lines().findFirst().equals(mean.out().lines().findFirst()), "another config hash");
        assertEquals(mean.out().lines().findFirst(), run("config", "show", cell, "--set", "model.pooling=mean").out()
                .lines().findFirst(), "mean written out is the default: same hash");
    }

    /** The README's "Global options" line: --data-dir, --threads and -v before or after any subcommand. */
    @Test
    void globalOptionsAreAcceptedBeforeAndAfterTheSubcommand() throws IOException {
        Path listops = writeListOps(dir.resolve("listops-1000"));
        Path before = dir.resolve("before");
        Path after = dir.resolve("after");
        Run r1 = run("--data-dir", before.toString(), "data", "import", "listops", "--from", listops.toString());
        assertEquals(0, r1.code(), r1.err());
        Run r2 = run("data", "import", "listops", "--from", listops.toString(), "--data-dir", after.toString());
        assertEquals(0, r2.code(), r2.err());
        assertTrue(Files.isDirectory(before.resolve("listops")), "import went to the --data-dir given first");
        assertTrue(Files.isDirectory(after.resolve("listops")), "import went to the --data-dir given last");

        Run info = run("--threads", "1", "data", "info", "-v", "listops", "--data-dir", before.toString());
        assertEquals(0, info.code(), info.err());
        assertEquals(0, run("data", "--data-dir", after.toString(), "info", "listops").code(), "between the two");
        assertEquals(ExitCodes.INPUT, run("data", "info", "listops", "--data-dir", dir.resolve("empty").toString()).code(),
                "the given --data-dir is the one read");
        assertEquals(ExitCodes.INPUT, run("--threads", "0", "data", "verify").code(), "--threads is validated");
    }

    private static String git(String... args) {
        try {
            List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", TestPaths.configsDir().toString()));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            return p.waitFor() == 0 ? out : "";
        } catch (IOException e) {
            return "";   // no git
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** A tiny but valid ListOps release directory. */
    private static Path writeListOps(Path listops) throws IOException {
        Files.createDirectories(listops);
        for (String split : new String[] {"train", "val", "test"}) {
            StringBuilder tsv = new StringBuilder("Source\tTarget\n");
            for (int i = 0; i < 4; i++) {
                tsv.append("( ( [MAX 1 ").append(i).append(" ] ) )\t").append(Math.max(1, i)).append('\n');
            }
            Files.writeString(listops.resolve("basic_" + split + ".tsv"), tsv.toString());
        }
        return listops;
    }
}
