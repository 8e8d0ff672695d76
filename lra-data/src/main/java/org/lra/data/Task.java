package org.lra.data;

import java.util.Locale;
import org.lra.data.read.ListOpsVocabulary;

/**
 * The five LRA classification tasks and the facts about each that the data layer and the model share.
 *
 * <p>This enum is the one source of these facts: config validation, the report and the command line read them
 * from here. The declaration order is the paper's column order.
 *
 * <p>{@code vocabSize} is the size of the embedding table a model needs: every token id stored for the
 * task lies in {@code [0, vocabSize)}. For ListOps and the byte tasks id 0 is padding; for the pixel
 * tasks (Image, Pathfinder) 0 is a black pixel and the model decides whether to mask it.
 * {@code defaultMaxLength} is the per-document truncation length of the reference harness
 * (Nystromformer/FMMformer preprocessing): ListOps 2000, Text 1000 (the papers' "4K" Text numbers were
 * computed on 1000 bytes), Retrieval 4000 per document, Image 32x32, Pathfinder 32x32.
 */
public enum Task {
    LISTOPS("ListOps", 10, false, ListOpsVocabulary.SIZE, 2000),
    TEXT("Text", 2, false, 257, 1000),
    RETRIEVAL("Retrieval", 2, true, 257, 4000),
    IMAGE("Image", 10, false, 256, 1024),
    PATHFINDER("Pathfinder", 2, false, 256, 1024);

    private final String title;

    private final int numClasses;
    private final boolean dual;
    private final int vocabSize;
    private final int defaultMaxLength;

    Task(String title, int numClasses, boolean dual, int vocabSize, int defaultMaxLength) {
        this.title = title;
        this.numClasses = numClasses;
        this.dual = dual;
        this.vocabSize = vocabSize;
        this.defaultMaxLength = defaultMaxLength;
    }

    /** The lower-case name used in configs, cache directories and the command line ({@code listops}, ...). */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The column title in the LRA paper's tables ({@code ListOps}, ...). */
    public String title() {
        return title;
    }

    public int numClasses() {
        return numClasses;
    }

    /** True for Retrieval: every example is a pair of documents read by two towers. */
    public boolean dual() {
        return dual;
    }

    public int vocabSize() {
        return vocabSize;
    }

    public int defaultMaxLength() {
        return defaultMaxLength;
    }

    /** Parses a config name such as {@code text} (case-insensitive). */
    public static Task fromConfigName(String name) {
        for (Task task : values()) {
            if (task.configName().equalsIgnoreCase(name.trim())) {
                return task;
            }
        }
        throw new IllegalArgumentException("unknown task '" + name + "'; expected one of listops, text, retrieval, image, pathfinder");
    }
}
