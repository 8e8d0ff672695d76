package org.lra.data.read;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.lra.data.DataFormatException;

/**
 * Streams the regular files of a tar archive, gzipped ({@code .tar.gz}, {@code .tgz}, and LRA's
 * {@code lra_release.gz}, recognised by the gzip magic bytes, not the name) or plain, without
 * extracting anything.
 *
 * <p>Safety: every entry name is checked before it is handed out. Absolute names, names with a
 * {@code ..} segment, symbolic links, hard links and device or fifo entries are refused with a
 * {@link DataFormatException} naming the entry, so no caller can be tricked into writing outside
 * its destination. A truncated or corrupt archive is also a {@link DataFormatException} naming the
 * archive and the entry being read, never a silent short read.
 */
public final class ArchiveWalker {

    /** Receives one regular file; {@code in} is valid only during the call. */
    public interface EntryVisitor {
        void visit(String name, long size, InputStream in) throws IOException;
    }

    private ArchiveWalker() {
    }

    /** Walks every regular file in order and returns the archive's SHA-256 (over all its bytes). */
    public static SourceInfo walk(Path archive, EntryVisitor visitor) throws IOException {
        if (!Files.isRegularFile(archive)) {
            throw new DataFormatException(archive.toString(), "archive file not found");
        }
        var digest = Sha256.newDigest();
        try (InputStream file = Files.newInputStream(archive);
             DigestInputStream hashed = new DigestInputStream(file, digest)) {
            BufferedInputStream buffered = new BufferedInputStream(hashed, 1 << 16);
            InputStream decompressed = isGzip(buffered) ? gunzip(archive, buffered) : buffered;
            TarArchiveInputStream tar = new TarArchiveInputStream(decompressed);
            String current = null;
            while (true) {
                TarArchiveEntry entry;
                try {
                    entry = tar.getNextEntry();
                } catch (IOException e) {
                    throw corrupt(archive, current, e);
                }
                if (entry == null) {
                    break;
                }
                current = entry.getName();
                if (entry.isDirectory()) {
                    safeName(archive, entry);
                    continue;
                }
                String name = safeName(archive, entry);
                if (!entry.isFile()) {
                    throw new DataFormatException(location(archive, entry.getName()), "refused: not a regular file or directory (tar type '" + (char) entry.getLinkFlag() + "')");
                }
                visitor.visit(name, entry.getSize(), new CorruptionReporting(tar, archive, name));
            }
            // Hash whatever follows the last entry (tar padding, gzip trailer) so the digest covers the whole file.
            hashed.transferTo(OutputStream.nullOutputStream());
            return new SourceInfo("archive", archive, Sha256.hex(digest), Files.size(archive));
        }
    }

    /**
     * The entry's name with {@code ./} prefixes removed and {@code /} separators, or a
     * {@link DataFormatException} if it could land outside the destination.
     */
    static String safeName(Path archive, TarArchiveEntry entry) {
        String raw = entry.getName();
        if (entry.isSymbolicLink() || entry.isLink()) {
            throw new DataFormatException(location(archive, raw), "refused: archive entry is a " + (entry.isSymbolicLink() ? "symbolic" : "hard") + " link to '" + entry.getLinkName() + "'");
        }
        String name = raw.replace('\\', '/');
        if (name.startsWith("/") || name.matches("^[A-Za-z]:.*")) {
            throw new DataFormatException(location(archive, raw), "refused: absolute path in archive entry");
        }
        StringBuilder clean = new StringBuilder();
        for (String segment : name.split("/")) {
            if (segment.equals("..")) {
                throw new DataFormatException(location(archive, raw), "refused: archive entry path contains '..' and would land outside the destination");
            }
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (clean.length() > 0) {
                clean.append('/');
            }
            clean.append(segment);
        }
        if (clean.length() == 0 && !entry.isDirectory()) {
            throw new DataFormatException(location(archive, raw), "refused: empty archive entry name");
        }
        return clean.toString();
    }

    public static String location(Path archive, String entry) {
        return archive + "!" + entry;
    }

    private static boolean isGzip(BufferedInputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b;
    }

    private static InputStream gunzip(Path archive, InputStream in) throws IOException {
        try {
            return new GzipCompressorInputStream(in, true);
        } catch (IOException e) {
            throw corrupt(archive, null, e);
        }
    }

    private static DataFormatException corrupt(Path archive, String entry, IOException e) {
        String where = entry == null ? archive.toString() : location(archive, entry);
        return new DataFormatException(where, "truncated or corrupt archive (" + e.getMessage() + ")", e);
    }

    /** Turns read failures of an entry into a {@link DataFormatException} naming archive and entry. */
    private static final class CorruptionReporting extends FilterInputStream {
        private final Path archive;
        private final String entry;

        CorruptionReporting(InputStream in, Path archive, String entry) {
            super(in);
            this.archive = archive;
            this.entry = entry;
        }

        @Override
        public int read() {
            try {
                return super.read();
            } catch (IOException e) {
                throw corrupt(archive, entry, e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw corrupt(archive, entry, e);
            }
        }

        @Override
        public void close() {
            // The tar stream owns the underlying stream; the next entry continues from it.
        }
    }
}
