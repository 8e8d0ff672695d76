package org.lra.data.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.data.DataSettings;
import org.lra.data.Example;
import org.lra.data.ExampleList;
import org.lra.data.Fixtures;
import org.lra.data.Split;
import org.lra.data.Task;
import org.lra.data.cache.CachedDataset;
import org.lra.data.ingest.Importer;
import org.lra.data.read.ListOpsReader;
import org.lra.data.read.ListOpsVocabulary;

/**
 * The reference rows on a hand-made ListOps set, every expected number worked out by hand below. Expressions are
 * written as the release writes them; the labels are their true values.
 */
class ReferenceScoresTest {

    // train: labels 9 3 9 4 2 3 7 3 9 -> 3 and 9 three times each: the majority class is 3 (tie to the smallest)
    // per outermost operator: [MAX 9,3,9,9 -> 9; [MIN 4,2 -> 2 (tie to the smallest); [MED 3,3 -> 3;
    // [SM never -> falls back to 3; the bare digit "7" has no operator and counts for no operator
    static final String TRAIN = """
            Source\tTarget
            ( ( [MAX 2 ) 9 ) ]\t9
            ( ( [MAX 1 ) 3 ) ]\t3
            ( ( ( [MAX 0 ) 9 ) 4 ) ]\t9
            ( ( [MIN 4 ) 7 ) ]\t4
            ( ( [MIN 8 ) 2 ) ]\t2
            ( ( [MED 3 ) 3 ) ]\t3
            7\t7
            ( ( ( [MED 2 ) 3 ) ( ( [MAX 1 ) 3 ) ] ) ]\t3
            ( ( [MAX 9 ) 0 ) ]\t9
            """;

    // test, with the shortcut's prediction (S) and the majority class's (M = 3):
    //   0 [MAX -> 9, label 9: S right, M wrong
    //   1 [MAX -> 9, label 3: S wrong, M right
    //   2 [MIN -> 2, label 2: S right, M wrong
    //   3 [SM  -> 3 (unseen in train), label 1: both wrong
    //   4 [MED -> 3 (outermost; a [MIN inside), label 3: both right
    //   5 "4"  -> 3 (no operator), label 4: both wrong
    //   6 [MIN -> 2, label 2: S right, M wrong
    //   7 [SM  -> 3 (unseen), label 3: both right
    // shortcut 5 of 8 = 0.625, majority 3 of 8 = 0.375
    static final String TEST = """
            Source\tTarget
            ( ( [MAX 5 ) 9 ) ]\t9
            ( ( [MAX 3 ) 1 ) ]\t3
            ( ( [MIN 2 ) 8 ) ]\t2
            ( ( [SM 2 ) 9 ) ]\t1
            ( ( ( [MED 1 ) 3 ) ( ( [MIN 5 ) 6 ) ] ) ]\t3
            4\t4
            ( ( [MIN 2 ) 5 ) ]\t2
            ( ( [SM 1 ) 2 ) ]\t3
            """;

    static final int[] SHORTCUT_PREDICTIONS = {9, 9, 2, 3, 3, 3, 2, 3};

    @TempDir
    Path tmp;

    @Test
    void listOpsShortcutAndMajorityOnAHandMadeSet() {
        ReferenceScores refs = ReferenceScores.compute(Task.LISTOPS, split(TRAIN), split(TEST));
        assertEquals(3, refs.majorityLabel());
        assertEquals(new ReferenceScores.Score(3, 8), refs.majority());
        assertEquals(0.375, refs.majority().accuracy());
        assertEquals(new ReferenceScores.Score(5, 8), refs.shortcut().orElseThrow());
        assertEquals(0.625, refs.shortcut().orElseThrow().accuracy());
        ListOpsShortcut rule = refs.shortcutRule().orElseThrow();
        assertEquals(Map.of(id("[MAX"), 9, id("[MIN"), 2, id("[MED"), 3), rule.labelByOperator());
        assertEquals(3, rule.fallback());
        assertEquals("[MIN→2, [MAX→9, [MED→3; else 3", rule.describe());
        assertArrayEquals(SHORTCUT_PREDICTIONS, refs.shortcutPredictions().orElseThrow());
    }

