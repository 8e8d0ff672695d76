package org.lra.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StepTimesTest {
    @Test
    void quantilesInterpolateLikeNumpy() {
        StepTimes t = new StepTimes();
        for (double v : new double[] {5, 1, 4, 2, 3}) {
            t.add(v);
        }
        assertEquals(3.0, t.median(), 1e-12);
        assertEquals(4.6, t.p90(), 1e-12); // numpy.percentile([1..5], 90) = 4.6
    }

    @Test
    void stateRoundTripsToTheMicrosecond() {
        StepTimes t = new StepTimes();
        t.add(412.3456);
        t.add(0.5);
        t.add(1e4);
        StepTimes back = StepTimes.restore(t.state());
        assertEquals("412.346 0.500 10000.000", t.state());
        assertEquals(3, back.count());
        assertEquals(t.median(), back.median(), 1e-3);
        assertEquals(t.p90(), back.p90(), 1e-3);
        assertEquals(0, StepTimes.restore(null).count(), "a checkpoint from before step times were kept");
        assertEquals(0, StepTimes.restore("").count());
    }

    @Test
    void emptyIsNaNAndPeakMemoryIsPositiveOnLinux() {
        assertTrue(Double.isNaN(new StepTimes().median()));
        double peak = PeakMemory.peakRssMb();
        if (Files.isReadable(Path.of("/proc/self/status"))) {
            // a JVM with ND4J loaded holds far more than 1 MiB, and no more than the machine has
            double machineMb = Runtime.getRuntime().maxMemory() / 1048576.0 * 64;
            assertTrue(peak > 1 && peak < machineMb, "peak " + peak);
        } else {
            assertTrue(Double.isNaN(peak), "no /proc: NaN, not a made-up number; got " + peak);
        }
    }
}
