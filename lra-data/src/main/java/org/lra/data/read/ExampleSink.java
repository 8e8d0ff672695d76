package org.lra.data.read;

import org.lra.data.Example;
import org.lra.data.Split;

/** Where a reader puts what it reads: examples routed to their split, and inputs it skipped (with why). */
public interface ExampleSink {

    void accept(Split split, Example example);

    /** An input file that was deliberately left out, e.g. a 0-byte Pathfinder PNG. */
    default void skipped(String location, String reason) {
    }
}
