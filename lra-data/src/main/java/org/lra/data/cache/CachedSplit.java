package org.lra.data.cache;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.lra.data.Split;
import org.lra.data.SplitData;

/** One split of a cache, read through memory maps: nothing is loaded until it is touched. */
final class CachedSplit implements SplitData {
    private final int size;
    private final int towers;
    private final MappedFile[] ids;
    private final MappedFile[] offsets;
    private final MappedFile labels;

    CachedSplit(Path dir, Split split, int towers, int tokenWidth, int size) throws IOException {
        this.size = size;
        this.towers = towers;
        this.ids = new MappedFile[towers];
        this.offsets = new MappedFile[towers];
        for (int t = 0; t < towers; t++) {
            ids[t] = new MappedFile(dir.resolve(CacheFiles.ids(split, t)), tokenWidth);
            offsets[t] = new MappedFile(dir.resolve(CacheFiles.offsets(split, t)), 8);
        }
        labels = new MappedFile(dir.resolve(CacheFiles.labels(split)), 1);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int label(int index) {
        return labels.getUnsignedByte(checkIndex(index));
    }

    @Override
    public int length(int index, int tower) {
        checkIndex(index);
        return (int) (offsets[tower].getLong(index + 1L) - offsets[tower].getLong(index));
    }

    @Override
    public void copyIds(int index, int tower, int[] dst, int off, int maxLen) {
        checkIndex(index);
        long start = offsets[tower].getLong(index);
        int n = (int) Math.min(offsets[tower].getLong(index + 1L) - start, maxLen);
        ids[tower].copy(start, n, dst, off);
        Arrays.fill(dst, off + n, off + maxLen, 0);
    }

    @Override
    public boolean dual() {
        return towers == 2;
    }

    private int checkIndex(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("example " + index + " of " + size);
        }
        return index;
    }
}
