package org.lra.model.checkpoint;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.lra.data.io.AtomicFiles;
import org.lra.model.optim.AdamW;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Param;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Precision;

/**
 * One file holds everything needed to continue a run: weights, AdamW moments, step, seed and the trainer's own
 * key-values. Layout (all integers big-endian, numbers little-endian IEEE in the stored precision):
 * <pre>
 *   8 bytes   magic "LRACKPT\n"
 *   int32     format version (2; version 1 named the fmm blend weights block<i>.attn..blend.*, and is refused)
 *   int32     header length L in bytes
 *   L bytes   header: UTF-8 lines "key=value", sorted by key; values escape \ and newline as \\ and \n
 *   values    N numbers: the parameter block, in the order of the param.i entries
 *   m         N numbers: AdamW first moment
 *   v         N numbers: AdamW second moment
 *   int64     CRC-32 of every byte before it
 * </pre>
 * Header keys: {@code precision} (FLOAT32|FLOAT64), {@code params.count}, {@code params.size} (N),
 * {@code param.<i>} = "name offset shape decay" with shape like 64x128 (or "scalar"), {@code step} (AdamW updates done),
 * {@code seed}, {@code optimizer.beta2}, {@code optimizer.eps}, {@code optimizer.weightDecay} (informative),
 * and {@code extra.<key>} for whatever the trainer stores (config hash, data position, best dev accuracy ...;
 * {@code extra.model.pooling} is StepRunner's: the model's pooling, which no parameter shape shows).
 *
 * <p>{@link #save} goes through {@link AtomicFiles} (temporary sibling, fsync, rename), so a crash or a full
 * disk leaves the previous checkpoint intact. {@link #load} matches parameters by name and shape (order may differ) and
 * names every mismatch; a different stored precision is converted.
 */
public final class Checkpoint {
    public static final int VERSION = 2;
    private static final byte[] MAGIC = "LRACKPT\n".getBytes(StandardCharsets.US_ASCII);
    private static final String EXTRA = "extra.";

    private Checkpoint() {
    }

    /** What a checkpoint says about the run, besides the numbers. */
    public record Header(Precision precision, List<StoredParam> params, int size, long step, long seed,
                         Map<String, String> extra, Map<String, String> raw) {
    }

    /** One parameter as stored. */
    public record StoredParam(String name, int offset, int[] shape, boolean decay) {
        int size() {
            int n = 1;
            for (int s : shape) {
                n *= s;
            }
            return n;
        }
    }

    /** The result of {@link #load}: step and seed as stored, and the trainer's key-values. */
    public record Loaded(long step, long seed, Map<String, String> extra) {
    }

    public static void save(Path file, Parameters params, AdamW optimizer, long seed, Map<String, String> extra)
            throws IOException {
        Map<String, String> h = new TreeMap<>();
        h.put("precision", params.precision().name());
        h.put("params.count", Integer.toString(params.list().size()));
        h.put("params.size", Integer.toString(params.size()));
        List<Param> list = params.list();
        for (int i = 0; i < list.size(); i++) {
            Param p = list.get(i);
            h.put("param." + i, p.name() + " " + p.offset() + " " + shapeString(p.shape()) + " " + p.decay());
        }
        h.put("step", Long.toString(optimizer.steps()));
        h.put("seed", Long.toString(seed));
        h.put("optimizer", "AdamW");
        h.put("optimizer.beta2", Double.toString(optimizer.beta2()));
        h.put("optimizer.eps", Double.toString(optimizer.eps()));
        h.put("optimizer.weightDecay", Double.toString(optimizer.weightDecay()));
        for (Map.Entry<String, String> e : extra.entrySet()) {
            String k = e.getKey();
            if (k.isEmpty() || k.contains("=") || k.contains("\n")) {
                throw new IllegalArgumentException("checkpoint extra key must be non-empty, without '=' or newline: " + k);
            }
            h.put(EXTRA + k, e.getValue());
        }
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, String> e : h.entrySet()) {
            text.append(e.getKey()).append('=').append(escape(e.getValue())).append('\n');
        }
        byte[] header = text.toString().getBytes(StandardCharsets.UTF_8);

