package org.lra.model.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resident memory of this process as the kernel counts it (heap, ND4J's off-heap arrays and native
 * libraries together), read from /proc/self/status. Peak = VmHWM, the same quantity as the PyTorch
 * twin's ru_maxrss, so the two columns compare like with like.
 */
public final class PeakMemory {
    private PeakMemory() {
    }

    /** Peak resident set size in MiB, or NaN where /proc is unavailable. */
    public static double peakRssMb() {
        return readKb("VmHWM:") / 1024.0;
    }

    private static double readKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Double.parseDouble(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
