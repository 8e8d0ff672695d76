package org.lra.data.read;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.lra.data.DataFormatException;
import org.lra.data.Example;
import org.lra.data.Split;

/**
 * Reads CIFAR-10 in its binary version for the Image task: {@code cifar-10-batches-bin/data_batch_1.bin}
 * ... {@code data_batch_5.bin} and {@code test_batch.bin}, from the directory or straight from
 * {@code cifar-10-binary.tar.gz}.
 *
 * <p>Format: a file is a sequence of 3073-byte records (10,000 per file in the release): one label byte
 * 0-9, then 1024 red, 1024 green and 1024 blue bytes, each plane 32x32 row-major.
 *
 * <p>Each image becomes 1024 gray levels 0..255 ({@link RgbToGray}), row-major, stored as the raw
 * value (vocabulary 256; 0 is a black pixel, not padding). Splits follow LRA's TFDS slices
 * {@code train[:90%]} / {@code train[90%:]} / {@code test}, taken over the training records in file
 * order (data_batch_1 first): the first 90% (45,000) are train, the rest val. TFDS's own record order
 * differs from file order, so the exact 45,000 are not TFDS's; the rule is stated in the cache key.
 */
public final class CifarReader implements TaskReader {
    public static final int SIDE = 32;
    public static final int PIXELS = SIDE * SIDE;
    public static final int RECORD_BYTES = 1 + 3 * PIXELS;
    public static final String SPLIT_RULE = "train[:90%]/train[90%:] in file order data_batch_1..5; test_batch";
    private static final Pattern FILE = Pattern.compile("(?:.*/)?(data_batch_[1-5]|test_batch)\\.bin");
    private static final List<String> TRAIN_FILES = List.of("data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5");

    /** One file's images, already gray: {@code labels[i]} and {@code pixels[i*1024, (i+1)*1024)}. */
    private record GrayFile(byte[] labels, byte[] pixels) {
        int count() {
            return labels.length;
        }

        Example example(int i) {
            int[] ids = new int[PIXELS];
            for (int p = 0; p < PIXELS; p++) {
                ids[p] = pixels[i * PIXELS + p] & 0xFF;
            }
            return Example.single(ids, labels[i]);
        }
    }

    @Override
    public SourceInfo read(Path source, ExampleSink sink) throws IOException {
        SourceFiles files = SourceFiles.open(source);
        Map<String, GrayFile> byName = new TreeMap<>();
        SourceInfo info = files.scan(name -> FILE.matcher(name).matches(), (name, in) -> {
            String stem = name.substring(name.lastIndexOf('/') + 1).replace(".bin", "");
            if (byName.containsKey(stem)) {
                sink.skipped(files.location(name), "duplicate " + stem + ".bin; the first one in path order was read");
                return;
            }
            byName.put(stem, toGray(in.readAllBytes(), files.location(name)));
        });
        List<String> missing = new ArrayList<>();
        for (String stem : concat(TRAIN_FILES, "test_batch")) {
            if (!byName.containsKey(stem)) {
                missing.add(stem + ".bin");
            }
        }
        if (!missing.isEmpty()) {
            throw new DataFormatException(source.toString(), "missing " + String.join(", ", missing) + " (expected cifar-10-batches-bin/data_batch_{1..5}.bin and test_batch.bin)");
        }
        int trainTotal = TRAIN_FILES.stream().mapToInt(f -> byName.get(f).count()).sum();
        int trainCount = (int) (trainTotal * 9L / 10);
        int seen = 0;
        for (String stem : TRAIN_FILES) {
            GrayFile file = byName.get(stem);
            for (int i = 0; i < file.count(); i++, seen++) {
                sink.accept(seen < trainCount ? Split.TRAIN : Split.VAL, file.example(i));
            }
        }
        GrayFile test = byName.get("test_batch");
        for (int i = 0; i < test.count(); i++) {
            sink.accept(Split.TEST, test.example(i));
        }
        return info;
    }

    private static GrayFile toGray(byte[] bytes, String location) {
        if (bytes.length == 0 || bytes.length % RECORD_BYTES != 0) {
            throw new DataFormatException(location, bytes.length + " bytes is not a whole number of " + RECORD_BYTES
                    + "-byte records (label + 3x32x32 pixels); the file is truncated or not CIFAR-10 binary");
        }
        int n = bytes.length / RECORD_BYTES;
        byte[] labels = new byte[n];
        byte[] pixels = new byte[n * PIXELS];
        for (int i = 0; i < n; i++) {
            int base = i * RECORD_BYTES;
            int label = bytes[base] & 0xFF;
            if (label > 9) {
                throw new DataFormatException(location, "record " + i + " (byte offset " + base + ") has label " + label + ", expected 0-9");
            }
            labels[i] = (byte) label;
            for (int p = 0; p < PIXELS; p++) {
                int r = bytes[base + 1 + p] & 0xFF;
                int g = bytes[base + 1 + PIXELS + p] & 0xFF;
                int b = bytes[base + 1 + 2 * PIXELS + p] & 0xFF;
                pixels[i * PIXELS + p] = (byte) RgbToGray.gray(r, g, b);
            }
        }
        return new GrayFile(labels, pixels);
    }

    private static List<String> concat(List<String> list, String last) {
        List<String> all = new ArrayList<>(list);
        all.add(last);
        return all;
    }
}
