import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  getBackend,
  type FlatTree,
  type TreeGrowOptions,
} from "../../src/backend.js";
import { matrix, type Matrix } from "../../src/data/matrix.js";
import { Rng } from "../../src/kernels/rng.js";
import * as tsTree from "../../src/kernels/tree.js";
import { packForest } from "../../src/models/tree.js";
import { wasm } from "../../src/wasm/load.js";

const UNLIMITED = 2 ** 31 - 1;

function options(o: Partial<TreeGrowOptions> = {}): TreeGrowOptions {
  return {
    criterion: "gini",
    maxDepth: UNLIMITED,
    minSamplesSplit: 2,
    minSamplesLeaf: 1,
    maxFeatures: 1,
    bootstrap: false,
    ...o,
  };
}

/** Random data with rounded values (many ties) and some constant columns. */
function randomData(
  seed: number,
  n: number,
  d: number,
  K: number,
  digits: number,
) {
  const rng = new Rng(seed);
  const scale = 10 ** digits;
  const X = rng.fillNormal(n * d).map((v) => Math.round(v * scale) / scale);
  for (let j = 0; j < d; j += 3) for (let i = 0; i < n; i++) X[i * d + j] = 1.5;
  const y = Int32Array.from({ length: n }, () => rng.int(K));
  return { X: matrix(n, d, X), y };
}

function grow(
  backend: "wasm" | "ts",
  X: Matrix,
  y: Int32Array,
  K: number,
  o: TreeGrowOptions,
  seed: number,
) {
  const b = getBackend(backend).treeBuilder(X, y, K);
  try {
    return b.grow(o, seed, true);
  } finally {
    b.dispose();
  }
}

/** The node index each training row reaches at depth `depth`, or its leaf. */
function route(t: FlatTree, x: Float64Array, d: number, i: number): number {
  let a = 0;
  while (t.left[a] >= 0)
    a = x[i * d + t.feature[a]] <= t.threshold[a] ? t.left[a] : t.right[a];
  return a;
}

