package org.lra.data.fetch;

import org.lra.data.io.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.lra.data.DataFormatException;
import org.lra.data.read.ArchiveWalker;

/**
 * Unpacks a tar or tar.gz archive (e.g. {@code lra_release.gz}) by streaming it once, with the safety
 * rules of {@link ArchiveWalker}: nothing is written outside the destination, links are refused.
 * Files go to {@code <destination>.extracting} first, renamed to {@code destination} only when the
 * whole archive has been read, so an existing {@code destination} is always complete.
 */
public final class ArchiveExtractor {
    private ArchiveExtractor() {
    }

    /** Extracts {@code archive} into {@code destination} unless that already exists; returns {@code destination}. */
    public static Path extract(Path archive, Path destination) throws IOException {
        if (Files.isDirectory(destination)) {
            return destination;
        }
        Path staging = destination.resolveSibling(destination.getFileName() + ".extracting");
        Files.createDirectories(staging);
        Path root = staging.toAbsolutePath().normalize();
        ArchiveWalker.walk(archive, (name, size, in) -> {
            Path file = root.resolve(name).normalize();
            if (!file.startsWith(root) || file.equals(root)) {
                throw new DataFormatException(ArchiveWalker.location(archive, name), "refused: would be written outside " + destination);
            }
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                in.transferTo(out);
            }
        });
        AtomicFiles.moveIntoPlace(staging, destination);
        return destination;
    }
}
