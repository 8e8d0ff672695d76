package org.lra.model.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.lra.data.Batch;
import org.lra.model.Model;
import org.lra.model.attention.Attention;
import org.lra.model.attention.AttentionShape;
import org.lra.model.config.AttentionConfig;
import org.lra.model.config.ModelConfig;
import org.lra.model.config.Pooling;
import org.lra.model.config.Pooling;
import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Param;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Precision;
import org.lra.model.testing.AssertClose;

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

    /** Copies the named tensor into one parameter; the sizes must agree. */
    void setParam(Parameters params, Param w, String tensor) {
        double[] values = get(tensor);
        assertEquals(w.size(), values.length, w.name() + " size");
        for (int i = 0; i < values.length; i++) {
            params.values().set(w.offset() + i, values[i]);
        }
    }

    /** An attention fixture's shape: shape.batch, shape.seqLen, shape.heads, shape.headDim. */
    AttentionShape attentionShape() {
        return new AttentionShape(size("shape.batch"), size("shape.seqLen"), size("shape.heads"),
                size("shape.headDim"));
    }

    /**
     * One float32 training-mode forward and backward of an attention core (its dropout off) on the fixture's q, k,
     * v, mask and upstream, checked against its out, dq, dk, dv and, when params is not null, each parameter's
     * gradient against the tensor gradTensor names.
     */
    void checkAttention(Attention core, Parameters params, Function<Param, String> gradTensor) {
        Precision p = Precision.FLOAT32;
        AttentionShape shape = attentionShape();
        int n = shape.rows() * shape.width();
        Buf out = Buf.zeros(p, n);
        Buf dq = Buf.zeros(p, n);
        Buf dk = Buf.zeros(p, n);
        Buf dv = Buf.zeros(p, n);
        try (Parallel pool = new Parallel(2)) {
            StepContext ctx = new StepContext(pool, true, 0, 0);
            if (params != null) {
                params.zeroGrads();
            }
            core.forward(ctx, shape, buf("q", p), buf("k", p), buf("v", p), buf("mask", p), out);
            AssertClose.float32(this + " out", get("out"), out, 0);
            core.backward(ctx, buf("upstream", p), dq, dk, dv);
        }
        AssertClose.float32(this + " dq", get("dq"), dq, 0);
        AssertClose.float32(this + " dk", get("dk"), dk, 0);
        AssertClose.float32(this + " dv", get("dv"), dv, 0);
        if (params != null) {
            for (Param w : params.list()) {
                AssertClose.float32(this + " grad " + w.name(), get(gradTensor.apply(w)), params.grads(), w.offset());
            }
        }
    }

    /** {@link #modelConfig(boolean, AttentionConfig, Pooling)} with the reference pooling. */
    ModelConfig modelConfig(boolean dual, AttentionConfig attention) {
        return modelConfig(dual, attention, Pooling.MEAN);
    }

    /** A model fixture's config: sizes from model.*, batch and length from labels and ids, dropout off. */
    ModelConfig modelConfig(boolean dual, AttentionConfig attention, Pooling pooling) {
        int batch = get("labels").length;
        int seqLen = get("ids").length / batch;
        int ffn = size("model.ffnDim"); // the official head's hidden width is the FFN width too
        return new ModelConfig(size("model.vocabSize"), seqLen, size("model.numClasses"), size("model.dim"),
                size("model.heads"), size("model.headDim"), size("model.layers"), ffn, ffn, 0.0, 0.0, true, pooling,
                dual, attention);
    }

    /**
     * Loads the fixture's weights into a float32 model of {@link #modelConfig}, runs one training step (dropout
     * off) on its batch and checks the loss and every parameter gradient but those in notCompared.
     */
    void checkModel(Model model, boolean dual, Set<String> notCompared) {
        Parameters params = model.parameters();
        for (Param w : params.list()) {
            setParam(params, w, w.name());
        }
        int batch = get("labels").length;
        int seqLen = get("ids").length / batch;
        Batch b = new Batch(batch, seqLen, ints("ids"), dual ? ints("ids2") : null, ints("labels"));
        double loss;
        try (Parallel pool = new Parallel(2)) {
            params.zeroGrads();
            loss = model.forwardBackward(new StepContext(pool, true, 0, 0), b).loss();
        }
        double want = get("loss")[0];
        assertEquals(want, loss, AssertClose.FLOAT32_RTOL * Math.abs(want), this + " loss");
        for (Param w : params.list()) {
            if (!notCompared.contains(w.name())) {
                AssertClose.float32(this + " grad " + w.name(), get("grad." + w.name()), params.grads(), w.offset());
            }
        }
    }

    Iterable<String> names() {
        return tensors.keySet();
    }

    @Override
    public String toString() {
        return name;
    }
}
