package org.lra.data.read;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lra.data.DataFormatException;
import org.lra.data.Example;
import org.lra.data.Split;

/**
 * Reads the IMDb reviews (Text task) in the Large Movie Review Dataset layout
 * {@code aclImdb/{train,test}/{pos,neg}/<id>_<rating>.txt}, from the unpacked directory or straight
 * from {@code aclImdb_v1.tar.gz}. Label pos = 1, neg = 0; {@code train/unsup} and the other files are
 * ignored.
 *
 * <p>Each review's UTF-8 bytes become ids {@code byte + 1} ({@link ByteTokenizer}), truncated to
 * {@code maxLength} (1000 in the reference harness, 4000 in the LRA paper). Examples are emitted in
 * sorted path order, so the cache does not depend on archive or file-system order.
 *
 * <p>Validation: like LRA, the test split also serves as validation ({@code valFromTest}). Otherwise
 * a tenth of train, chosen by a {@link SeededSplit} permutation with {@code seed}, becomes validation.
 */
public final class ImdbReader implements TaskReader {
    private static final Pattern FILE = Pattern.compile("(?:.*/)?(train|test)/(pos|neg)/[^/]+\\.txt");

    private final int maxLength;
    private final boolean valFromTest;
    private final long seed;

    public ImdbReader(int maxLength, boolean valFromTest, long seed) {
        this.maxLength = maxLength;
        this.valFromTest = valFromTest;
        this.seed = seed;
    }

    private record Review(String path, int[] ids, int label) {
    }

    @Override
    public SourceInfo read(Path source, ExampleSink sink) throws IOException {
        SourceFiles files = SourceFiles.open(source);
        Map<Split, List<Review>> reviews = new EnumMap<>(Split.class);
        reviews.put(Split.TRAIN, new ArrayList<>());
        reviews.put(Split.TEST, new ArrayList<>());
        SourceInfo info = files.scan(name -> FILE.matcher(name).matches(), (name, in) -> {
            Matcher m = FILE.matcher(name);
            m.matches();
            Split split = m.group(1).equals("train") ? Split.TRAIN : Split.TEST;
            int label = m.group(2).equals("pos") ? 1 : 0;
            // Only the first maxLength bytes are kept; SourceFiles still hashes the rest.
            reviews.get(split).add(new Review(name, ByteTokenizer.encode(in.readNBytes(maxLength), maxLength), label));
        });
        for (Split split : reviews.keySet()) {
            if (reviews.get(split).isEmpty()) {
                throw new DataFormatException(source.toString(), "no " + split.fileName() + " reviews found (expected aclImdb/" + split.fileName() + "/{pos,neg}/*.txt)");
            }
            reviews.get(split).sort(Comparator.comparing(Review::path));
        }
        List<Review> train = reviews.get(Split.TRAIN);
        boolean[] heldOut = valFromTest ? new boolean[train.size()] : SeededSplit.holdOutTenth(train.size(), seed);
        for (int i = 0; i < train.size(); i++) {
            Review r = train.get(i);
            sink.accept(heldOut[i] ? Split.VAL : Split.TRAIN, Example.single(r.ids, r.label));
        }
        for (Review r : reviews.get(Split.TEST)) {
            Example example = Example.single(r.ids, r.label);
            sink.accept(Split.TEST, example);
            if (valFromTest) {
                sink.accept(Split.VAL, example);
            }
        }
        return info;
    }
}