describe("treeGrow", () => {
  it("wasm grows the same tree as ts, node by node (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.record({
          criterion: fc.constantFrom("gini" as const, "entropy" as const),
          maxDepth: fc.constantFrom(1, 3, UNLIMITED),
          minSamplesSplit: fc.integer({ min: 2, max: 10 }),
          minSamplesLeaf: fc.integer({ min: 1, max: 5 }),
          maxFeatures: fc.integer({ min: 1, max: 9 }),
          bootstrap: fc.boolean(),
        }),
        fc.integer({ min: 0, max: 3 }),
        (n, d, K, seed, o, digits) => {
          const { X, y } = randomData(seed, n, d, K, digits);
          const opts = { ...o, maxFeatures: Math.min(o.maxFeatures, d) };
          const a = grow("wasm", X, y, K, opts, seed);
          const b = grow("ts", X, y, K, opts, seed);
          expect(a.tree).toEqual(b.tree);
          expect(a.sampleCounts).toEqual(b.sampleCounts);
        },
      ),
      { seed: 20261204, numRuns: 150 },
    );
  });

  it("records consistent nodes: counts add up and training rows land where counted", () => {
    const n = 400;
    const d = 6;
    const K = 3;
    const { X, y } = randomData(7, n, d, K, 2);
    for (const bootstrap of [false, true]) {
      const o = options({ bootstrap, maxFeatures: 2 });
      const { tree: t, sampleCounts } = grow("wasm", X, y, K, o, 3);
      const w = sampleCounts as Float64Array;
      const reached = new Float64Array(t.nodeCount * K);
      for (let i = 0; i < n; i++)
        reached[route(t, X.data, d, i) * K + y[i]] += w[i];
      for (let a = 0; a < t.nodeCount; a++) {
        const value = t.value.subarray(a * K, a * K + K);
        expect(value.reduce((s, v) => s + v, 0)).toBe(
          t.weightedNNodeSamples[a],
        );
        if (t.left[a] < 0) {
          expect(Array.from(reached.subarray(a * K, a * K + K))).toEqual(
            Array.from(value),
          );
          continue;
        }
        const [l, r] = [t.left[a], t.right[a]];
        expect(l).toBe(a + 1); // preorder
        expect(t.nNodeSamples[l] + t.nNodeSamples[r]).toBe(t.nNodeSamples[a]);
        for (let k = 0; k < K; k++) {
          expect(t.value[l * K + k] + t.value[r * K + k]).toBe(value[k]);
        }
      }
      expect(t.weightedNNodeSamples[0]).toBe(n);
    }
  });

  it("finds the exhaustive best root split, at a midpoint between distinct values", () => {
    const n = 60;
    const d = 4;
    const { X, y } = randomData(11, n, d + 1, 2, 1);
    const Xd = matrix(
      n,
      d,
      Float64Array.from({ length: n * d }, (_, p) => {
        const i = Math.floor(p / d);
        return X.data[i * (d + 1) + (p % d) + 1];
      }),
    );
    const { tree: t } = grow("ts", Xd, y, 2, options({ maxFeatures: d }), 1);
    // Brute force: every feature, every threshold between distinct values.
    const gini = (c0: number, c1: number) => {
      const w = c0 + c1;
      return w === 0 ? 0 : 1 - (c0 / w) ** 2 - (c1 / w) ** 2;
    };
    let best = -Infinity;
    for (let j = 0; j < d; j++) {
      const col = Array.from({ length: n }, (_, i) => Xd.data[i * d + j]);
      const values = [...new Set(col)].sort((a, b) => a - b);
      for (let q = 0; q + 1 < values.length; q++) {
        const thr = (values[q] + values[q + 1]) / 2;
        const c = [0, 0, 0, 0];
        for (let i = 0; i < n; i++)
          c[(Xd.data[i * d + j] <= thr ? 0 : 2) + y[i]]++;
        const nl = c[0] + c[1];
        const nr = c[2] + c[3];
        best = Math.max(best, -(nl * gini(c[0], c[1]) + nr * gini(c[2], c[3])));
      }
    }
    const l = t.left[0];
    const r = t.right[0];
    const got = -(
      t.nNodeSamples[l] * t.impurity[l] +
      t.nNodeSamples[r] * t.impurity[r]
    );
    expect(got).toBeCloseTo(best, 12);
    const j = t.feature[0];
    const col = Array.from({ length: n }, (_, i) => Xd.data[i * d + j]);
    const below = Math.max(...col.filter((v) => v <= t.threshold[0]));
    const above = Math.min(...col.filter((v) => v > t.threshold[0]));
    expect(t.threshold[0]).toBe(below / 2 + above / 2);
  });

  it("makes a single leaf for pure labels or constant features", () => {
    const X = matrix(5, 2, Float64Array.from([1, 2, 1, 3, 1, 4, 1, 5, 1, 6]));
    const pure = grow(
      "wasm",
      X,
      new Int32Array(5),
      2,
      options({ maxFeatures: 2 }),
      0,
    );
    expect(pure.tree.nodeCount).toBe(1);
    expect(Array.from(pure.tree.value)).toEqual([5, 0]);
    const constant = matrix(5, 2, new Float64Array(10).fill(3));
    const mixed = Int32Array.from([0, 1, 0, 1, 1]);
    const leaf = grow(
      "wasm",
      constant,
      mixed,
      2,
      options({ maxFeatures: 1 }),
      0,
    );
    expect(leaf.tree.nodeCount).toBe(1);
    expect(leaf.tree.feature[0]).toBe(-2);
  });

  it("searches past constant features even when maxFeatures is 1", () => {
    // Nine constant columns and one informative one: one draw is not enough.
    const n = 40;
    const d = 10;
    const X = new Float64Array(n * d).fill(2);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      X[i * d + 7] = i;
      y[i] = i < 20 ? 0 : 1;
    }
    for (let seed = 0; seed < 10; seed++) {
      const { tree: t } = grow("wasm", matrix(n, d, X), y, 2, options(), seed);
      expect(t.feature[0]).toBe(7);
      expect(t.threshold[0]).toBe(19.5);
      expect(t.nodeCount).toBe(3);
    }
  });

  it("respects maxDepth and minSamplesLeaf", () => {
    const { X, y } = randomData(5, 300, 5, 3, 3);
    const shallow = grow(
      "wasm",
      X,
      y,
      3,
      options({ maxDepth: 2, maxFeatures: 5 }),
      0,
    ).tree;
    expect(shallow.nodeCount).toBeLessThanOrEqual(7);
    const o = options({ minSamplesLeaf: 17, minSamplesSplit: 34 });
    const leafy = grow("wasm", X, y, 3, o, 0).tree;
    for (let a = 0; a < leafy.nodeCount; a++) {
      expect(leafy.nNodeSamples[a]).toBeGreaterThanOrEqual(17);
    }
  });

  it("does not grow Wasm memory when the same builder grows many trees", () => {
    const { X, y } = randomData(3, 500, 8, 2, 2);
    const b = getBackend("wasm").treeBuilder(X, y, 2);
    try {
      b.grow(options({ bootstrap: true }), 0);
      const bytes = wasm().memory.buffer.byteLength;
      for (let t = 1; t < 30; t++) b.grow(options({ bootstrap: true }), t);
      expect(wasm().memory.buffer.byteLength).toBe(bytes);
    } finally {
      b.dispose();
    }
  });
});

