package org.lra.cli.sweep;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** POSIX shell quoting for emitted scripts. */
final class Shell {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./=:,+@%^-]+");

    private Shell() {
    }

    static String quote(String word) {
        if (SAFE.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    static String join(List<String> words) {
        return words.stream().map(Shell::quote).collect(Collectors.joining(" "));
    }
}
