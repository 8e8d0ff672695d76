package org.lra.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** {@code -v}: DEBUG logging and full stack traces on errors; {@code -vv}: TRACE. */
public class VerbosityOption {

    private int level;

    @Option(names = {"-v", "--verbose"},
            description = "More output: DEBUG logs and stack traces on errors; repeat (-vv) for TRACE.")
    void setVerbose(boolean[] flags) {
        level = flags.length;
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(level >= 2 ? Level.TRACE : Level.DEBUG);
    }

    public boolean verbose() {
        return level > 0;
    }
}
