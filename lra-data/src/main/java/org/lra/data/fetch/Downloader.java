package org.lra.data.fetch;

import org.lra.data.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.lra.data.DataFormatException;
import org.lra.data.read.Sha256;

/**
 * Downloads one file over HTTP(S), resumably: bytes go to {@code <target>.part}; if the transfer
 * breaks, the next attempt (in this call, or a later run) asks for the rest with an HTTP
 * {@code Range} request and appends. A server that ignores the range gets a fresh start.
 *
 * <p>The SHA-256 is computed while downloading and written next to the file as
 * {@code <target>.sha256} ({@code sha256sum} format). When the target already exists it is
 * re-hashed and compared with that record, so a damaged download is found instead of silently reused.
 * No official checksums are published for the LRA sources; pass {@code expectedSha256} if you have one.
 */
public final class Downloader {
    /** Official locations of the sources that are not generated. */
    public static final Map<String, URI> SOURCES = sources();

    private final HttpClient client;
    private final int maxAttempts;

    /** What a download produced. {@code reused}: the file was already there and intact. */
    public record Result(Path file, String sha256, long bytes, boolean reused, boolean resumed) {
    }

    public Downloader() {
        this(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(30)).build(), 5);
    }

    public Downloader(HttpClient client, int maxAttempts) {
        this.client = client;
        this.maxAttempts = maxAttempts;
    }

    private static Map<String, URI> sources() {
        Map<String, URI> m = new LinkedHashMap<>();
        m.put("lra-release", URI.create("https://storage.googleapis.com/long-range-arena/lra_release.gz"));
        m.put("imdb", URI.create("https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz"));
        m.put("cifar10", URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"));
        return Map.copyOf(m);
    }

    public static Path checksumFile(Path target) {
        return target.resolveSibling(target.getFileName() + ".sha256");
    }

    public Result download(URI url, Path target, String expectedSha256, DownloadProgress progress) throws IOException {
        if (Files.isRegularFile(target)) {
            return reuse(target, expectedSha256);
        }
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path part = target.resolveSibling(target.getFileName() + ".part");
        boolean resumed = false;
        String sha256 = null;
        for (int attempt = 1; sha256 == null; attempt++) {
            resumed |= Files.exists(part) && Files.size(part) > 0;
            try {
                sha256 = transfer(url, part, progress);
            } catch (IOException e) {
                if (attempt >= maxAttempts) {
                    throw new IOException("download of " + url + " failed after " + attempt + " attempt(s), " + sizeOf(part)
                            + " bytes kept in " + part + " (run again to resume): " + reason(e, url), e);
                }
            }
        }
        if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(sha256)) {
            Files.delete(part);
            throw new DataFormatException(url.toString(), "SHA-256 mismatch: expected " + expectedSha256 + ", downloaded " + sha256 + " (download discarded)");
        }
        AtomicFiles.moveIntoPlace(part, target);
        AtomicFiles.write(checksumFile(target), sha256 + "  " + target.getFileName() + "\n");
        return new Result(target, sha256, Files.size(target), false, resumed);
    }

    /** One HTTP request continuing {@code part}; returns the SHA-256 of the complete file. */
    private String transfer(URI url, Path part, DownloadProgress progress) throws IOException {
        long have = sizeOf(part);
        HttpRequest.Builder request = HttpRequest.newBuilder(url).GET();
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-");
        }
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        int status = response.statusCode();
        try (InputStream body = response.body()) {
            if (status == 416 && have > 0) {
                Files.delete(part); // our partial file does not fit the server's; start over
                throw new IOException("server refused to resume (HTTP 416)");
            }
            if (status != 200 && status != 206) {
                throw new IOException("HTTP " + status + " from " + url);
            }
            if (status == 200 || !contentRangeStartsAt(response, have)) {
                have = 0; // the server sent the whole file
            }
            long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            long total = length < 0 ? -1 : have + length;
            MessageDigest digest = Sha256.newDigest();
            hashPrefix(part, have, digest);
            StandardOpenOption mode = have > 0 ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
            try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
                byte[] buffer = new byte[1 << 16];
                long done = have;
                for (int n; (n = body.read(buffer)) != -1; ) {
                    out.write(buffer, 0, n);
                    digest.update(buffer, 0, n);
                    done += n;
                    progress.update(done, total);
                }
                out.flush();
                if (total >= 0 && done != total) {
                    throw new IOException("connection closed after " + done + " of " + total + " bytes");
                }
            }
            return Sha256.hex(digest);
        }
    }

    private static boolean contentRangeStartsAt(HttpResponse<?> response, long have) {
        Optional<String> range = response.headers().firstValue("Content-Range");
        return range.isPresent() && range.get().trim().startsWith("bytes " + have + "-");
    }

    /** The digest must cover the bytes downloaded by earlier attempts too. */
    private static void hashPrefix(Path part, long have, MessageDigest digest) throws IOException {
        if (have == 0) {
            return;
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(part)) {
            long left = have;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new IOException(part + " shrank while resuming");
                }
                digest.update(buffer, 0, n);
                left -= n;
            }
        }
    }

    private static Result reuse(Path target, String expectedSha256) throws IOException {
        String actual = Sha256.of(target);
        Path record = checksumFile(target);
        if (Files.isRegularFile(record)) {
            String recorded = Files.readString(record, StandardCharsets.UTF_8).trim().split("\\s+")[0];
            if (!recorded.equalsIgnoreCase(actual)) {
                throw new DataFormatException(target.toString(), "SHA-256 is " + actual + " but " + record.getFileName() + " recorded " + recorded
                        + " when it was downloaded: the file is damaged; delete it and download again");
            }
        }
        if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(actual)) {
            throw new DataFormatException(target.toString(), "SHA-256 mismatch: expected " + expectedSha256 + ", file has " + actual);
        }
        if (!Files.isRegularFile(record)) {
            AtomicFiles.write(record, actual + "  " + target.getFileName() + "\n");
        }
        return new Result(target, actual, Files.size(target), true, false);
    }

    /** What went wrong, in words: a refused or unresolvable connection comes without a message. */
    private static String reason(IOException e, URI url) {
        if (e.getMessage() != null && !e.getMessage().isBlank()) {
            return e.getMessage();
        }
        if (e instanceof ConnectException) {
            return "cannot connect to " + url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "")
                    + " (no network, host unknown, or nothing listening)";
        }
        return "the transfer failed (run with -v for details)";
    }

    private static long sizeOf(Path file) throws IOException {
        return Files.exists(file) ? Files.size(file) : 0;
    }
}
