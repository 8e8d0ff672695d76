package org.lra.data.reference;

import java.io.IOException;
import java.nio.file.Path;
import org.lra.data.DataSettings;
import org.lra.data.Fixtures;
import org.lra.data.Task;
import org.lra.data.cache.CachedDataset;
import org.lra.data.ingest.Importer;

/**
 * A hand-made ListOps set whose reference scores are worked out by hand below; shared by the lra-data and report
 * tests. Expressions are written as the release writes them; the labels are their true values.
 */
public final class HandMadeListOps {

    // train: labels 9 3 9 4 2 3 7 3 9 -> 3 and 9 three times each: the majority class is 3 (tie to the smallest)
    // per outermost operator: [MAX 9,3,9,9 -> 9; [MIN 4,2 -> 2 (tie to the smallest); [MED 3,3 -> 3;
    // [SM never -> falls back to 3; the bare digit "7" has no operator and counts for no operator
    public static final String TRAIN = """
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
    public static final String TEST = """
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

    public static final int[] SHORTCUT_PREDICTIONS = {9, 9, 2, 3, 3, 3, 2, 3};
    public static final int[] TEST_LABELS = {9, 3, 2, 1, 3, 4, 2, 3};
    /** Majority class 3: right on 3 of the 8 test examples; the shortcut on 5. */
    public static final double MAJORITY_PERCENT = 37.5;
    public static final double SHORTCUT_PERCENT = 62.5;

    private HandMadeListOps() {
    }

    /** Writes the set as release files under {@code tmp} and imports it as {@code name} into {@code dataDir}. */
    public static CachedDataset importInto(Path tmp, Path dataDir, String name) throws IOException {
        Path release = tmp.resolve("hand-made-release-" + name);
        Fixtures.write(release.resolve("listops-1000/basic_train.tsv"), TRAIN);
        Fixtures.write(release.resolve("listops-1000/basic_val.tsv"), TEST);
        Fixtures.write(release.resolve("listops-1000/basic_test.tsv"), TEST);
        new Importer(dataDir).importTask(Task.LISTOPS, release, DataSettings.defaults().withName(name), true);
        return CachedDataset.open(dataDir, name);
    }
}
