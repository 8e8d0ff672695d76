package org.lra.model.attention;

import org.lra.model.tensor.Buf;

/** Textbook O(T²) versions of the reference formulas, written for clarity, for the tests to compare against. */
final class NaiveAttention {
    private NaiveAttention() {
    }

    /**
     * Dense masked softmax with an explicit band mask, exactly the reference near field: scores outside
     * |i − j| ≤ bandwidth − 1 (or j &gt; i when causal) are −∞, padding keys get −1e6. bandwidth ≥ T is full softmax.
     */
    static double[] denseBand(AttentionShape s, Buf q, Buf k, Buf v, Buf mask, int bandwidth, boolean causal) {
        int seqLen = s.seqLen();
        int width = s.width();
        int headDim = s.headDim();
        double[] out = new double[s.rows() * width];
        for (int b = 0; b < s.batch(); b++) {
            for (int h = 0; h < s.heads(); h++) {
                for (int i = 0; i < seqLen; i++) {
                    double[] score = new double[seqLen];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < seqLen; j++) {
                        boolean inBand = Math.abs(i - j) <= bandwidth - 1 && !(causal && j > i);
                        if (!inBand) {
                            score[j] = Double.NEGATIVE_INFINITY;
                            continue;
                        }
                        double dot = 0;
                        for (int d = 0; d < headDim; d++) {
                            dot += q.get(at(s, b, i, h, d)) * k.get(at(s, b, j, h, d));
                        }
                        score[j] = dot / Math.sqrt(headDim) - 1e6 * (1 - mask.get(b * seqLen + j));
                        max = Math.max(max, score[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < seqLen; j++) {
                        score[j] = Math.exp(score[j] - max);
                        sum += score[j];
                    }
                    for (int d = 0; d < headDim; d++) {
                        double acc = 0;
                        for (int j = 0; j < seqLen; j++) {
                            acc += score[j] / sum * v.get(at(s, b, j, h, d));
                        }
                        out[at(s, b, i, h, d)] = acc;
                    }
                }
            }
        }
        return out;
    }

    /**
     * Linear attention straight from the formula, pair by pair: unnormalised
     * out_i = Σ_j (φ(q_i)/N^¼ · φ(k_j) m_j/N^¼) m_j v_j, or normalised
     * out_i = Σ_j (φ(q_i)·φ(k_j)) m_j v_j / (Σ_j (φ(q_i)·φ(k_j)) m_j + 1e-6); j ≤ i when causal.
     */
    static double[] linear(AttentionShape s, Buf q, Buf k, Buf v, Buf mask, FeatureMap map, boolean normalized,
                           boolean causal) {
        int seqLen = s.seqLen();
        int headDim = s.headDim();
        double n4 = Math.pow(seqLen, 0.25);
        double[] out = new double[s.rows() * s.width()];
        for (int b = 0; b < s.batch(); b++) {
            for (int h = 0; h < s.heads(); h++) {
                for (int i = 0; i < seqLen; i++) {
                    double[] num = new double[headDim];
                    double den = 0;
                    for (int j = 0; j <= (causal ? i : seqLen - 1); j++) {
                        double m = mask.get(b * seqLen + j);
                        double a = 0;
                        for (int d = 0; d < headDim; d++) {
                            double fq = map.value(q.get(at(s, b, i, h, d)));
                            double fk = map.value(k.get(at(s, b, j, h, d))) * m;
                            a += normalized ? fq * fk : (fq / n4) * (fk / n4);
                        }
                        den += a;
                        for (int d = 0; d < headDim; d++) {
                            num[d] += a * v.get(at(s, b, j, h, d)) * m;
                        }
                    }
                    for (int d = 0; d < headDim; d++) {
                        out[at(s, b, i, h, d)] = normalized ? num[d] / (den + 1e-6) : num[d];
                    }
                }
            }
        }
        return out;
    }

    static int at(AttentionShape s, int b, int t, int h, int d) {
        return (b * s.seqLen() + t) * s.width() + h * s.headDim() + d;
    }
}
