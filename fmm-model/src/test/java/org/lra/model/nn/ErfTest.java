package org.lra.model.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ErfTest {
    /** (x, erf(x)) from Python's math.erf (correctly rounded libm). */
    private static final double[][] ERF = {
        {0.0, 0.0}, {1e-10, 1.1283791670955126e-10}, {0.1, 0.1124629160182849}, {0.3, 0.3286267594591274},
        {0.46875, 0.49261347321793797}, {0.5, 0.5204998778130465}, {1.0, 0.8427007929497149},
        {1.7, 0.9837904585907745}, {2.0, 0.9953222650189527}, {3.5, 0.9999992569016276},
        {4.0, 0.9999999845827421}, {4.5, 0.9999999998033839}, {6.0, 1.0}, {-0.7, -0.6778011938374184},
        {-2.5, -0.999593047982555},
    };

    /** (x, erfc(x)) from Python's math.erfc: the tail that GELU's left side needs. */
    private static final double[][] ERFC = {
        {0.2, 0.7772974107895215}, {1.0, 0.15729920705028513}, {3.0, 2.2090496998585438e-05},
        {5.0, 1.5374597944280351e-12}, {10.0, 2.088487583762545e-45}, {-1.5, 1.9661051464753108},
    };

    @Test
    void erfMatchesLibmToDoublePrecision() {
        for (double[] row : ERF) {
            assertEquals(row[1], Erf.erf(row[0]), 4e-16 * Math.max(1, Math.abs(row[1])) + 1e-300, "erf(" + row[0] + ")");
        }
    }

    @Test
    void erfcKeepsRelativePrecisionInTheTail() {
        for (double[] row : ERFC) {
            assertEquals(row[1], Erf.erfc(row[0]), 1e-14 * Math.abs(row[1]), "erfc(" + row[0] + ")");
        }
    }

    @Test
    void normalCdfIsHalfAtZeroAndSymmetric() {
        assertEquals(0.5, Erf.normalCdf(0), 0);
        for (double x = 0.05; x < 8; x += 0.37) {
            assertEquals(1.0, Erf.normalCdf(x) + Erf.normalCdf(-x), 1e-15);
        }
    }
}
