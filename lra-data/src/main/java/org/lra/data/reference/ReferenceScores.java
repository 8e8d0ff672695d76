package org.lra.data.reference;

import java.util.Optional;
import org.lra.data.SplitData;
import org.lra.data.Task;

/**
 * What a model scores without learning the task, computed from the data alone: the two reference rows of
 * {@code lra report}.
 * <ul>
 *   <li>majority class: the most frequent train label (ties to the smallest), predicted for every test example;</li>
 *   <li>shortcut: for ListOps, {@link ListOpsShortcut} (the most frequent train label per outermost operator); no
 *       other task has one yet.</li>
 * </ul>
 * Both are scored as our test accuracy is: exact, over every example of the test split given.
 */
public final class ReferenceScores {

    /** {@code correct} of {@code examples} test examples. */
    public record Score(int correct, int examples) {
        /** Fraction correct; NaN on an empty split. */
        public double accuracy() {
            return examples == 0 ? Double.NaN : correct / (double) examples;
        }
    }

    private final int[] testLabels;
    private final int majorityLabel;
    private final Score majority;
    private final ListOpsShortcut shortcut;
    private final int[] shortcutPredictions;
    private final Score shortcutScore;

    private ReferenceScores(int[] testLabels, int majorityLabel, Score majority, ListOpsShortcut shortcut,
                            int[] shortcutPredictions, Score shortcutScore) {
        this.testLabels = testLabels;
        this.majorityLabel = majorityLabel;
        this.majority = majority;
        this.shortcut = shortcut;
        this.shortcutPredictions = shortcutPredictions;
        this.shortcutScore = shortcutScore;
    }

    /** Fits both rules on {@code train} and scores them on {@code test}. */
    public static ReferenceScores compute(Task task, SplitData train, SplitData test) {
        int label = MajorityClass.of(train, task.numClasses());
        int[] testLabels = new int[test.size()];
        int majorityCorrect = 0;
        for (int i = 0; i < test.size(); i++) {
            testLabels[i] = test.label(i);
            majorityCorrect += testLabels[i] == label ? 1 : 0;
        }
        Score majority = new Score(majorityCorrect, test.size());
        if (task != Task.LISTOPS) {
            return new ReferenceScores(testLabels, label, majority, null, null, null);
        }
        ListOpsShortcut rule = ListOpsShortcut.fit(train, task.numClasses(), label);
        int[] predictions = new int[test.size()];
        int correct = 0;
        for (int i = 0; i < test.size(); i++) {
            predictions[i] = rule.predict(test, i);
            correct += predictions[i] == testLabels[i] ? 1 : 0;
        }
        return new ReferenceScores(testLabels, label, majority, rule, predictions, new Score(correct, test.size()));
    }

    /** The test split's labels, in order: what a predictions file of this test split must carry. */
    public int[] testLabels() {
        return testLabels.clone();
    }

    /**
     * The first test example at which {@code labels} (a predictions file's label column) differs from the test
     * split, {@code labels.length} or the split's size where one is shorter; -1 when they are the same.
     */
    public int firstLabelMismatch(int[] labels) {
        int n = Math.min(labels.length, testLabels.length);
        for (int i = 0; i < n; i++) {
            if (labels[i] != testLabels[i]) {
                return i;
            }
        }
        return labels.length == testLabels.length ? -1 : n;
    }

    /** The share of {@code predicted} (one per test example) that is the majority class. */
    public double majorityAgreement(int[] predicted) {
        requireOnePerTestExample(predicted);
        int same = 0;
        for (int p : predicted) {
            same += p == majorityLabel ? 1 : 0;
        }
        return predicted.length == 0 ? Double.NaN : same / (double) predicted.length;
    }

    public int majorityLabel() {
        return majorityLabel;
    }

    public Score majority() {
        return majority;
    }

    /** The shortcut's score; empty for a task that has no shortcut defined. */
    public Optional<Score> shortcut() {
        return Optional.ofNullable(shortcutScore);
    }

    /** The fitted shortcut rule; empty for a task that has none. */
    public Optional<ListOpsShortcut> shortcutRule() {
        return Optional.ofNullable(shortcut);
    }

    /** The shortcut's prediction for each test example, in order; empty for a task that has none. */
    public Optional<int[]> shortcutPredictions() {
        return Optional.ofNullable(shortcutPredictions == null ? null : shortcutPredictions.clone());
    }

    /**
     * The share of test examples on which {@code predicted} (a model's prediction for each test example, in order)
     * equals the shortcut's; empty for a task without a shortcut.
     *
     * @throws IllegalArgumentException when {@code predicted} does not have one entry per test example
     */
    public Optional<Double> shortcutAgreement(int[] predicted) {
        if (shortcutPredictions == null) {
            return Optional.empty();
        }
        requireOnePerTestExample(predicted);
        int same = 0;
        for (int i = 0; i < predicted.length; i++) {
            same += predicted[i] == shortcutPredictions[i] ? 1 : 0;
        }
        return Optional.of(predicted.length == 0 ? Double.NaN : same / (double) predicted.length);
    }

    private void requireOnePerTestExample(int[] predicted) {
        if (predicted.length != testLabels.length) {
            throw new IllegalArgumentException(predicted.length + " predictions for " + testLabels.length
                    + " test examples");
        }
    }
}
