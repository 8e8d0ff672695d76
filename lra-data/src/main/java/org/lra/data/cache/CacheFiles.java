package org.lra.data.cache;

import org.lra.data.Split;

/**
 * Names of the files of one cache directory. Per split and tower (tower 1 only for Retrieval):
 *
 * <pre>
 *   &lt;split&gt;.ids&lt;t&gt;      token ids, concatenated, little-endian uint8 (vocabulary &lt;= 256) or uint16
 *   &lt;split&gt;.offsets&lt;t&gt;  int64 little-endian, count+1 entries: example i is ids[offsets[i], offsets[i+1])
 *   &lt;split&gt;.labels      uint8 label per example
 *   manifest.properties  see {@link CacheWriter}
 * </pre>
 */
final class CacheFiles {
    private CacheFiles() {
    }

    static String ids(Split split, int tower) {
        return split.fileName() + ".ids" + tower;
    }

    static String offsets(Split split, int tower) {
        return split.fileName() + ".offsets" + tower;
    }

    static String labels(Split split) {
        return split.fileName() + ".labels";
    }
}
