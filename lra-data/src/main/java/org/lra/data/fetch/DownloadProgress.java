package org.lra.data.fetch;

/** Told how a download is going, so the command line can draw a bar. */
public interface DownloadProgress {
    DownloadProgress NONE = (done, total) -> { };

    /** {@code done} bytes of {@code total} are on disk ({@code total} is -1 when the server does not say). */
    void update(long done, long total);
}
