#!/usr/bin/env python3
"""ListOps exports without Java: our generator, re-run in Python, written as `lra data export` writes it.

    listops_gen.py --out DIR [--processes N] [--expect MANIFEST.json] [--rows N]

writes DIR/train.tsv, val.tsv and test.tsv: one line per example, `label<TAB>ids`, the ids space-separated,
byte for byte what

    lra data generate listops --data-dir D --train 96000 --val 2000 --test 2000    # the defaults, seed 0
    lra data export --data-dir D --split S listops

writes, for the same settings. It is a port of lra-data's ListOpsGenerator (which follows LRA's listops.py) and
of the import's tokenisation, for machines that have Python but no JDK (the GPU machine of
paper_protocol_gpu.sh). What it reproduces:
- java.util.SplittableRandom (seeded constructor, nextDouble, nextInt(bound)) and Seeds.mix, so that chunk k
  (256 accepted trees) draws from SplittableRandom(mix(seed, k)) exactly as the Java workers do;
- the sampler: a node below max_depth is an operator with probability 0.25 (nextDouble() <= 0.25), else a
  digit (nextInt(10)); an operator has 2 + nextInt(max_args - 1) arguments, drawn first, then its operator
  (nextInt(4): MIN, MAX, MED, SM); a candidate is abandoned, with no further draw, as soon as its running token
  count reaches max_length; kept when it has more than min_length tokens;
- duplicates dropped in chunk order (the Java code compares 64-bit hashes of the strings; equal trees are
  equal token sequences, so exact comparison here differs only on a hash collision, which the hash check
  below would reveal); the first `train` unique trees are train, the next `val` val, then `test`;
- the value (MIN, MAX, MED = int(np.median), SM = sum mod 10) as the label, and the ids of the import:
  digit d -> d + 1, [MIN 11, [MAX 12, [MED 13, [SM 14, ] -> 15 (ListOpsVocabulary), in prefix order.
--expect checks the files' sha256 against a manifest (scripts/golden/paper-listops-export.json); --rows N
writes only the first N rows of train (a quick check against the head of a real export).
"""
import argparse
import hashlib
import json
import os
import sys

M64 = (1 << 64) - 1
GOLDEN_GAMMA = 0x9E3779B97F4A7C15
DOUBLE_UNIT = 2.0 ** -53
TREES_PER_CHUNK = 256


def _finalizer(z):  # Seeds.finalizer = SplitMix64's mix64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def seeds_mix(seed, index):
    return _finalizer((_finalizer(seed & M64) + GOLDEN_GAMMA * (index + 1)) & M64)


