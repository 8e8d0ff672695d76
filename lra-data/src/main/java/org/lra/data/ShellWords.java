package org.lra.data;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * POSIX shell quoting, for every command lra prints or writes for a person or a script to run (the fix commands
 * of errors and {@code data verify}, emitted Slurm and parallel scripts): a path with a space or a quote still
 * pastes as one word.
 */
public final class ShellWords {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./=:,+@%^-]+");

    private ShellWords() {
    }

    public static String quote(String word) {
        if (SAFE.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    public static String quote(Path path) {
        return quote(path.toString());
    }

    public static String join(List<String> words) {
        return words.stream().map(ShellWords::quote).collect(Collectors.joining(" "));
    }
}