describe("forestProba", () => {
  it("wasm equals ts bit for bit and rows sum to 1", () => {
    const K = 3;
    const { X, y } = randomData(9, 200, 6, K, 2);
    const b = getBackend("ts").treeBuilder(X, y, K);
    const o = options({ bootstrap: true, maxFeatures: 2 });
    const trees = [0, 1, 2, 3].map((s) => b.grow(o, s).tree);
    const forest = packForest(trees, K);
    const Xt = randomData(10, 50, 6, K, 3).X;
    const p = getBackend("wasm").forestProba(Xt, forest, K);
    expect(p).toEqual(getBackend("ts").forestProba(Xt, forest, K));
    for (let i = 0; i < 50; i++) {
      expect(p[i * K] + p[i * K + 1] + p[i * K + 2]).toBeCloseTo(1, 14);
    }
  });
});

describe("treeXlogx", () => {
  it("gives the same bits in wasm and ts, near k Math.log(k)", () => {
    const n = 5000;
    const ts = new Float64Array(n + 1);
    tsTree.treeXlogx(ts, n);
    const ex = wasm();
    const ptr = ex.alloc((n + 1) * 8);
    try {
      ex.treeXlogx(ptr, n);
      const fromWasm = new Float64Array(ex.memory.buffer, ptr, n + 1).slice();
      expect(fromWasm).toEqual(ts);
    } finally {
      ex.free(ptr);
    }
    expect(ts[0]).toBe(0);
    expect(ts[1]).toBe(0);
    for (let k = 2; k <= n; k++) {
      // ln k rounded correctly vs V8's, each within 1 ulp: 2 ulp apart at most
      const want = k * Math.log(k);
      expect(Math.abs(ts[k] - want)).toBeLessThanOrEqual(
        4 * Number.EPSILON * want,
      );
    }
  });

  it("rounds ln k correctly where Node 20's Math.log does not", () => {
    // Regression: entropy trees grown in Chromium differed from Node's,
    // since V8's Math.log differs between them in the last bit (Node 20
    // gives ln 3 = 1.0986122886681096). The correctly rounded values below
    // are glibc's (Python's math.log).
    const out = new Float64Array(200);
    tsTree.treeXlogx(out, 199);
    expect(out[3]).toBe(3 * 1.0986122886681098);
    expect(out[48]).toBe(48 * 3.871201010907891);
    expect(out[74]).toBe(74 * 4.30406509320417);
    expect(out[185]).toBe(185 * 5.220355825078324);
  });
});
