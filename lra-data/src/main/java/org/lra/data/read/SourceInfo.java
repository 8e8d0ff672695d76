package org.lra.data.read;

import java.nio.file.Path;

/**
 * What a reader read: the source path, whether it was an archive or a directory, and the SHA-256 of
 * the input. For an archive that is the SHA-256 of the archive file itself (compare it with
 * {@code sha256sum}). For a directory it is the SHA-256 over, for each file read in sorted path order,
 * its relative path, a 0 byte, and its full content: any changed, added or removed input file changes it.
 */
public record SourceInfo(String kind, Path path, String sha256, long bytesRead) {
}
