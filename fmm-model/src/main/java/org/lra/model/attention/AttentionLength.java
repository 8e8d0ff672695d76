package org.lra.model.attention;

/**
 * A sequence length and how the caller names it in messages ({@code task.maxLength}, {@code the sequence length
 * 2048}), for the length rules each attention variant states once ({@link AttentionFactory#lengthProblems}) and
 * checks again on the shapes it is given.
 */
public record AttentionLength(int tokens, String name) {

    /** A length met at run time: named by its value. */
    public static AttentionLength of(int tokens) {
        return new AttentionLength(tokens, "the sequence length " + tokens);
    }
}
