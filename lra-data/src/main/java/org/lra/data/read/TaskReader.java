package org.lra.data.read;

import java.io.IOException;
import java.nio.file.Path;

/** Reads one task's release files (a directory or an archive) and hands every example to a sink. */
public interface TaskReader {

    SourceInfo read(Path source, ExampleSink sink) throws IOException;
}
