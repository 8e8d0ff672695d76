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
import org.lra.data.Example;
import org.lra.data.ExampleList;
import org.lra.data.Split;
import org.lra.data.Task;
import org.lra.data.cache.CachedDataset;
import org.lra.data.read.ListOpsReader;
import org.lra.data.read.ListOpsVocabulary;

/** The reference rows on {@link HandMadeListOps}, whose comments work every expected number out by hand. */
class ReferenceScoresTest {


    @TempDir
    Path tmp;

    @Test
    void listOpsShortcutAndMajorityOnAHandMadeSet() {
        ReferenceScores refs = ReferenceScores.compute(Task.LISTOPS, split(HandMadeListOps.TRAIN), split(HandMadeListOps.TEST));
        assertEquals(3, refs.majorityLabel());
        assertEquals(new ReferenceScores.Score(3, 8), refs.majority());
        assertEquals(0.375, refs.majority().accuracy());
        assertEquals(new ReferenceScores.Score(5, 8), refs.shortcut().orElseThrow());
        assertEquals(0.625, refs.shortcut().orElseThrow().accuracy());
        ListOpsShortcut rule = refs.shortcutRule().orElseThrow();
        assertEquals(Map.of(id("[MAX"), 9, id("[MIN"), 2, id("[MED"), 3), rule.labelByOperator());
        assertEquals(3, rule.fallback());
        assertEquals("[MIN→2, [MAX→9, [MED→3; else 3", rule.describe());
        assertArrayEquals(HandMadeListOps.SHORTCUT_PREDICTIONS, refs.shortcutPredictions().orElseThrow());
    }

    /** The same numbers through the real path: release files, import, the memory-mapped cache. */
    @Test
    void sameNumbersFromAnImportedCache() throws IOException {
        CachedDataset ds = HandMadeListOps.importInto(tmp, tmp.resolve("data"), "listops");
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
        ExampleList nested = split(HandMadeListOps.TEST);
        assertEquals(id("[MED"), ListOpsShortcut.outermostOperator(nested, 4), "( ( ( [MED 1 ) 3 ) ( ( [MIN ...");
        assertEquals(ListOpsShortcut.NO_OPERATOR, ListOpsShortcut.outermostOperator(nested, 5), "a bare digit");
        ExampleList empty = new ExampleList(List.of(Example.single(new int[0], 0)));
        assertEquals(ListOpsShortcut.NO_OPERATOR, ListOpsShortcut.outermostOperator(empty, 0));
    }

    @Test
    void shortcutAgreementOfHandMadePredictions() {
        ReferenceScores refs = ReferenceScores.compute(Task.LISTOPS, split(HandMadeListOps.TRAIN), split(HandMadeListOps.TEST));
        // against 9 9 2 3 3 3 2 3: equal at 0, 2, 3, 5, 6
        int[] predicted = {9, 3, 2, 3, 0, 3, 2, 1};
        assertEquals(5 / 8.0, refs.shortcutAgreement(predicted).orElseThrow());
        assertEquals(1.0, refs.shortcutAgreement(HandMadeListOps.SHORTCUT_PREDICTIONS).orElseThrow());
        // the majority class is 3: predicted 3 at 1, 3 and 5
        assertEquals(3 / 8.0, refs.majorityAgreement(predicted));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> refs.shortcutAgreement(new int[7]));
        assertTrue(e.getMessage().contains("7 predictions for 8 test examples"), e.getMessage());
    }

    @Test
    void aPredictionsFileMustCarryTheTestLabels() {
        ReferenceScores refs = ReferenceScores.compute(Task.LISTOPS, split(HandMadeListOps.TRAIN), split(HandMadeListOps.TEST));
        assertArrayEquals(HandMadeListOps.TEST_LABELS, refs.testLabels());
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
