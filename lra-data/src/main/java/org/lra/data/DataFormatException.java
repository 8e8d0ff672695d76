package org.lra.data;

/**
 * Bad or missing input data. The message always starts with where the problem is: a file path, a
 * {@code file:line}, or an archive entry written {@code archive!entry}, so a user can go and look.
 * The command line maps this exception to exit code 2 (input error).
 */
public class DataFormatException extends RuntimeException {

    public DataFormatException(String location, String problem) {
        super(location + ": " + problem);
    }

    public DataFormatException(String location, String problem, Throwable cause) {
        super(location + ": " + problem, cause);
    }

    /** A problem on one line of a text file; lines count from 1. */
    public static DataFormatException atLine(String file, long line, String problem) {
        return new DataFormatException(file + ":" + line, problem);
    }
}
