package org.lra.data.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.data.DataFormatException;
import org.lra.data.Fixtures;
import org.lra.data.read.Sha256;

/** Downloads from a JDK HTTP server on 127.0.0.1 that honours Range and can drop the first transfer. */
class DownloaderTest {
    @TempDir
    Path tmp;

    private HttpServer server;
    private byte[] content;
    private final AtomicInteger dropFirstAfter = new AtomicInteger(-1);
    private final List<String> ranges = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        Path tree = tmp.resolve("tree");
        byte[] noise = new byte[300_000];
        new java.util.Random(3).nextBytes(noise);
        Fixtures.write(tree.resolve("lra_release/listops-1000/basic_train.tsv"), "Source\tTarget\n[MAX 1 ]\t1\n");
        Fixtures.write(tree.resolve("lra_release/noise.bin"), noise);
        content = Files.readAllBytes(Fixtures.tarGz(tree, tmp.resolve("served.tar.gz")));

        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/lra_release.gz", exchange -> {
            String range = exchange.getRequestHeaders().getFirst("Range");
            ranges.add(String.valueOf(range));
            int from = range == null ? 0 : Integer.parseInt(range.replace("bytes=", "").replace("-", ""));
            if (from > 0) {
                exchange.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
            }
            exchange.sendResponseHeaders(from > 0 ? 206 : 200, content.length - from);
            OutputStream out = exchange.getResponseBody();
            int drop = dropFirstAfter.getAndSet(-1);
            try {
                if (drop >= 0) {
                    out.write(content, from, drop);
                    out.flush();
                    exchange.close();
                    return;
                }
                out.write(content, from, content.length - from);
            } catch (IOException ignored) {
                // the client went away
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/lra_release.gz");
    }

    @Test
    void downloadsAndRecordsTheChecksum() throws IOException {
        Path target = tmp.resolve("dl/lra_release.gz");
        long[] last = new long[2];
        Downloader.Result result = new Downloader().download(url(), target, null, (done, total) -> {
            last[0] = done;
            last[1] = total;
        });
        assertArrayEquals(content, Files.readAllBytes(target));
        assertEquals(Sha256.of(target), result.sha256());
        assertTrue(Files.readString(Downloader.checksumFile(target)).startsWith(result.sha256()));
        assertEquals(content.length, last[0]);
        assertEquals(content.length, last[1]);

        Downloader.Result again = new Downloader().download(url(), target, result.sha256(), DownloadProgress.NONE);
        assertTrue(again.reused());
        assertEquals(1, ranges.size(), "an intact file is not fetched again");
    }

    @Test
    void resumesABrokenTransferWithARangeRequest() throws IOException {
        Path target = tmp.resolve("dl/lra_release.gz");
        dropFirstAfter.set(100_000);
        Downloader oneAttempt = new Downloader(HttpClient.newHttpClient(), 1);
        IOException broken = assertThrows(IOException.class, () -> oneAttempt.download(url(), target, null, DownloadProgress.NONE));
        assertTrue(broken.getMessage().contains("run again to resume"), broken.getMessage());
        Path part = tmp.resolve("dl/lra_release.gz.part");
        long kept = Files.size(part);
        assertTrue(kept > 0 && kept <= 100_000, "kept " + kept);
        assertFalse(Files.exists(target));

        Downloader.Result result = oneAttempt.download(url(), target, Sha256.of(tmp.resolve("served.tar.gz")), DownloadProgress.NONE);
        assertTrue(result.resumed());
        assertEquals("bytes=" + kept + "-", ranges.get(1));
        assertArrayEquals(content, Files.readAllBytes(target));
        assertFalse(Files.exists(part));

        // The downloaded archive extracts safely.
        Path extracted = ArchiveExtractor.extract(target, tmp.resolve("unpacked"));
        assertEquals("Source\tTarget\n[MAX 1 ]\t1\n", Files.readString(extracted.resolve("lra_release/listops-1000/basic_train.tsv")));
    }

    @Test
    void aRefusedConnectionIsSaidInWords() throws IOException {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        URI nobody = URI.create("http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + port + "/x.gz");
        IOException e = assertThrows(IOException.class, () -> new Downloader(HttpClient.newHttpClient(), 1)
                .download(nobody, tmp.resolve("x.gz"), null, DownloadProgress.NONE));
        assertTrue(e.getMessage().endsWith(": cannot connect to " + nobody.getHost() + ":" + port
                + " (no network, host unknown, or nothing listening)"), e.getMessage());
    }

    @Test
    void retriesWithinOneCall() throws IOException {
        dropFirstAfter.set(50_000);
        Downloader.Result result = new Downloader(HttpClient.newHttpClient(), 3).download(url(), tmp.resolve("x.gz"), null, DownloadProgress.NONE);
        assertTrue(result.resumed());
        assertArrayEquals(content, Files.readAllBytes(tmp.resolve("x.gz")));
    }

    @Test
    void checksumMismatchIsRefused() throws IOException {
        Path target = tmp.resolve("dl/lra_release.gz");
        String wrong = "0".repeat(64);
        var e = assertThrows(DataFormatException.class, () -> new Downloader().download(url(), target, wrong, DownloadProgress.NONE));
        assertTrue(e.getMessage().contains("SHA-256 mismatch") && e.getMessage().contains(wrong), e.getMessage());
        assertFalse(Files.exists(target));

        // A file damaged after download no longer matches its recorded checksum.
        new Downloader().download(url(), target, null, DownloadProgress.NONE);
        byte[] damaged = Files.readAllBytes(target);
        damaged[10] ^= 1;
        Files.write(target, damaged);
        e = assertThrows(DataFormatException.class, () -> new Downloader().download(url(), target, null, DownloadProgress.NONE));
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
    }

    @Test
    void knowsTheOfficialSources() {
        assertEquals(Map.of(
                "lra-release", URI.create("https://storage.googleapis.com/long-range-arena/lra_release.gz"),
                "imdb", URI.create("https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz"),
                "cifar10", URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz")), Downloader.SOURCES);
    }
}
