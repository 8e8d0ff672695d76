package org.lra.data.ingest;

/** Told about import progress so the command line can draw a bar; called from the importing thread. */
public interface ImportProgress {
    ImportProgress NONE = (name, examples) -> { };

    /** {@code examples} written so far to dataset {@code name}; called every few thousand examples and at the end. */
    void examplesWritten(String name, long examples);
}
