package org.lra.data.read;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.lra.data.Task;

/**
 * Finds each task's files in an unpacked LRA release and next to it, tolerating the release's nested
 * layout. {@code lra_release.gz} unpacks to {@code lra_release/} holding {@code listops-1000/} and
 * {@code pathfinder128/} as well as {@code lra_release/lra_release/{listops-1000, tsv_data,
 * pathfinder32, pathfinder64, pathfinder128, pathfinder256}}. The user may point at the directory
 * above {@code lra_release}, at it, or at the inner one; the shallowest copy wins.
 *
 * <p>Also found, for {@code import all}: {@code aclImdb/} or {@code aclImdb_v1.tar.gz} (Text) and
 * {@code cifar-10-batches-bin/} or {@code cifar-10-binary.tar.gz} (Image), in the same places.
 */
public final class ReleaseLocator {

    private final List<Path> bases;

    private ReleaseLocator(List<Path> bases) {
        this.bases = bases;
    }

    /** The places looked in, shallowest first: root, root/lra_release, root/lra_release/lra_release. */
    public static ReleaseLocator at(Path root) {
        List<Path> bases = new ArrayList<>();
        bases.add(root);
        bases.add(root.resolve("lra_release"));
        bases.add(root.resolve("lra_release").resolve("lra_release"));
        return new ReleaseLocator(bases.stream().filter(Files::isDirectory).toList());
    }

    /** {@code listops-1000/} with its three TSVs, or the root itself if it is that directory. */
    public Optional<Path> listops() {
        return findDir("listops-1000", "basic_train.tsv");
    }

    /** {@code tsv_data/} holding {@code new_aan_pairs.train.tsv}. */
    public Optional<Path> retrieval() {
        return findDir("tsv_data", "new_aan_pairs.train.tsv");
    }

    /** {@code pathfinder<side>/<difficulty dir>/} holding {@code metadata/}. */
    public Optional<Path> pathfinder(int side, Difficulty difficulty) {
        String resolution = "pathfinder" + side;
        for (Path base : bases) {
            List<Path> candidates = new ArrayList<>();
            candidates.add(base.resolve(resolution).resolve(difficulty.directory()));
            if (hasName(base, resolution)) {
                candidates.add(base.resolve(difficulty.directory()));
            }
            if (hasName(base, difficulty.directory()) && hasName(base.toAbsolutePath().getParent(), resolution)) {
                candidates.add(base);
            }
            // Last resort: the user pointed straight at a set's own directory (e.g. a generator's --out).
            candidates.add(base);
            for (Path candidate : candidates) {
                if (Files.isDirectory(candidate.resolve("metadata"))) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean hasName(Path path, String name) {
        return path != null && path.getFileName() != null && path.getFileName().toString().equals(name);
    }

    /** The {@code aclImdb/} directory or {@code aclImdb_v1.tar.gz}. */
    public Optional<Path> imdb() {
        return findDir("aclImdb", "train").or(() -> findFile("aclImdb_v1.tar.gz"));
    }

    /** The {@code cifar-10-batches-bin/} directory or {@code cifar-10-binary.tar.gz}. */
    public Optional<Path> cifar() {
        return findDir("cifar-10-batches-bin", "test_batch.bin").or(() -> findFile("cifar-10-binary.tar.gz"));
    }

    /** Where to read {@code task} from, if present. Pathfinder needs its resolution and difficulty. */
    public Optional<Path> forTask(Task task, int pathfinderSide, Difficulty difficulty) {
        return switch (task) {
            case LISTOPS -> listops();
            case TEXT -> imdb();
            case RETRIEVAL -> retrieval();
            case IMAGE -> cifar();
            case PATHFINDER -> pathfinder(pathfinderSide, difficulty);
        };
    }

    private Optional<Path> findDir(String name, String marker) {
        for (Path base : bases) {
            if (hasName(base, name) && Files.exists(base.resolve(marker))) {
                return Optional.of(base);
            }
            Path candidate = base.resolve(name);
            if (Files.exists(candidate.resolve(marker))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private Optional<Path> findFile(String name) {
        return bases.stream().map(b -> b.resolve(name)).filter(Files::isRegularFile).findFirst();
    }
}
