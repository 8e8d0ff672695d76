package org.lra.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShellWordsTest {

    @Test
    void quotesOnlyWhatTheShellWouldSplitOrExpand() {
        assertEquals("/data/listops-cpu", ShellWords.quote(Path.of("/data/listops-cpu")));
        assertEquals("'/my data/x'", ShellWords.quote(Path.of("/my data/x")));
        assertEquals("'it'\\''s'", ShellWords.quote("it's"));
        assertEquals("'$HOME'", ShellWords.quote("$HOME"));
        assertEquals("lra train --out 'a b'", ShellWords.join(List.of("lra", "train", "--out", "a b")));
    }
}
