package org.lra.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.cli.InputException;

class BenchTableTest {
    @TempDir
    Path dir;

    private static BenchTable.Entry row(String engine, int threads, double tokensPerS, double peakMb) {
        return new BenchTable.Entry(engine, "fmm", 1024, 8, threads, 8192 / tokensPerS * 1000, 0, tokensPerS, peakMb,
                40);
    }

    /** A --threads 1 run and a --threads 2 run into one file give the 1-thread and the best-vs-best ratios. */
    @Test
    void runsAtTwoThreadCountsMergeIntoOneTable() throws IOException {
        Path out = dir.resolve("step.csv");
        BenchTable first = BenchTable.read(out);
        first.put(row("lra", 1, 60000, 300));
        first.put(row("torch", 1, 40000, 600));
        first.put(new BenchTable.Entry(BenchTable.SGEMM, "gemm512", 512, 1, 1, 0, 0, 0, 0, 100));
        Files.writeString(out, first.csv());

        BenchTable second = BenchTable.read(out);
        second.put(row("lra", 2, 50000, 310));
        second.put(row("torch", 2, 48000, 650));
        second.put(row("lra", 1, 66000, 301)); // a rerun of a case replaces its row
        Files.writeString(out, second.csv());

        BenchTable merged = BenchTable.read(out);
        assertEquals(5, merged.entries().size());
        String md = merged.markdown();
        assertTrue(md.contains("sgemm peak (512×512×512, 1 thread, the engine's OpenBLAS): 100.0 GFLOP/s"), md);
        // 1 thread: 66000 / 40000; best: lra's 1-thread 66000 against torch's 2-thread 48000
        assertTrue(md.contains("| fmm | 1024 | 8 | 66000 / 40000 | 1.65x | 66000 (1) / 48000 (2) | 1.38x | 301 / 650 | "
                + "40.0 (40% of peak) |"), md);
    }

    @Test
    void aFileOfAnotherFormatIsAnInputError() throws IOException {
        Path out = dir.resolve("old.csv");
        Files.writeString(out, "attention,seq_len,batch,threads,median_step_ms,p90_step_ms,tokens_per_s,peak_rss_mb\n");
        InputException e = assertThrows(InputException.class, () -> BenchTable.read(out));
        assertTrue(e.getMessage().startsWith(out + ": not a results file"), e.getMessage());
        Files.writeString(out, BenchTable.HEADER + "\nlra,fmm,x\n");
        e = assertThrows(InputException.class, () -> BenchTable.read(out));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }
}