        AtomicFiles.write(file, raw -> {
            CRC32 crc = new CRC32();
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new CheckedOutputStream(raw, crc), 1 << 16));
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(header.length);
            out.write(header);
            Precision precision = params.precision();
            writeBlock(out, params.values(), params.size(), precision);
            writeBlock(out, optimizer.firstMoment(), params.size(), precision);
            writeBlock(out, optimizer.secondMoment(), params.size(), precision);
            out.flush();
            new DataOutputStream(raw).writeLong(crc.getValue());
        });
    }

    /** Reads only the header (e.g. to check the seed or the trainer's keys before loading). */
    public static Header readHeader(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            return readHeader(file, in);
        } catch (IllegalArgumentException | java.io.EOFException e) {
            throw new CheckpointFormatException(file, e.getMessage() == null ? "truncated checkpoint" : e.getMessage(), e);
        }
    }

    /**
     * Loads weights and optimiser state into {@code params} and {@code optimizer} (which must belong to a model
     * built from the same config). Nothing is changed unless the whole file is valid.
     *
     * @throws CheckpointFormatException naming every parameter that is missing, unexpected or of another shape,
     *                                   or when the file is not a checkpoint, is truncated or is corrupt
     */
    public static Loaded load(Path file, Parameters params, AdamW optimizer) throws IOException {
        if (optimizer.parameters() != params) {
            throw new IllegalArgumentException("the optimiser does not belong to these parameters");
        }
        CRC32 crc = new CRC32();
        Header h;
        double[][] blocks = new double[3][];
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            DataInputStream in = new DataInputStream(new CheckedInputStream(raw, crc));
            h = readHeader(file, in);
            checkCompatible(file, h, params);
            for (int b = 0; b < 3; b++) {
                blocks[b] = readBlock(in, h.size(), h.precision());
            }
            long computed = crc.getValue();
            long stored;
            try {
                stored = new DataInputStream(raw).readLong();
            } catch (java.io.EOFException e) {
                throw new IllegalArgumentException(file + ": truncated checkpoint (no checksum)");
            }
            if (stored != computed) {
                throw new IllegalArgumentException(file + ": checksum mismatch, the checkpoint is corrupt");
            }
        } catch (IllegalArgumentException | java.io.EOFException e) {
            throw new CheckpointFormatException(file, e.getMessage() == null ? "truncated checkpoint" : e.getMessage(), e);
        }
        Map<String, StoredParam> byName = new LinkedHashMap<>();
        for (StoredParam s : h.params()) {
            byName.put(s.name(), s);
        }
        Buf[] targets = {params.values(), optimizer.firstMoment(), optimizer.secondMoment()};
        for (Param p : params.list()) {
            StoredParam s = byName.get(p.name());
            for (int b = 0; b < 3; b++) {
                for (int i = 0; i < p.size(); i++) {
                    targets[b].set(p.offset() + i, blocks[b][s.offset() + i]);
                }
            }
        }
        optimizer.restoreSteps(h.step());
        return new Loaded(h.step(), h.seed(), h.extra());
    }

    private static void checkCompatible(Path file, Header h, Parameters params) {
        List<String> problems = new ArrayList<>();
        Map<String, StoredParam> stored = new LinkedHashMap<>();
        for (StoredParam s : h.params()) {
            stored.put(s.name(), s);
        }
        for (Param p : params.list()) {
            StoredParam s = stored.remove(p.name());
            if (s == null) {
                problems.add("missing in checkpoint: " + p.name() + " " + shapeString(p.shape()));
            } else if (!Arrays.equals(s.shape(), p.shape())) {
                problems.add(p.name() + ": checkpoint has shape " + shapeString(s.shape()) + ", model has "
                        + shapeString(p.shape()));
            }
        }
        for (StoredParam s : stored.values()) {
            problems.add("not in model: " + s.name() + " " + shapeString(s.shape()));
        }
        if (!problems.isEmpty()) {
            // one line, the first few named: enough to see which config the checkpoint belongs to
            List<String> shown = problems.subList(0, Math.min(5, problems.size()));
            throw new IllegalArgumentException(file + " does not fit this model (" + problems.size()
                    + " mismatch" + (problems.size() == 1 ? "" : "es") + "): " + String.join("; ", shown)
                    + (problems.size() > shown.size() ? "; and " + (problems.size() - shown.size()) + " more" : ""));
        }
    }

    private static Header readHeader(Path file, DataInputStream in) throws IOException {
        byte[] magic = new byte[MAGIC.length];
        try {
            in.readFully(magic);
        } catch (java.io.EOFException e) {
            throw new IllegalArgumentException(file + " is not an lra checkpoint (too short)");
        }
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IllegalArgumentException(file + " is not an lra checkpoint (bad magic)");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new IllegalArgumentException(file + ": checkpoint format version " + version
                    + ", this build reads only version " + VERSION
                    + (version < VERSION ? " (written by an older lra; retrain, or evaluate with that build)" : ""));
        }
        int len = in.readInt();
        if (len < 0 || len > (64 << 20)) {
            throw new IllegalArgumentException(file + ": implausible header length " + len);
        }
        byte[] bytes = new byte[len];
        in.readFully(bytes);
        Map<String, String> raw = new LinkedHashMap<>();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException(file + ": malformed header line: " + line);
            }
            raw.put(line.substring(0, eq), unescape(line.substring(eq + 1)));
        }
        try {
            Precision precision = Precision.valueOf(require(file, raw, "precision"));
            int count = Integer.parseInt(require(file, raw, "params.count"));
            int size = Integer.parseInt(require(file, raw, "params.size"));
            List<StoredParam> list = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String[] f = require(file, raw, "param." + i).split(" ");
                StoredParam s = new StoredParam(f[0], Integer.parseInt(f[1]), parseShape(f[2]), Boolean.parseBoolean(f[3]));
                if (s.offset() < 0 || s.offset() + s.size() > size) {
                    throw new IllegalArgumentException(file + ": parameter " + s.name() + " lies outside the block");
                }
                list.add(s);
            }
            Map<String, String> extra = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : raw.entrySet()) {
                if (e.getKey().startsWith(EXTRA)) {
                    extra.put(e.getKey().substring(EXTRA.length()), e.getValue());
                }
            }
            return new Header(precision, List.copyOf(list), size, Long.parseLong(require(file, raw, "step")),
                    Long.parseLong(require(file, raw, "seed")), extra, raw);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(file + ": malformed checkpoint header (" + e.getMessage() + ")");
        }
    }

    private static String require(Path file, Map<String, String> raw, String key) {
        String v = raw.get(key);
        if (v == null) {
            throw new IllegalArgumentException(file + ": checkpoint header lacks " + key);
        }
        return v;
    }

    private static void writeBlock(DataOutputStream out, Buf buf, int n, Precision precision) throws IOException {
        byte[] chunk = new byte[1 << 16];
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(chunk).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            if (bb.remaining() < precision.bytes) {
                out.write(chunk, 0, bb.position());
                bb.clear();
            }
            if (precision == Precision.FLOAT32) {
                bb.putFloat((float) buf.get(i));
            } else {
                bb.putDouble(buf.get(i));
            }
        }
        out.write(chunk, 0, bb.position());
    }

    private static double[] readBlock(DataInputStream in, int n, Precision precision) throws IOException {
        double[] out = new double[n];
        byte[] bytes = new byte[precision.bytes];
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        try {
            for (int i = 0; i < n; i++) {
                in.readFully(bytes);
                out[i] = precision == Precision.FLOAT32 ? bb.getFloat(0) : bb.getDouble(0);
            }
        } catch (java.io.EOFException e) {
            throw new IllegalArgumentException("truncated checkpoint: the number blocks end early");
        }
        return out;
    }

    /** 64x128 for a matrix, 64 for a vector, "scalar" for rank 0. */
    private static String shapeString(int[] shape) {
        if (shape.length == 0) {
            return "scalar";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : "x").append(shape[i]);
        }
        return sb.toString();
    }

    private static int[] parseShape(String s) {
        if (s.equals("scalar")) {
            return new int[0];
        }
        String[] parts = s.split("x");
        int[] shape = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            shape[i] = Integer.parseInt(parts[i]);
        }
        return shape;
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String unescape(String v) {
        StringBuilder sb = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            if (ch == '\\' && i + 1 < v.length()) {
                char nx = v.charAt(++i);
                sb.append(nx == 'n' ? '\n' : nx);
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }
}