    /** The same numbers through the real path: release files, import, the memory-mapped cache. */
    @Test
    void sameNumbersFromAnImportedCache() throws IOException {
        Path release = tmp.resolve("release/listops-1000");
        Fixtures.write(release.resolve("basic_train.tsv"), TRAIN);
        Fixtures.write(release.resolve("basic_val.tsv"), TEST);
        Fixtures.write(release.resolve("basic_test.tsv"), TEST);
        Path dataDir = tmp.resolve("data");
        new Importer(dataDir).importTask(Task.LISTOPS, tmp.resolve("release"), DataSettings.defaults(), false);
        CachedDataset ds = CachedDataset.open(dataDir, "listops");
        ReferenceScores refs = ReferenceScores.compute(Task.LISTOPS, ds.split(Split.TRAIN), ds.split(Split.TEST));
        assertEquals(new ReferenceScores.Score(3, 8), refs.majority());
        assertEquals(new ReferenceScores.Score(5, 8), refs.shortcut().orElseThrow());
        // the config's testLimit: the first 4 test examples, S right on 0 and 2, M on 1
        ReferenceScores limited = ReferenceScores.compute(Task.LISTOPS, ds.split(Split.TRAIN), ds.split(Split.TEST).firstN(4));
        assertEquals(new ReferenceScores.Score(2, 4), limited.shortcut().orElseThrow());
        assertEquals(new ReferenceScores.Score(1, 4), limited.majority());
    }

    @Test
    void outermostOperatorIsTheFirstTokenOnceBracketsAreGone() {
        ExampleList nested = split(TEST);
        assertEquals(id("[MED"), ListOpsShortcut.outermostOperator(nested, 4), "( ( ( [MED 1 ) 3 ) ( ( [MIN ...");
        assertEquals(ListOpsShortcut.NO_OPERATOR, ListOpsShortcut.outermostOperator(nested, 5), "a bare digit");
        ExampleList empty = new ExampleList(List.of(Example.single(new int[0], 0)));
        assertEquals(ListOpsShortcut.NO_OPERATOR, ListOpsShortcut.outermostOperator(empty, 0));
    }

    @Test
    void shortcutAgreementOfHandMadePredictions() {
        ReferenceScores refs = ReferenceScores.compute(Task.LISTOPS, split(TRAIN), split(TEST));
        // against 9 9 2 3 3 3 2 3: equal at 0, 2, 3, 5, 6
        int[] predicted = {9, 3, 2, 3, 0, 3, 2, 1};
        assertEquals(5 / 8.0, refs.shortcutAgreement(predicted).orElseThrow());
        assertEquals(1.0, refs.shortcutAgreement(SHORTCUT_PREDICTIONS).orElseThrow());
        // the majority class is 3: predicted 3 at 1, 3 and 5
        assertEquals(3 / 8.0, refs.majorityAgreement(predicted));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> refs.shortcutAgreement(new int[7]));
        assertTrue(e.getMessage().contains("7 predictions for 8 test examples"), e.getMessage());
    }

    @Test
    void aPredictionsFileMustCarryTheTestLabels() {
        ReferenceScores refs = ReferenceScores.compute(Task.LISTOPS, split(TRAIN), split(TEST));
        assertArrayEquals(new int[] {9, 3, 2, 1, 3, 4, 2, 3}, refs.testLabels());
        assertEquals(-1, refs.firstLabelMismatch(new int[] {9, 3, 2, 1, 3, 4, 2, 3}));
        assertEquals(2, refs.firstLabelMismatch(new int[] {9, 3, 0, 1, 3, 4, 2, 3}));
        assertEquals(3, refs.firstLabelMismatch(new int[] {9, 3, 2}), "shorter");
        assertEquals(8, refs.firstLabelMismatch(new int[] {9, 3, 2, 1, 3, 4, 2, 3, 0}), "longer");
    }

    @Test
    void otherTasksHaveAMajorityClassAndNoShortcut() {
        // labels 1 0 1 0 0 1 1: four ones -> 1; test 1 0 0: one of three
        ExampleList train = labels(1, 0, 1, 0, 0, 1, 1);
        ReferenceScores refs = ReferenceScores.compute(Task.PATHFINDER, train, labels(1, 0, 0));
        assertEquals(1, refs.majorityLabel());
        assertEquals(new ReferenceScores.Score(1, 3), refs.majority());
        assertTrue(refs.shortcut().isEmpty());
        assertTrue(refs.shortcutAgreement(new int[3]).isEmpty());
        // a tie goes to the smallest label
        assertEquals(0, ReferenceScores.compute(Task.TEXT, labels(1, 0, 0, 1), labels(0)).majorityLabel());
        assertThrows(IllegalArgumentException.class, () -> ReferenceScores.compute(Task.TEXT, labels(), labels(0)));
    }

    private static ExampleList split(String tsv) {
        return new ExampleList(tsv.lines().skip(1).map(line -> line.split("\t"))
                .map(f -> Example.single(ListOpsReader.tokenize(f[0], 2000), Integer.parseInt(f[1]))).toList());
    }

    private static ExampleList labels(int... labels) {
        return new ExampleList(java.util.Arrays.stream(labels).mapToObj(l -> Example.single(new int[] {5, 6}, l)).toList());
    }

    private static int id(String token) {
        return ListOpsVocabulary.id(token);
    }
}
