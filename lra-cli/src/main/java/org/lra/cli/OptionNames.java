package org.lra.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Library code checks its settings and names them as Java does ({@code minLength}); the user typed options
 * ({@code --min-length}). This turns such a refusal into the CLI's input error, each setting named by the option
 * of the command that sets it: picocli's naming, where {@code --min-length} sets {@code minLength}.
 */
public final class OptionNames {

    private OptionNames() {
    }

    /** {@code e}'s message with every setting of {@code spec}'s options (those taking a value) named as typed. */
    public static InputException inputError(CommandSpec spec, IllegalArgumentException e) {
        String message = e.getMessage();
        for (OptionSpec option : spec.options()) {
            if (option.arity().max() > 0 && option.longestName().startsWith("--")) {
                String setting = camelCase(option.longestName().substring(2));
                message = message.replaceAll("\\b" + Pattern.quote(setting) + "\\b",
                        Matcher.quoteReplacement(option.longestName()));
            }
        }
        return new InputException(message, e);
    }

    /** min-length -> minLength */
    private static String camelCase(String kebab) {
        StringBuilder s = new StringBuilder();
        for (String word : kebab.split("-")) {
            s.append(s.isEmpty() || word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1));
        }
        return s.toString();
    }
}
