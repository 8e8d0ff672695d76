package org.lra.data.read;

import java.nio.file.Path;
import org.lra.data.Fixtures;

/**
 * Small release trees of the five tasks, in the layouts and formats the real downloads have, for the reader
 * tests here and the end-to-end tests of the command line (shared through this module's test jar).
 */
public final class ReleaseFixtures {
    private ReleaseFixtures() {
    }

    /**
     * {@code root/listops-1000/basic_{train,val,test}.tsv} with {@code train}, {@code val}, {@code test} lines;
     * line i is {@code [MAX a b ]} (or {@code [MIN ...]} for odd i) with its true value as the label.
     */
    public static Path listOps(Path root, int train, int val, int test) throws Exception {
        Path dir = root.resolve("listops-1000");
        String[] names = {"basic_train.tsv", "basic_val.tsv", "basic_test.tsv"};
        int[] counts = {train, val, test};
        for (int f = 0; f < 3; f++) {
            StringBuilder tsv = new StringBuilder("Source\tTarget\n");
            for (int i = 0; i < counts[f]; i++) {
                int a = (i * 7 + f) % 10;
                int b = (i * 3 + 5) % 10;
                boolean max = i % 2 == 0;
                tsv.append("( ( [").append(max ? "MAX " : "MIN ").append(a).append(" ) ").append(b).append(" ) ]\t")
                        .append(max ? Math.max(a, b) : Math.min(a, b)).append('\n');
            }
            Fixtures.write(dir.resolve(names[f]), tsv.toString());
        }
        return dir;
    }

    /** {@code root/aclImdb/{train,test}/{pos,neg}/<i>_<rating>.txt}: {@code perClass} reviews in each of the four. */
    public static Path aclImdb(Path root, int trainPerClass, int testPerClass) throws Exception {
        Path acl = root.resolve("aclImdb");
        for (String split : new String[] {"train", "test"}) {
            int n = split.equals("train") ? trainPerClass : testPerClass;
            for (int i = 0; i < n; i++) {
                Fixtures.write(acl.resolve(split + "/pos/" + i + "_9.txt"), "A fine film, review " + i + ". Great!");
                Fixtures.write(acl.resolve(split + "/neg/" + i + "_2.txt"), "Dull and long, review " + i + ". Bad.");
            }
        }
        Fixtures.write(acl.resolve("imdb.vocab"), "the\n");
        return acl;
    }

    /**
     * {@code root/tsv_data/new_aan_pairs.{train,eval,test}.tsv}: label (1.0 / 0.0), two paper ids and the two
     * texts, one pair a line.
     */
    public static Path aanTsv(Path root, int train, int eval, int test) throws Exception {
        Path dir = root.resolve("tsv_data");
        String[] names = {"new_aan_pairs.train.tsv", "new_aan_pairs.eval.tsv", "new_aan_pairs.test.tsv"};
        int[] counts = {train, eval, test};
        for (int f = 0; f < 3; f++) {
            StringBuilder tsv = new StringBuilder();
            for (int i = 0; i < counts[f]; i++) {
                int label = i % 2;
                tsv.append(label).append(".0\tP").append(i).append("\tQ").append(i).append("\tPaper ").append(i)
                        .append(" on attention.\t").append(label == 1 ? "Cites paper " : "Unrelated note ")
                        .append(i).append(".\n");
            }
            Fixtures.write(dir.resolve(names[f]), tsv.toString());
        }
        return dir;
    }

    /** {@code n} records; record i has label i%10, pixel 0 = (r,g,b) = (255,0,0), pixel 1 = (0,122,186), the rest (i,i,i). */
    public static byte[] cifarRecords(int n) {
        byte[] bytes = new byte[n * CifarReader.RECORD_BYTES];
        for (int i = 0; i < n; i++) {
            int base = i * CifarReader.RECORD_BYTES;
            bytes[base] = (byte) (i % 10);
            for (int p = 0; p < CifarReader.PIXELS; p++) {
                for (int c = 0; c < 3; c++) {
                    bytes[base + 1 + c * CifarReader.PIXELS + p] = (byte) i;
                }
            }
            bytes[base + 1] = (byte) 255;
            bytes[base + 1 + CifarReader.PIXELS] = 0;
            bytes[base + 1 + 2 * CifarReader.PIXELS] = 0;
            bytes[base + 2] = 0;
            bytes[base + 2 + CifarReader.PIXELS] = (byte) 122;
            bytes[base + 2 + 2 * CifarReader.PIXELS] = (byte) 186;
        }
        return bytes;
    }

    /** {@code root/cifar-10-batches-bin/}: five data batches of {@code perFile} records and a test batch of 3. */
    public static Path cifarBatches(Path root, int perFile) throws Exception {
        Path bin = root.resolve("cifar-10-batches-bin");
        for (int f = 1; f <= 5; f++) {
            Fixtures.write(bin.resolve("data_batch_" + f + ".bin"), cifarRecords(perFile));
        }
        Fixtures.write(bin.resolve("test_batch.bin"), cifarRecords(3));
        Fixtures.write(bin.resolve("batches.meta.txt"), "airplane\n");
        return bin;
    }

    /**
     * {@code root/pathfinder<side>/curv_contour_length_14/} (hard): image n has every pixel = n and label n % 2,
     * in two metadata batches of {@code perBatch}.
     */
    public static Path pathfinder(Path root, int side, int perBatch) throws Exception {
        Path d = root.resolve("pathfinder" + side).resolve(Difficulty.HARD.directory());
        for (int b = 0; b < 2; b++) {
            StringBuilder meta = new StringBuilder();
            for (int k = 0; k < perBatch; k++) {
                int n = b * perBatch + k;
                int[] pixels = new int[side * side];
                java.util.Arrays.fill(pixels, n);
                Fixtures.write(d.resolve("imgs/" + b + "/sample_" + k + ".png"), Fixtures.png(side, pixels));
                meta.append("imgs/").append(b).append(" sample_").append(k).append(".png ").append(k).append(' ').append(n % 2).append(" 1 14 2 5 2 3 1\n");
            }
            Fixtures.write(d.resolve("metadata/" + b + ".npy"), meta.toString());
        }
        return d;
    }
}
