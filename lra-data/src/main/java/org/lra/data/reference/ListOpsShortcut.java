package org.lra.data.reference;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.lra.data.SplitData;
import org.lra.data.read.ListOpsVocabulary;

/**
 * The ListOps shortcut: predict, for each example, the most frequent train label among the train examples with the
 * same outermost operator. A model that only reads the first token can score this much.
 *
 * <p>The outermost operator is the first token as the model sees it. LRA's tokenisation deletes {@code (} and
 * {@code )} (see {@link org.lra.data.read.ListOpsReader#tokenize}), so {@code ( ( [MAX 2 ) 9 ) ]} reaches the model
 * as {@code [MAX 2 9 X}: in this prefix notation the operator that opens first is the outermost one, and it is
 * token 0. An expression that does not start with an operator (a bare digit, which LRA's generator makes only below
 * its minimum length) has none, and neither has an operator unseen in train: both get {@code fallback}, the
 * majority class. Ties between labels go to the smallest label.
 *
 * @param labelByOperator operator token id → the label predicted for it
 * @param fallback        the label for an example whose outermost operator has no entry
 */
public record ListOpsShortcut(Map<Integer, Integer> labelByOperator, int fallback) {

    /** What {@link #outermostOperator} returns for an example that has none. */
    public static final int NO_OPERATOR = -1;

    public ListOpsShortcut {
        labelByOperator = Collections.unmodifiableMap(new TreeMap<>(labelByOperator));
    }

    /** Fits the rule on {@code train}: per outermost operator, the most frequent label (ties to the smallest). */
    public static ListOpsShortcut fit(SplitData train, int numClasses, int fallback) {
        Map<Integer, long[]> counts = new TreeMap<>();
        for (int i = 0; i < train.size(); i++) {
            int op = outermostOperator(train, i);
            if (op != NO_OPERATOR) {
                counts.computeIfAbsent(op, k -> new long[numClasses])[train.label(i)]++;
            }
        }
        Map<Integer, Integer> labels = new TreeMap<>();
        counts.forEach((op, c) -> labels.put(op, MajorityClass.argmax(c)));
        return new ListOpsShortcut(labels, fallback);
    }

    /** The label the rule predicts for example {@code index} of {@code split}. */
    public int predict(SplitData split, int index) {
        return labelByOperator.getOrDefault(outermostOperator(split, index), fallback);
    }

    /** The token id of the example's outermost operator, or {@link #NO_OPERATOR}. */
    public static int outermostOperator(SplitData split, int index) {
        if (split.length(index, 0) == 0) {
            return NO_OPERATOR;
        }
        int[] first = new int[1];
        split.copyIds(index, 0, first, 0, 1);
        return ListOpsVocabulary.isOperator(first[0]) ? first[0] : NO_OPERATOR;
    }

    /** "[MAX→9, [MED→2, [MIN→0, [SM→4; else 0": the rule as a person reads it. */
    public String describe() {
        StringBuilder s = new StringBuilder();
        labelByOperator.forEach((op, label) -> s.append(s.isEmpty() ? "" : ", ")
                .append(ListOpsVocabulary.token(op)).append("→").append(label));
        return s.append(s.isEmpty() ? "" : "; ").append("else ").append(fallback).toString();
    }
}