class SplittableRandom:
    """java.util.SplittableRandom(long seed): gamma GOLDEN_GAMMA; nextLong = mix64(seed += gamma)."""

    __slots__ = ("seed",)

    def __init__(self, seed):
        self.seed = seed & M64

    def next_double(self):
        s = self.seed = (self.seed + GOLDEN_GAMMA) & M64
        z = ((s ^ (s >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        return ((z ^ (z >> 31)) >> 11) * DOUBLE_UNIT

    def _next_int32(self):  # mix32(nextSeed()) as an unsigned 32-bit value
        s = self.seed = (self.seed + GOLDEN_GAMMA) & M64
        z = ((s ^ (s >> 33)) * 0x62A9D9ED799705F5) & M64
        return (((z ^ (z >> 28)) * 0xCB24D0A5C88C35B3) & M64) >> 32

    def next_int(self, bound):
        """RandomSupport.boundedNextInt: mask for a power of two, else rejection on (r >>> 1) % bound."""
        r = self._next_int32()
        m = bound - 1
        if bound & m == 0:
            return r & m
        u = r >> 1
        while True:
            r = u % bound
            if u + m - r < (1 << 31):  # Java: the int sum does not overflow
                return r
            u = self._next_int32() >> 1


def node_counting(rnd, max_depth, max_args, limit):
    """TreeSampler.sample with its running count (operators count 2 when opened), tokens in prefix order."""
    tokens = []
    length = [0]

    def node(depth):
        r = rnd.next_double() if depth < max_depth else 1.0
        if r > 0.25:
            length[0] += 1
            if length[0] >= limit:
                return None
            d = rnd.next_int(10)
            tokens.append(d + 1)
            return d
        length[0] += 2
        if length[0] >= limit:
            return None
        at = len(tokens)
        tokens.append(0)
        count = 2 + rnd.next_int(max_args - 1)
        values = []
        for _ in range(count):
            v = node(depth + 1)
            if v is None:
                return None
            values.append(v)
        op = rnd.next_int(4)
        tokens[at] = 11 + op
        tokens.append(15)
        if op == 0:
            return min(values)
        if op == 1:
            return max(values)
        if op == 2:
            s = sorted(values)
            mid = len(s) // 2
            return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) // 2
        return sum(values) % 10

    value = node(1)
    return None if value is None else (tokens, value)


def chunk(args):
    """Chunk k's 256 accepted candidates as export lines (label, ids), in draw order."""
    seed, k, min_length, max_length, max_depth, max_args = args
    rnd = SplittableRandom(seeds_mix(seed, k))
    out = []
    while len(out) < TREES_PER_CHUNK:
        tree = node_counting(rnd, max_depth, max_args, max_length)
        if tree is None or len(tree[0]) <= min_length:
            continue
        out.append(f"{tree[1]}\t{' '.join(map(str, tree[0]))}\n")
    return out


def generate(out_dir, train=96000, val=2000, test=2000, min_length=500, max_length=2000, max_depth=10,
             max_args=10, seed=0, processes=1, rows=0):
    sizes = [("train", train), ("val", val), ("test", test)]
    if rows:
        sizes = [("train", rows)]
    total = sum(n for _, n in sizes)
    os.makedirs(out_dir, exist_ok=True)
    files = [open(os.path.join(out_dir, f"{name}.tsv.tmp"), "w") for name, _ in sizes]
    seen, written, split, in_split = set(), 0, 0, 0

    def chunks():
        k = 0
        if processes > 1:
            import multiprocessing
            with multiprocessing.Pool(processes) as pool:
                while True:
                    batch = [(seed, k + i, min_length, max_length, max_depth, max_args) for i in range(4 * processes)]
                    for lines in pool.map(chunk, batch):
                        yield lines
                    k += len(batch)
        else:
            while True:
                yield chunk((seed, k, min_length, max_length, max_depth, max_args))
                k += 1

    try:
        for lines in chunks():
            for line in lines:
                if written == total:
                    break
                key = line.split("\t", 1)[1]
                if key in seen:
                    continue
                seen.add(key)
                while in_split == sizes[split][1]:
                    split, in_split = split + 1, 0
                files[split].write(line)
                in_split += 1
                written += 1
            if written == total:
                break
    finally:
        for f in files:
            f.close()
    for name, _ in sizes:
        os.replace(os.path.join(out_dir, f"{name}.tsv.tmp"), os.path.join(out_dir, f"{name}.tsv"))
    return [name for name, _ in sizes]


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--expect", help="manifest JSON with the files' sha256 (splits.<name>.sha256)")
    ap.add_argument("--rows", type=int, default=0, help="only the first N train rows (a quick check)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    names = generate(args.out, seed=args.seed, processes=args.processes, rows=args.rows)
    bad = 0
    expect = json.load(open(args.expect)) if args.expect else None
    for name in names:
        path = os.path.join(args.out, f"{name}.tsv")
        digest = sha256_file(path)
        verdict = ""
        if expect and not args.rows:
            want = expect["splits"][name]["sha256"]
            verdict = "as expected" if digest == want else f"DIFFERS from {want}"
            bad += digest != want
        print(f"listops_gen: {path}: sha256 {digest} {verdict}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
