package org.lra.data.read;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lra.data.Split;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.lra.data.DataFormatException;

/**
 * The input files of a task, from an unpacked directory or straight from a tar(.gz) archive, so each
 * reader is written once for both. Files are named by their path relative to the directory or
 * archive root with {@code /} separators (e.g. {@code aclImdb/train/pos/0_9.txt}); readers select
 * them by name. A directory is walked in sorted path order; an archive in its stored order.
 */
public final class SourceFiles {

    /** Receives one selected file; {@code in} is valid only during the call and need not be read to the end. */
    public interface FileHandler {
        void accept(String relativePath, InputStream in) throws IOException;
    }

    /** Receives the one file of a split; {@code location} names it in messages. */
    public interface SplitFileHandler {
        void accept(Split split, String location, InputStream in) throws IOException;
    }

    private final Path root;
    private final boolean archive;

    private SourceFiles(Path root, boolean archive) {
        this.root = root;
        this.archive = archive;
    }

    /** A directory or an archive file; anything else is a {@link DataFormatException}. */
    public static SourceFiles open(Path path) {
        if (Files.isDirectory(path)) {
            return new SourceFiles(path, false);
        }
        if (Files.isRegularFile(path)) {
            return new SourceFiles(path, true);
        }
        throw new DataFormatException(path.toString(), "no such file or directory");
    }

    public Path root() {
        return root;
    }

    /** How to name a file in messages: a path on disk, or {@code archive!entry}. */
    public String location(String relativePath) {
        return archive ? ArchiveWalker.location(root, relativePath) : root.resolve(relativePath).toString();
    }

    /**
     * The one-file-per-split layout of ListOps and Retrieval: files whose path matches {@code pattern}, group 1
     * naming the split in {@code splits}. A second file for a split is skipped (reported to {@code sink}; the first
     * in path order wins); a split without a file is an error naming it ({@code fileName} formats the split's
     * name, e.g. {@code basic_%s.tsv}) and the {@code expected} layout.
     */
    public SourceInfo scanSplits(Pattern pattern, Map<String, Split> splits, String fileName, String expected, ExampleSink sink,
                                 SplitFileHandler handler) throws IOException {
        Set<Split> seen = EnumSet.noneOf(Split.class);
        SourceInfo info = scan(name -> pattern.matcher(name).matches(), (name, in) -> {
            Matcher m = pattern.matcher(name);
            m.matches();
            Split split = splits.get(m.group(1));
            String file = name.substring(name.lastIndexOf('/') + 1);
            if (!seen.add(split)) {
                sink.skipped(location(name), "duplicate " + file + "; the first one in path order was read");
                return;
            }
            handler.accept(split, location(name), in);
        });
        for (Map.Entry<String, Split> e : new TreeMap<>(splits).entrySet()) {
            if (!seen.contains(e.getValue())) {
                throw new DataFormatException(root.toString(), "missing " + String.format(fileName, e.getKey()) + " (expected " + expected + ")");
            }
        }
        return info;
    }

    /** Hands every file whose relative path passes {@code select} to {@code handler}; see {@link SourceInfo} for the digest. */
    public SourceInfo scan(Predicate<String> select, FileHandler handler) throws IOException {
        if (archive) {
            return ArchiveWalker.walk(root, (name, size, in) -> {
                if (select.test(name)) {
                    handler.accept(name, in);
                }
            });
        }
        MessageDigest digest = Sha256.newDigest();
        long bytes = 0;
        for (String name : sortedFiles(root)) {
            if (!select.test(name)) {
                continue;
            }
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            try (InputStream file = Files.newInputStream(root.resolve(name));
                 DigestInputStream in = new DigestInputStream(file, digest)) {
                handler.accept(name, in);
                in.transferTo(OutputStream.nullOutputStream()); // the digest covers the whole file, not just what was read
            }
            bytes += Files.size(root.resolve(name));
        }
        return new SourceInfo("directory", root, Sha256.hex(digest), bytes);
    }

    /** Relative paths of all regular files under {@code dir}, sorted, so the walk order never depends on the file system. */
    static List<String> sortedFiles(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).forEach(p -> names.add(dir.relativize(p).toString().replace('\\', '/')));
        }
        names.sort(null);
        return names;
    }
}
