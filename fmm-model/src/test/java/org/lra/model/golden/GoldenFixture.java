package org.lra.model.golden;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Precision;

/**
 * One fixture of scripts/golden/make_fixtures.py, from the test classpath ({@code golden/<name>.txt}): lines
 * {@code <name> <shape> <values...>}, '#' lines are comments. Every value is the shortest decimal of a float32,
 * so it is parsed as a float and widened: a float32 model and a float64 one see exactly the same numbers.
 */
final class GoldenFixture {
    private final String name;
    private final Map<String, double[]> tensors = new LinkedHashMap<>();

    private GoldenFixture(String name) {
        this.name = name;
    }

    static GoldenFixture load(String name) {
        String resource = "/golden/" + name + ".txt";
        GoldenFixture f = new GoldenFixture(name);
        try (InputStream in = GoldenFixture.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource
                        + " (scripts/golden/make_fixtures.py writes it)");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.trim().split(" ");
                int n = 1;
                if (!parts[1].equals("scalar")) {
                    for (String dim : parts[1].split("x")) {
                        n *= Integer.parseInt(dim);
                    }
                }
                if (parts.length != 2 + n) {
                    throw new IllegalStateException(resource + ": " + parts[0] + " has shape " + parts[1] + " but "
                            + (parts.length - 2) + " values");
                }
                double[] values = new double[n];
                for (int i = 0; i < n; i++) {
                    values[i] = Float.parseFloat(parts[2 + i]);
                }
                f.tensors.put(parts[0], values);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return f;
    }

    boolean has(String tensor) {
        return tensors.containsKey(tensor);
    }

    double[] get(String tensor) {
        double[] v = tensors.get(tensor);
        if (v == null) {
            throw new IllegalStateException(name + ": no tensor " + tensor);
        }
        return v;
    }

    int[] ints(String tensor) {
        double[] v = get(tensor);
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (int) v[i];
        }
        return out;
    }

    /** A scalar that is a size (shape.seqLen, model.dim ...). */
    int size(String tensor) {
        return ints(tensor)[0];
    }

    Buf buf(String tensor, Precision precision) {
        double[] v = get(tensor);
        Buf b = Buf.zeros(precision, v.length);
        for (int i = 0; i < v.length; i++) {
            b.set(i, v[i]);
        }
        return b;
    }

    Iterable<String> names() {
        return tensors.keySet();
    }

    @Override
    public String toString() {
        return name;
    }
}
