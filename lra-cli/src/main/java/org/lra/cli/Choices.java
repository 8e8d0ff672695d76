package org.lra.cli;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.lra.data.Split;
import org.lra.data.Task;
import org.lra.data.read.Difficulty;
import org.lra.model.train.TrainingLoop;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The closed choices of the command line, each an enum: picocli completes them (completion candidates), and
 * parses and rejects them, in the lower-case spelling that configs and the README use.
 * Use as {@code @Option(converter = Choices.Splits.class, completionCandidates = Choices.Splits.class)}.
 */
public final class Choices {
    private Choices() {
    }

    /** Lower-case names of {@code E}'s constants: iterable for completion, a converter for parsing. */
    abstract static class Of<E extends Enum<E>> implements Iterable<String>, ITypeConverter<E> {
        private final Class<E> type;

        Of(Class<E> type) {
            this.type = type;
        }

        List<String> names() {
            return Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
        }

        @Override
        public Iterator<String> iterator() {
            return names().iterator();
        }

        @Override
        public E convert(String value) {
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(value)) {
                    return e;
                }
            }
            throw new TypeConversionException("expected one of " + String.join(", ", names()) + ", got '" + value + "'");
        }
    }

    public static final class Tasks extends Of<Task> {
        public Tasks() {
            super(Task.class);
        }
    }

    /** The tasks and "all" (lra data import's first argument). */
    public static final class TasksOrAll implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            List<String> names = new java.util.ArrayList<>(new Tasks().names());
            names.add("all");
            return names.iterator();
        }
    }

    public static final class Splits extends Of<Split> {
        public Splits() {
            super(Split.class);
        }
    }

    /** easy, intermediate, hard; the release's directory names (curv_contour_length_14) are accepted too. */
    public static final class Difficulties extends Of<Difficulty> {
        public Difficulties() {
            super(Difficulty.class);
        }

        @Override
        public Difficulty convert(String value) {
            try {
                return Difficulty.parse(value);
            } catch (IllegalArgumentException e) {
                return super.convert(value);
            }
        }
    }

    /** Which checkpoint of a run: the best-dev one (the reference's test checkpoint) or the last one. */
    public enum Checkpoint {
        BEST, LAST;

        public String fileName() {
            return this == BEST ? TrainingLoop.BEST : TrainingLoop.LAST;
        }
    }

    public static final class Checkpoints extends Of<Checkpoint> {
        public Checkpoints() {
            super(Checkpoint.class);
        }
    }
}
