package org.lra.data.generate;

import org.lra.data.read.Difficulty;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PathfinderGeneratorTest {

    private static final PathfinderParams PF32_HARD = PathfinderParams.forResolution(32, Difficulty.HARD);
    private static final int SAMPLE = 400;
    private static List<PathfinderImage> images;

    @TempDir
    Path tmp;

    @BeforeAll
    static void drawSample() {
        PathfinderSampler sampler = new PathfinderSampler(PF32_HARD);
        images = new ArrayList<>();
        for (int i = 0; i < SAMPLE; i++) {
            images.add(PathfinderGenerator.renderImage(sampler, 2024, i));
        }
    }

    // ------------------------------------------------------------------------------------
    // Parameters

    @Test
    void difficultyTableFollowsTheReference() {
        PathfinderParams easy32 = PathfinderParams.forResolution(32, Difficulty.EASY);
        assertEquals(6, easy32.contourLength());
        assertEquals(2, easy32.distractorLength());
        assertEquals(10, easy32.numDistractorSnakes());
        PathfinderParams intermediate32 = PathfinderParams.forResolution(32, Difficulty.INTERMEDIATE);
        assertEquals(9, intermediate32.contourLength());
        assertEquals(3, intermediate32.distractorLength());
        assertEquals(6, intermediate32.numDistractorSnakes());
        assertEquals(14, PF32_HARD.contourLength());
        assertEquals(4, PF32_HARD.distractorLength());
        assertEquals(5, PF32_HARD.numDistractorSnakes(), "20 // 4");
        assertEquals(5, PathfinderParams.forResolution(64, Difficulty.HARD).numDistractorSnakes(), "22 / 4");
        PathfinderParams hard128 = PathfinderParams.forResolution(128, Difficulty.HARD);
        assertEquals(8, hard128.numDistractorSnakes(), "35 / 4");
        assertEquals(List.of(2, 3), hard128.paddleMargins());
        assertEquals(756, PathfinderParams.totalNumPaddles(1));
        assertEquals(Difficulty.INTERMEDIATE, Difficulty.parse("Intermediate"));
        assertThrows(IllegalArgumentException.class, () -> PathfinderParams.forResolution(48, Difficulty.HARD));
        assertEquals("pathfinder32/curv_contour_length_14",
                PathfinderGenerator.releaseSubdirectory(32, Difficulty.HARD));
        assertEquals("pathfinder128/curv_baseline",
                PathfinderGenerator.releaseSubdirectory(128, Difficulty.EASY));
    }

    @Test
    void lanczosKeepsAConstantImageConstant() {
        int[] grey = new int[17 * 17];
        java.util.Arrays.fill(grey, 200);
        int[] small = LanczosResampler.resize(grey, 17, 17, 9, 9);
        for (int v : small) {
            assertEquals(200, v);
        }
        int[] zero = LanczosResampler.resize(new int[64 * 64], 64, 64, 32, 32);
        assertEquals(0, java.util.Arrays.stream(zero).max().orElseThrow());
    }

    // ------------------------------------------------------------------------------------
    // Images and the generator's record of them

    @Test
    void labelsAreBalanced() {
        long ones = images.stream().filter(image -> image.label() == 1).count();
        double sd = Math.sqrt(SAMPLE * 0.25);
        assertEquals(SAMPLE / 2.0, ones, 4 * sd, "label 1 count " + ones + " of " + SAMPLE);
    }

    @Test
    void labelAgreesWithWhichSnakesCarryTheMarkers() {
        for (PathfinderImage image : images) {
            assertEquals(2, image.targets().size());
            assertEquals(image.label() == 1, image.originSnake() == image.terminalSnake());
            PathfinderImage.Snake origin = image.targets().get(image.originSnake());
            PathfinderImage.Snake terminal = image.targets().get(image.terminalSnake());
            assertEquals(origin.paddles().get(0).start(), image.originMarker());
            assertEquals(terminal.paddles().get(terminal.paddles().size() - 1).start(), image.terminalMarker());
        }
    }

    @Test
    void targetSnakesAreChainsOfPaddlesStartingSeedDistanceApart() {
        int length = PF32_HARD.paddleLength();
        for (PathfinderImage image : images) {
            int margin = image.paddleMargin();
            // Consecutive paddle starts: at most pivot-to-head + pivot step + head-to-pivot, plus rounding.
            double maxStep = (length + margin) * 2 + (length + 2 * margin) + 2 * Math.sqrt(2);
            for (PathfinderImage.Snake snake : image.targets()) {
                assertEquals(PF32_HARD.contourLength(), snake.paddles().size());
                for (int k = 1; k < snake.paddles().size(); k++) {
                    double d = distance(snake.paddles().get(k - 1).start(), snake.paddles().get(k).start());
                    assertTrue(d > 0 && d <= maxStep, "paddle step " + d);
                }
            }
            double seedGap = distance(image.targets().get(0).originTip(), image.targets().get(1).originTip());
            assertEquals(PF32_HARD.seedDistance(), seedGap, 1.0, "second seed is seed_distance from the first");
        }
    }

    @Test
    void markersAndTargetPaddlesAreDrawnWhereTheRecordSaysTheyAre() {
        for (PathfinderImage image : images) {
            int[] levels = new int[image.pixels().length];
            for (int i = 0; i < levels.length; i++) {
                levels[i] = image.pixels()[i] & 0xFF;
            }
            int max = java.util.Arrays.stream(levels).max().orElseThrow();
            assertEquals(255, max, "byte-scaled to the full range");
            assertEquals(0, java.util.Arrays.stream(levels).min().orElseThrow());
            for (PathfinderImage.Point marker : List.of(image.originMarker(), image.terminalMarker())) {
                assertTrue(brightestNear(image, marker) >= 0.5 * max, "marker at " + marker + " is bright");
            }
            for (PathfinderImage.Snake snake : image.targets()) {
                for (PathfinderImage.Paddle paddle : snake.paddles()) {
                    double half = PF32_HARD.paddleLength() / 2.0;
                    int y = (int) Math.round(paddle.start().y() + half * Math.sin(paddle.orientation()));
                    int x = (int) Math.round(paddle.start().x() + half * Math.cos(paddle.orientation()));
                    assertTrue(brightestNear(image, new PathfinderImage.Point(y, x)) > 0.25 * max,
                            "paddle at " + paddle + " is drawn");
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------
    // The data set on disk

    @Test
    void writesTheReleaseLayout() throws IOException {
        PathfinderGenerator.Options options = PathfinderGenerator.Options.defaults()
                .withCount(25).withBatchSize(10).withSeed(5).withThreads(2);
        GenerationSummary summary = new PathfinderGenerator().generate(tmp, options);
        assertEquals(25, summary.count("images"));
        assertEquals(3, summary.count("batches"));

        PathfinderSampler sampler = new PathfinderSampler(options.params());
        long ones = 0;
        for (int batch = 0; batch < 3; batch++) {
            List<String> lines = Files.readAllLines(tmp.resolve("metadata/" + batch + ".npy"));
            assertEquals(batch < 2 ? 10 : 5, lines.size());
            for (int n = 0; n < lines.size(); n++) {
                String[] fields = lines.get(n).split(" ");
                assertEquals(11, fields.length, lines.get(n));
                assertEquals("imgs/" + batch, fields[0]);
                assertEquals("sample_" + n + ".png", fields[1]);
                assertEquals(Integer.toString(n), fields[2]);
                PathfinderImage expected = PathfinderGenerator.renderImage(sampler, 5, batch * 10L + n);
                assertEquals(Integer.toString(expected.label()), fields[3]);
                ones += expected.label();
                assertEquals("1.0 14 4 2 0.5 1 1",
                        String.join(" ", java.util.Arrays.copyOfRange(fields, 4, 11)));
                byte[] png = Files.readAllBytes(tmp.resolve(fields[0]).resolve(fields[1]));
                assertArrayEquals(expected.pixels(), decodeGray(png, 32));
            }
        }
        assertEquals(ones, summary.count("label1"));
        try (Stream<Path> all = Files.walk(tmp)) {
            assertFalse(all.anyMatch(p -> p.toString().endsWith(".tmp")), "no temporary files left");
        }
        assertThrows(IOException.class, () -> new PathfinderGenerator().generate(tmp, options),
                "refuses to write over an existing generation");
    }

    @Test
    void sameSeedSameBytesWhateverTheThreadCount() throws IOException {
        PathfinderGenerator.Options options = PathfinderGenerator.Options.defaults()
                .withCount(40).withBatchSize(7).withSeed(99);
        Path one = tmp.resolve("one");
        Path three = tmp.resolve("three");
        Path other = tmp.resolve("other");
        new PathfinderGenerator().generate(one, options.withThreads(1));
        new PathfinderGenerator().generate(three, options.withThreads(3));
        new PathfinderGenerator().generate(other, options.withSeed(100).withThreads(2));
        List<Path> files = listFiles(one);
        assertEquals(40 + 6, files.size(), "40 images and 6 metadata files");
        assertEquals(files, listFiles(three));
        boolean anyDifferent = false;
        for (Path file : files) {
            assertArrayEquals(Files.readAllBytes(one.resolve(file)), Files.readAllBytes(three.resolve(file)), file.toString());
            if (file.toString().endsWith(".png")) {
                anyDifferent |= !java.util.Arrays.equals(Files.readAllBytes(one.resolve(file)),
                        Files.readAllBytes(other.resolve(file)));
            }
        }
        assertTrue(anyDifferent, "another seed gives other images");
    }

    @Test
    void pngsAreEightBitGrayAtEveryResolution() throws IOException {
        for (int resolution : PathfinderParams.RESOLUTIONS) {
            Path out = tmp.resolve("r" + resolution);
            PathfinderGenerator.Options options = PathfinderGenerator.Options.defaults()
                    .withResolution(resolution).withCount(2).withBatchSize(2).withSeed(3).withThreads(2);
            new PathfinderGenerator().generate(out, options);
            for (int n = 0; n < 2; n++) {
                BufferedImage image = ImageIO.read(out.resolve("imgs/0/sample_" + n + ".png").toFile());
                assertEquals(BufferedImage.TYPE_BYTE_GRAY, image.getType(), "8-bit grayscale");
                assertEquals(8, image.getColorModel().getPixelSize());
                assertEquals(resolution, image.getWidth());
                assertEquals(resolution, image.getHeight());
            }
            String line = Files.readAllLines(out.resolve("metadata/0.npy")).get(0);
            String margin = line.split(" ")[9];
            assertTrue(options.params().paddleMargins().contains(Integer.parseInt(margin)), line);
        }
    }

    // ------------------------------------------------------------------------------------

    private static double distance(PathfinderImage.Point a, PathfinderImage.Point b) {
        return Math.hypot(a.y() - b.y(), a.x() - b.x());
    }

    /** Brightest pixel within one pixel of p (positions are pixel indices; drawing antialiases). */
    private static int brightestNear(PathfinderImage image, PathfinderImage.Point p) {
        int best = 0;
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                int y = p.y() + dy;
                int x = p.x() + dx;
                if (y >= 0 && y < image.size() && x >= 0 && x < image.size()) {
                    best = Math.max(best, image.pixel(y, x));
                }
            }
        }
        return best;
    }

    private static byte[] decodeGray(byte[] png, int size) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, image.getType());
        byte[] pixels = new byte[size * size];
        image.getRaster().getDataElements(0, 0, size, size, pixels);
        return pixels;
    }

    private static List<Path> listFiles(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile).map(root::relativize).sorted().collect(Collectors.toList());
        }
    }
}
