package org.lra.data.generate;

import java.util.Arrays;
import java.util.List;

/**
 * One ListOps expression: either a single digit or an operator applied to two or more
 * sub-expressions (docs/reference.md §2.3, {@code lra_benchmarks/data/listops.py}).
 *
 * <p>The LRA generator builds each operator node as left-nested pairs
 * {@code ((((op, c1), c2), ..., cn), END)}; {@link #toLraString()} prints exactly the string that
 * its {@code to_string} prints for such a nest, e.g. {@code MIN(8, 2, MIN(8, 6))} becomes
 * {@code ( ( ( ( [MIN 8 ) 2 ) ( ( ( [MIN 8 ) 6 ) ] ) ) ] )}. We keep the flat argument list
 * instead of the pairs because it is what a reader (and the evaluator) thinks in.
 */
public sealed interface ListOpsTree permits ListOpsTree.Digit, ListOpsTree.Operation {

    /** The closing token, {@code END} in the original. */
    String END = "]";

    /**
     * Number of tokens once the LRA input pipeline has deleted the parentheses: one per digit,
     * and for each operator its opening token plus the closing {@code ]}. This is the
     * {@code length} that the generator filters on ({@code min_length < length < max_length}).
     */
    int tokenLength();

    /** The value 0..9 of the expression, as the original {@code to_value} computes it. */
    int value();

    /** Appends the {@code to_string} form of this expression. */
    void appendLraString(StringBuilder out);

    /** The {@code Source} column of the LRA TSV files. */
    default String toLraString() {
        StringBuilder out = new StringBuilder(tokenLength() * 5);
        appendLraString(out);
        return out.toString();
    }

    /** The four operators of the released generator (the paper's MEAN is not among them). */
    enum Operator {
        MIN("[MIN"),
        MAX("[MAX"),
        /** Median; for an even count numpy averages the middle two and {@code int()} truncates. */
        MED("[MED"),
        /** Sum modulo 10. */
        SM("[SM");

        private final String token;

        Operator(String token) {
            this.token = token;
        }

        /** The opening token as it appears in the TSV, e.g. {@code [MIN}. */
        public String token() {
            return token;
        }

        /** Applies the operator to the argument values (not modified). */
        public int apply(int[] args) {
            switch (this) {
                case MIN:
                    return Arrays.stream(args).min().orElseThrow();
                case MAX:
                    return Arrays.stream(args).max().orElseThrow();
                case MED: {
                    int[] sorted = args.clone();
                    Arrays.sort(sorted);
                    int mid = sorted.length / 2;
                    // int(np.median(...)): values are non-negative, so truncation is floor.
                    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
                }
                case SM:
                    return Arrays.stream(args).sum() % 10;
                default:
                    throw new AssertionError(this);
            }
        }
    }

    /** A single digit 0..9. */
    record Digit(int digit) implements ListOpsTree {
        public Digit {
            if (digit < 0 || digit > 9) {
                throw new IllegalArgumentException("digit must be 0..9, got " + digit);
            }
        }

        @Override
        public int tokenLength() {
            return 1;
        }

        @Override
        public int value() {
            return digit;
        }

        @Override
        public void appendLraString(StringBuilder out) {
            out.append((char) ('0' + digit));
        }
    }

    /** An operator with its arguments, in order. */
    record Operation(Operator operator, List<ListOpsTree> arguments, int tokenLength) implements ListOpsTree {

        public Operation(Operator operator, List<ListOpsTree> arguments) {
            this(operator, List.copyOf(arguments), 2 + arguments.stream().mapToInt(ListOpsTree::tokenLength).sum());
        }

        public Operation {
            if (arguments.size() < 2) {
                throw new IllegalArgumentException("an operator needs at least two arguments");
            }
            int expected = 2 + arguments.stream().mapToInt(ListOpsTree::tokenLength).sum();
            if (tokenLength != expected) {
                throw new IllegalArgumentException("tokenLength " + tokenLength + " != " + expected);
            }
        }

        @Override
        public int value() {
            int[] values = new int[arguments.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = arguments.get(i).value();
            }
            return operator.apply(values);
        }

        @Override
        public void appendLraString(StringBuilder out) {
            // n arguments plus END make n + 1 nested pairs, so n + 1 opening parentheses.
            for (int i = 0; i <= arguments.size(); i++) {
                out.append("( ");
            }
            out.append(operator.token());
            for (ListOpsTree argument : arguments) {
                out.append(' ');
                argument.appendLraString(out);
                out.append(" )");
            }
            out.append(' ').append(END).append(" )");
        }
    }
}
