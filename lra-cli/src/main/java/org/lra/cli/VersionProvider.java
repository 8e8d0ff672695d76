package org.lra.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * {@code lra --version}: the Maven project version and the commit the jar was built from, both from
 * {@code version.properties}, which Maven writes at build time (lra-cli/pom.xml: antrun runs git, resource
 * filtering fills the file). Works from the shaded jar and from target/classes alike; run.json's
 * {@code buildCommit} comes from the same file.
 */
public class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"lra " + version() + " (build commit " + buildCommit() + ")",
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
    }

    public static String version() {
        return properties().getProperty("version", "unknown");
    }

    /** The commit the build saw, with "-dirty" when tracked files had uncommitted changes; "unknown" outside git. */
    public static String buildCommit() {
        Properties p = properties();
        String commit = p.getProperty("commit", "").strip();
        if (commit.isEmpty() || commit.startsWith("${")) {
            return "unknown";
        }
        return "true".equals(p.getProperty("dirty")) ? commit + "-dirty" : commit;
    }

    private static Properties properties() {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("/org/lra/cli/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
