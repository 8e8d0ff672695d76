package org.lra.data.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListOpsGeneratorTest {

    private static final ListOpsGenerator.Options SMALL =
            ListOpsGenerator.Options.defaults().withSplits(300, 60, 40).withSeed(7).withThreads(2);

    @TempDir
    Path tmp;

    // ------------------------------------------------------------------------------------
    // An evaluator that knows nothing of the generator: the LRA tokenisation (']' -> 'X',
    // parentheses dropped, split on whitespace), then a stack machine over the tokens.

    static List<String> lraTokens(String source) {
        String[] parts = source.replace("]", "X").replace("(", "").replace(")", "").trim().split("\\s+");
        return Arrays.asList(parts);
    }

    static int evaluate(String source) {
        Deque<List<Integer>> argumentStack = new ArrayDeque<>();
        Deque<String> operatorStack = new ArrayDeque<>();
        Integer result = null;
        for (String token : lraTokens(source)) {
            if (token.startsWith("[")) {
                operatorStack.push(token);
                argumentStack.push(new ArrayList<>());
                continue;
            }
            int value;
            if (token.equals("X")) {
                String operator = operatorStack.pop();
                List<Integer> args = argumentStack.pop();
                value = apply(operator, args);
            } else {
                value = Integer.parseInt(token);
                assertTrue(value >= 0 && value <= 9, token);
            }
            if (argumentStack.isEmpty()) {
                assertEquals(null, result, "more than one top-level expression");
                result = value;
            } else {
                argumentStack.peek().add(value);
            }
        }
        assertTrue(operatorStack.isEmpty(), "unclosed operator");
        return result;
    }

    private static int apply(String operator, List<Integer> args) {
        assertTrue(args.size() >= 2, "operator with fewer than two arguments");
        List<Integer> sorted = new ArrayList<>(args);
        sorted.sort(null);
        switch (operator) {
            case "[MIN":
                return sorted.get(0);
            case "[MAX":
                return sorted.get(sorted.size() - 1);
            case "[MED": {
                int n = sorted.size();
                double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
                return (int) median; // int(np.median(...))
            }
            case "[SM":
                return args.stream().mapToInt(Integer::intValue).sum() % 10;
            default:
                throw new AssertionError("unknown operator " + operator);
        }
    }

    private static List<String[]> readRows(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        assertTrue(text.endsWith("\r\n"), "rows end with \\r\\n like Python's csv.writer");
        String[] lines = text.split("\r\n", -1);
        assertEquals("", lines[lines.length - 1]);
        assertEquals("Source\tTarget", lines[0]);
        List<String[]> rows = new ArrayList<>();
        for (int i = 1; i < lines.length - 1; i++) {
            assertFalse(lines[i].contains("\n") || lines[i].contains("\r"));
            String[] fields = lines[i].split("\t", -1);
            assertEquals(2, fields.length, "two tab-separated fields");
            rows.add(fields);
        }
        return rows;
    }

    // ------------------------------------------------------------------------------------

    @Test
    void stringFormatAndValueMatchTheReferenceExample() {
        // MIN(8, 2, MIN(8, 6)) is the example of docs/reference.md §2.2.
        ListOpsTree inner = new ListOpsTree.Operation(ListOpsTree.Operator.MIN,
                List.of(new ListOpsTree.Digit(8), new ListOpsTree.Digit(6)));
        ListOpsTree tree = new ListOpsTree.Operation(ListOpsTree.Operator.MIN,
                List.of(new ListOpsTree.Digit(8), new ListOpsTree.Digit(2), inner));
        assertEquals("( ( ( ( [MIN 8 ) 2 ) ( ( ( [MIN 8 ) 6 ) ] ) ) ] )", tree.toLraString());
        assertEquals(2, tree.value());
        assertEquals(8, tree.tokenLength());
        assertEquals(List.of("[MIN", "8", "2", "[MIN", "8", "6", "X", "X"), lraTokens(tree.toLraString()));
    }

    @Test
    void operatorsFollowNumpySemantics() {
        assertEquals(1, ListOpsTree.Operator.MED.apply(new int[] {2, 1}), "int(1.5)");
        assertEquals(4, ListOpsTree.Operator.MED.apply(new int[] {8, 3, 5, 4}), "int(4.5)");
        assertEquals(5, ListOpsTree.Operator.MED.apply(new int[] {9, 5, 0}));
        assertEquals(4, ListOpsTree.Operator.SM.apply(new int[] {9, 8, 7}));
        assertEquals(0, ListOpsTree.Operator.MIN.apply(new int[] {3, 0, 9}));
        assertEquals(9, ListOpsTree.Operator.MAX.apply(new int[] {3, 0, 9}));
    }

    @Test
    void independentEvaluatorAgreesOnRandomUnfilteredTrees() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 2000; i++) {
            ListOpsTree tree = ListOpsGenerator.randomTree(random, 6, 5);
            String source = tree.toLraString();
            assertEquals(evaluate(source), tree.value(), source);
            assertEquals(lraTokens(source).size(), tree.tokenLength(), source);
        }
    }

    @Test
    void rootIsADigitThreeTimesInFour() {
        SplittableRandom random = new SplittableRandom(3);
        int digits = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            if (ListOpsGenerator.randomTree(random, 10, 10) instanceof ListOpsTree.Digit) {
                digits++;
            }
        }
        // Binomial(20000, 0.75): sd ~ 61; allow 5 sd.
        assertEquals(0.75 * n, digits, 5 * Math.sqrt(n * 0.75 * 0.25));
    }

    @Test
    void writesTheReleaseLayoutWithCorrectLabelsLengthsAndNoDuplicates() throws IOException {
        GenerationSummary summary = new ListOpsGenerator().generate(tmp, SMALL);
        assertEquals(300, summary.count("train"));
        assertEquals(60, summary.count("val"));
        assertEquals(40, summary.count("test"));
        assertTrue(summary.attempts() >= 400);
        assertTrue(summary.describe().matches("train 300, val 60, test 40; \\d+ candidates in \\d+\\.\\d s -> "
                + Pattern.quote(tmp.toString())), summary.describe());

        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(Set.of("basic_train.tsv", "basic_val.tsv", "basic_test.tsv"),
                    files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()),
                    "exactly the three files, no temporaries left behind");
        }

        Set<String> all = new HashSet<>();
        int[] expectedRows = {300, 60, 40};
        String[] splits = {"train", "val", "test"};
        for (int s = 0; s < 3; s++) {
            List<String[]> rows = readRows(tmp.resolve("basic_" + splits[s] + ".tsv"));
            assertEquals(expectedRows[s], rows.size());
            for (String[] row : rows) {
                String source = row[0];
                int tokens = lraTokens(source).size();
                assertTrue(tokens > 500 && tokens < 2000, "length " + tokens + " outside (500, 2000)");
                assertEquals(evaluate(source), Integer.parseInt(row[1]), "label of " + source);
                assertTrue(all.add(source), "duplicate row");
            }
        }
    }

    @Test
    void lengthBoundsAreStrictAndConfigurable() throws IOException {
        ListOpsGenerator.Options options = SMALL.withSplits(200, 20, 20).withLengths(10, 14);
        new ListOpsGenerator().generate(tmp, options);
        Set<Integer> lengthsSeen = new HashSet<>();
        for (String split : new String[] {"train", "val", "test"}) {
            for (String[] row : readRows(tmp.resolve(ListOpsGenerator.fileName(split)))) {
                int tokens = lraTokens(row[0]).size();
                assertTrue(tokens > 10 && tokens < 14, "length " + tokens);
                lengthsSeen.add(tokens);
                assertEquals(evaluate(row[0]), Integer.parseInt(row[1]));
            }
        }
        assertEquals(Set.of(11, 12, 13), lengthsSeen);
    }

    @Test
    void sameSeedSameBytesWhateverTheThreadCount() throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        Path c = tmp.resolve("c");
        new ListOpsGenerator().generate(a, SMALL.withThreads(1));
        new ListOpsGenerator().generate(b, SMALL.withThreads(3));
        new ListOpsGenerator().generate(c, SMALL.withSeed(8));
        for (String split : new String[] {"train", "val", "test"}) {
            String name = ListOpsGenerator.fileName(split);
            assertArrayEquals(Files.readAllBytes(a.resolve(name)), Files.readAllBytes(b.resolve(name)), name);
        }
        assertFalse(Arrays.equals(Files.readAllBytes(a.resolve("basic_train.tsv")),
                Files.readAllBytes(c.resolve("basic_train.tsv"))), "a different seed gives different data");
    }
}
