package org.lra.data;

import java.util.Arrays;
import java.util.List;

/** A split held in memory as a list of examples: for tests and small generated data sets. */
public final class ExampleList implements SplitData {
    private final List<Example> examples;
    private final boolean dual;

    public ExampleList(List<Example> examples) {
        this.examples = List.copyOf(examples);
        this.dual = !examples.isEmpty() && examples.get(0).dual();
        for (Example e : this.examples) {
            if (e.dual() != dual) {
                throw new IllegalArgumentException("mixed single and paired examples");
            }
        }
    }

    @Override
    public int size() {
        return examples.size();
    }

    @Override
    public int label(int index) {
        return examples.get(index).label();
    }

    @Override
    public int length(int index, int tower) {
        return examples.get(index).tower(tower).length;
    }

    @Override
    public void copyIds(int index, int tower, int[] dst, int off, int maxLen) {
        int[] ids = examples.get(index).tower(tower);
        int n = Math.min(ids.length, maxLen);
        System.arraycopy(ids, 0, dst, off, n);
        Arrays.fill(dst, off + n, off + maxLen, 0);
    }

    @Override
    public boolean dual() {
        return dual;
    }
}
