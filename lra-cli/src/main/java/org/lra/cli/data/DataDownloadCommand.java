package org.lra.cli.data;

import org.lra.cli.GlobalOptions;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.lra.cli.InputException;
import org.lra.data.DataDir;
import org.lra.data.DataSettings;
import org.lra.data.Task;
import org.lra.data.fetch.ArchiveExtractor;
import org.lra.data.fetch.DownloadProgress;
import org.lra.data.fetch.Downloader;
import org.lra.data.ingest.ImportSummary;
import org.lra.data.ingest.Importer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lra data download SOURCE}: fetch an official archive (resumable, SHA-256 recorded and checked on
 * reuse), then import what it holds. SOURCE is an archive name or a task that lives in it.
 */
@Command(name = "download", mixinStandardHelpOptions = true,
        description = {"Download an official archive (resumable via HTTP Range; SHA-256 recorded), then import it.",
                "SOURCE: lra-release (listops, retrieval, pathfinder), imdb (text), cifar10 (image), or one of those task names."})
public class DataDownloadCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Which archive holds each task. */
    static final Map<String, String> ARCHIVE_OF_TASK = Map.of(
            "listops", "lra-release", "retrieval", "lra-release", "pathfinder", "lra-release",
            "text", "imdb", "image", "cifar10");

    @Parameters(index = "0", paramLabel = "SOURCE", completionCandidates = Sources.class,
            description = "An archive or a task (its archive): ${COMPLETION-CANDIDATES}.")
    String source;

    /** What can be downloaded: the archives, then the tasks (each names its archive). */
    static final class Sources extends java.util.ArrayList<String> {
        Sources() {
            super(List.of("lra-release", "imdb", "cifar10", "listops", "text", "retrieval", "image", "pathfinder"));
        }
    }

    @Option(names = "--url", paramLabel = "URL", description = "Download from this mirror instead of the official URL.")
    URI url;

    @Option(names = "--sha256", paramLabel = "HEX", description = "Expected SHA-256 of the archive.")
    String sha256;

    @Option(names = "--force", description = "Replace existing caches of the downloaded tasks (as data import --force).")
    boolean force;

    @Option(names = "--no-import", description = "Only download (and unpack lra-release).")
    boolean noImport;

    @Override
    public Integer call() throws Exception {
        String archive = Downloader.SOURCES.containsKey(source) ? source : ARCHIVE_OF_TASK.get(source);
        if (archive == null) {
            throw new InputException("unknown download '" + source + "'; expected one of "
                    + String.join(", ", new Sources()));
        }
        URI from = url != null ? url : Downloader.SOURCES.get(archive);
        Path dir = GlobalOptions.of(spec).dataDir();
        Path target = DataDir.downloads(dir).resolve(Path.of(from.getPath()).getFileName().toString());
        Downloader.Result r;
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName(archive).setStyle(ProgressBarStyle.ASCII)
                .setUnit(" MB", 1_000_000).setInitialMax(-1).build()) {
            DownloadProgress progress = (done, total) -> {
                if (total > 0) {
                    bar.maxHint(total);
                }
                bar.stepTo(done);
            };
            r = new Downloader().download(from, target, sha256, progress);
        }
        System.out.printf("%s: %s (%d bytes, sha256 %s%s)%n", archive, r.file(), r.bytes(), r.sha256(),
                r.reused() ? ", already here" : r.resumed() ? ", resumed" : "");
        if (noImport && !archive.equals("lra-release")) {
            return 0;
        }
        Importer importer = new Importer(dir, new ImportBar());
        DataSettings settings = DataSettings.defaults();
        switch (archive) {
            case "imdb" -> System.out.println(importer.importTask(Task.TEXT, r.file(), settings, force));
            case "cifar10" -> System.out.println(importer.importTask(Task.IMAGE, r.file(), settings, force));
            default -> {
                // lra_release holds ~600k Pathfinder PNGs; it is unpacked once, then imported from the directory.
                Path unpacked = ArchiveExtractor.extract(r.file(), DataDir.downloads(dir).resolve("lra_release"));
                System.out.println("unpacked to " + unpacked);
                if (!noImport) {
                    List<String> missing = new java.util.ArrayList<>();
                    for (ImportSummary s : importer.importAll(unpacked, settings, new int[] {32, 128}, force, missing)) {
                        System.out.println(s);
                    }
                }
            }
        }
        return 0;
    }
}
