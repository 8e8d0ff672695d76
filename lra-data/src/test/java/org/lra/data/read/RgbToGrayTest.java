package org.lra.data.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RgbToGrayTest {

    @Test
    void matchesTensorFlowOnChosenPixels() {
        assertEquals(0, RgbToGray.gray(0, 0, 0));
        assertEquals(255, RgbToGray.gray(255, 255, 255));
        assertEquals(76, RgbToGray.gray(255, 0, 0));
        assertEquals(149, RgbToGray.gray(0, 255, 0));
        assertEquals(29, RgbToGray.gray(0, 0, 255));
        assertEquals(18, RgbToGray.gray(10, 20, 30));
    }

    @Test
    void usesFloat32RoundingNotDouble() {
        // These are among the 219 of 2^24 inputs where float32 (TF, and numpy's float32 tensordot)
        // gives one more than the double formula floor(255.5 * (0.2989 R + 0.5870 G + 0.1140 B) / 255).
        assertEquals(93, RgbToGray.gray(0, 122, 186));
        assertEquals(86, RgbToGray.gray(3, 121, 122));
        assertEquals(156, RgbToGray.gray(3, 254, 50));
        assertEquals(92, (int) (255.5 * (0.2989 * 0 + 0.5870 * 122 + 0.1140 * 186) / 255), "the double formula differs here");
    }
}
