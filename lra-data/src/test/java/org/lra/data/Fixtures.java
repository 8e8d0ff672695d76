package org.lra.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.lra.data.read.ExampleSink;

/** Builders for tiny files in the real release formats, shared by the tests. */
public final class Fixtures {
    private Fixtures() {
    }

    public static Path write(Path file, String content) throws IOException {
        return write(file, content.getBytes(StandardCharsets.UTF_8));
    }

    public static Path write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, content);
    }

    /** A .tar.gz holding every file under {@code dir}, named relative to {@code dir}. */
    public static Path tarGz(Path dir, Path archive) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                entries.put(dir.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        }
        return tarGz(entries, archive);
    }

    /** A .tar.gz with exactly these entries, in this order; names are stored verbatim. */
    public static Path tarGz(Map<String, byte[]> entries, Path archive) throws IOException {
        Files.createDirectories(archive.getParent());
        try (OutputStream file = Files.newOutputStream(archive);
             GzipCompressorOutputStream gz = new GzipCompressorOutputStream(file);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey(), true);
                entry.setSize(e.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
        return archive;
    }

    /** An 8-bit grayscale PNG of the given square side with these pixel values (row-major). */
    public static byte[] png(int side, int[] pixels) {
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setSamples(0, 0, side, side, 0, pixels);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static int[] bytesPlusOne(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = (bytes[i] & 0xFF) + 1;
        }
        return ids;
    }

    /** Collects what a reader emits. */
    public static final class CollectingSink implements ExampleSink {
        public final Map<Split, List<Example>> examples = new EnumMap<>(Split.class);
        public final List<String> skipped = new ArrayList<>();

        public CollectingSink() {
            for (Split s : Split.values()) {
                examples.put(s, new ArrayList<>());
            }
        }

        @Override
        public void accept(Split split, Example example) {
            examples.get(split).add(example);
        }

        @Override
        public void skipped(String location, String reason) {
            skipped.add(location + " (" + reason + ")");
        }

        public List<Example> get(Split split) {
            return examples.get(split);
        }
    }
}
