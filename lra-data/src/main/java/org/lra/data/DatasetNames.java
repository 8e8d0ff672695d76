package org.lra.data;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rule for every name a user gives that becomes a directory under the data dir or a run directory
 * (dataset names, grid task and model names): one path segment of {@code [A-Za-z0-9._-]}, not starting
 * with a dot. So a name can never reach outside its parent ({@code ..}, {@code /}, an absolute path), never
 * hide as a dot file, and never collide with the data dir's own folders ({@link #RESERVED}).
 */
public final class DatasetNames {

    /** The data dir's own folders: release files the generators write, and downloaded archives. */
    public static final Set<String> RESERVED = Set.of(DataDir.GENERATED, DataDir.DOWNLOADS);

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");

    private DatasetNames() {
    }

    /** Why {@code name} cannot be a path segment lra creates, or empty when it can (reserved names aside). */
    public static Optional<String> segmentProblem(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("is empty");
        }
        if (name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")) {
            return Optional.of("'" + name + "' is not one path segment (no '/', '.' or '..'): it must stay inside its folder");
        }
        if (name.startsWith(".")) {
            return Optional.of("'" + name + "' starts with a dot; use letters, digits, '.', '_' or '-', not first '.'");
        }
        if (!SEGMENT.matcher(name).matches()) {
            return Optional.of("'" + name + "' has characters other than letters, digits, '.', '_' or '-'");
        }
        return Optional.empty();
    }

    /** Why {@code name} cannot name a dataset under the data dir, or empty when it can. */
    public static Optional<String> datasetProblem(String name) {
        Optional<String> segment = segmentProblem(name);
        if (segment.isPresent()) {
            return segment;
        }
        if (RESERVED.contains(name)) {
            return Optional.of("'" + name + "' is reserved for the data dir's own folder " + name + "/");
        }
        return Optional.empty();
    }
}
