package org.lra.data.read;

import java.awt.image.Raster;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.lra.data.DataFormatException;
import org.lra.data.Example;
import org.lra.data.Split;

/**
 * Reads one Pathfinder difficulty directory as released, e.g. {@code pathfinder32/curv_contour_length_14/}:
 *
 * <pre>
 *   metadata/&lt;b&gt;.npy        TEXT despite the extension: one line per image, space-separated;
 *                          field 0 = sub-directory (imgs/&lt;b&gt;), field 1 = file name, field 3 = label 0/1
 *   imgs/&lt;b&gt;/sample_&lt;n&gt;.png  8-bit grayscale PNG, any square resolution (32x32 ... 128x128 for Path-X)
 * </pre>
 *
 * <p>Each image becomes its pixel values 0..255 row-major (1024 tokens at 32x32, 16384 at 128x128),
 * stored raw (vocabulary 256). Every image must have the same size. A 0-byte PNG (the release has at
 * least one) is skipped and reported; a missing, non-PNG or undecodable image is a
 * {@link DataFormatException} naming it.
 *
 * <p>The release has no split, so {@link SeededSplit#eightyTenTen} splits the examples, taken in
 * sorted order of their {@code imgs/...} path (0-byte images removed), with the given seed (default 0).
 * Within each split examples stay in sorted path order.
 */
public final class PathfinderReader implements TaskReader {
    public static final String SPLIT_RULE = "sorted-path order, 0-byte PNGs dropped, java.util.Random(seed) Fisher-Yates, 80/10/10";
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private final long seed;
    private final int expectedSide;

    /** {@code expectedSide} is the image width/height the caller asked for, or 0 to accept whatever the first image has. */
    public PathfinderReader(long seed, int expectedSide) {
        this.seed = seed;
        this.expectedSide = expectedSide;
        ImageIO.setUseCache(false); // decode in memory; no temp files per image
    }

    private record Entry(String path, int label) {
    }

    @Override
    public SourceInfo read(Path dir, ExampleSink sink) throws IOException {
        Path metadataDir = dir.resolve("metadata");
        if (!Files.isDirectory(metadataDir)) {
            throw new DataFormatException(dir.toString(), "no metadata/ directory (expected a Pathfinder difficulty directory such as pathfinder32/curv_contour_length_14)");
        }
        MessageDigest digest = Sha256.newDigest();
        List<Entry> entries = readMetadata(metadataDir, digest);
        entries = dropEmptyImages(dir, entries, sink);
        int[] part = SeededSplit.eightyTenTen(entries.size(), seed);
        Split[] splits = {Split.TRAIN, Split.VAL, Split.TEST};

        ImageReader png = ImageIO.getImageReadersByFormatName("png").next();
        long bytes = 0;
        int side = expectedSide;
        try {
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                Path file = dir.resolve(e.path);
                byte[] content = Files.readAllBytes(file);
                bytes += content.length;
                digest.update(e.path.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(content);
                int[] pixels = decode(png, content, file.toString());
                int imageSide = (int) Math.round(Math.sqrt(pixels.length));
                if (side == 0) {
                    side = imageSide;
                }
                if (imageSide * imageSide != pixels.length || imageSide != side) {
                    throw new DataFormatException(file.toString(), "image has " + pixels.length + " pixels, expected " + side + "x" + side);
                }
                sink.accept(splits[part[i]], Example.single(pixels, e.label));
            }
        } finally {
            png.dispose();
        }
        return new SourceInfo("directory", dir, Sha256.hex(digest), bytes);
    }

    /** All metadata lines of all {@code metadata/*.npy} files, sorted by image path; the metadata bytes enter the digest. */
    private static List<Entry> readMetadata(Path metadataDir, MessageDigest digest) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(metadataDir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".npy")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new DataFormatException(metadataDir.toString(), "no *.npy metadata files");
        }
        List<Entry> entries = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Path file : files) {
            byte[] content = Files.readAllBytes(file);
            digest.update(content);
            BufferedReader reader = new BufferedReader(new java.io.StringReader(new String(content, StandardCharsets.UTF_8)));
            long lineNumber = 0;
            for (String line; (line = reader.readLine()) != null; ) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = line.strip().split("\\s+");
                if (fields.length < 4) {
                    throw DataFormatException.atLine(file.toString(), lineNumber, "expected at least 4 space-separated fields (dir, file, index, label), found " + fields.length);
                }
                int label = parseLabel(fields[3], file.toString(), lineNumber);
                String path = fields[0] + "/" + fields[1];
                if (path.contains("..") || path.startsWith("/")) {
                    throw DataFormatException.atLine(file.toString(), lineNumber, "image path '" + path + "' leaves the dataset directory");
                }
                if (!seen.add(path)) {
                    throw DataFormatException.atLine(file.toString(), lineNumber, "image " + path + " is listed twice");
                }
                entries.add(new Entry(path, label));
            }
        }
        entries.sort(Comparator.comparing(Entry::path));
        return entries;
    }

    private static List<Entry> dropEmptyImages(Path dir, List<Entry> entries, ExampleSink sink) throws IOException {
        List<Entry> kept = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            Path file = dir.resolve(e.path);
            if (!Files.isRegularFile(file)) {
                throw new DataFormatException(file.toString(), "image listed in metadata is missing");
            }
            if (Files.size(file) == 0) {
                sink.skipped(file.toString(), "0-byte PNG");
            } else {
                kept.add(e);
            }
        }
        return kept;
    }

    private static int parseLabel(String text, String file, long lineNumber) {
        int label;
        try {
            label = (int) Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw DataFormatException.atLine(file, lineNumber, "label (field 4) '" + text + "' is not a number");
        }
        if (label != 0 && label != 1 || Double.parseDouble(text) != label) {
            throw DataFormatException.atLine(file, lineNumber, "label (field 4) " + text + " is out of range (expected 0 or 1)");
        }
        return label;
    }

    /** Pixel values of an 8-bit single-channel PNG, row-major. */
    static int[] decode(ImageReader png, byte[] content, String location) {
        for (int i = 0; i < PNG_SIGNATURE.length; i++) {
            if (content.length <= i || content[i] != PNG_SIGNATURE[i]) {
                throw new DataFormatException(location, "not a PNG file (bad signature)");
            }
        }
        Raster raster;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(content))) {
            png.setInput(in, true, true);
            raster = png.read(0).getRaster();
        } catch (IOException | RuntimeException e) {
            throw new DataFormatException(location, "corrupt PNG (" + e.getMessage() + ")", e);
        }
        if (raster.getNumBands() != 1 || raster.getSampleModel().getSampleSize(0) != 8) {
            throw new DataFormatException(location, "expected an 8-bit grayscale PNG, found " + raster.getNumBands() + " band(s) of "
                    + raster.getSampleModel().getSampleSize(0) + " bits");
        }
        return raster.getSamples(0, 0, raster.getWidth(), raster.getHeight(), 0, (int[]) null);
    }
}
