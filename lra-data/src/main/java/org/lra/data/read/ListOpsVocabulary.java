package org.lra.data.read;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The fixed ListOps vocabulary. LRA builds its vocabulary from a Python {@code set}, so its token to id
 * map changes from run to run; we fix it once, in this order, so a cache and a checkpoint always agree:
 *
 * <pre>
 *   id 0      padding
 *   id 1..10  "0" "1" ... "9"
 *   id 11     "[MIN"
 *   id 12     "[MAX"
 *   id 13     "[MED"
 *   id 14     "[SM"
 *   id 15     "X"   (the closing bracket "]", renamed by the LRA tokeniser)
 *   id 16     any other token (out of vocabulary)
 * </pre>
 *
 * Changing this list changes {@link #VERSION}, which is part of every ListOps cache key.
 */
public final class ListOpsVocabulary {
    public static final List<String> TOKENS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "[MIN", "[MAX", "[MED", "[SM", "X");
    public static final int PAD = 0;
    public static final int OOV = TOKENS.size() + 1;
    /** Embedding table size: padding, the 15 tokens and the out-of-vocabulary id. */
    public static final int SIZE = 17;
    /** Written to the cache key so a changed vocabulary invalidates old caches. */
    public static final String VERSION = "pad0," + String.join(",", TOKENS) + ",oov" + OOV;

    private static final Map<String, Integer> IDS = TOKENS.stream()
            .collect(Collectors.toUnmodifiableMap(Function.identity(), token -> TOKENS.indexOf(token) + 1));

    private ListOpsVocabulary() {
    }

    public static int id(String token) {
        return IDS.getOrDefault(token, OOV);
    }

    /** True for the ids of the four operators ({@code [MIN}, {@code [MAX}, {@code [MED}, {@code [SM}). */
    public static boolean isOperator(int id) {
        return id >= id("[MIN") && id <= id("[SM");
    }

    /** The token of an id in {@code [1, 15]}; {@code <pad>} and {@code <oov>} for the other two. */
    public static String token(int id) {
        return id == PAD ? "<pad>" : id >= 1 && id <= TOKENS.size() ? TOKENS.get(id - 1) : "<oov>";
    }
}
