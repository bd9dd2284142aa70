/**
 * Decision trees (CART) grown depth first on presorted samples: the
 * TypeScript twin of assembly/tree.ts, with the same functions, argument
 * order, random draws and floating-point operations, so both grow the
 * identical tree from the same seed. See assembly/tree.ts for the layout
 * of the data and the algorithm.
 */
import { rngSeed, rngUniform } from "./rng.js";

/** Values closer than this count as equal when looking for split points. */
const FEATURE_THRESHOLD = 1e-7;
/** A node whose impurity is at most this is pure. */
const EPSILON = 2.220446049250313e-16; // 2^-52
const LN2 = 0.6931471805599453; // ln 2
/** Criterion codes shared with the Wasm kernel. */
export const CRITERION_CODES = { gini: 0, entropy: 1 } as const;
/** Child index of a leaf. */
export const TREE_LEAF = -1;
/** Feature and threshold of a leaf. */
export const TREE_UNDEFINED = -2;

// Double-double arithmetic (Dekker 1971): a value is hi + lo with
// |lo| <= ulp(hi) / 2, about 106 bits. Each helper returns hi and leaves
// lo in `ddLo`, exactly as assembly/tree.ts does, so both twins perform
// the same IEEE operations and get the same bits in every engine.
const SPLITTER = 134217729; // 2^27 + 1, Veltkamp's splitting constant
/** Series terms of atanh below this no longer change ln k. */
const ATANH_CUTOFF = 1.925929944387236e-34; // 2^-112
let ddLo = 0;

/** hi + lo = a + b exactly (Knuth's two-sum). */
function twoSum(a: number, b: number): number {
  const s = a + b;
  const v = s - a;
  ddLo = a - (s - v) + (b - v);
  return s;
}

/** hi + lo = a b exactly (Dekker's product with Veltkamp's split). */
function twoProd(a: number, b: number): number {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  ddLo = ah * bh - p + ah * bl + al * bh + al * bl;
  return p;
}

/** (ah + al) + (bh + bl), to about 106 bits. */
function ddAdd(ah: number, al: number, bh: number, bl: number): number {
  const s = twoSum(ah, bh);
  const e = ddLo + al + bl;
  const hi = s + e;
  ddLo = e - (hi - s);
  return hi;
}

/** (ah + al) (bh + bl), to about 106 bits. */
function ddMul(ah: number, al: number, bh: number, bl: number): number {
  const p = twoProd(ah, bh);
  const e = ddLo + (ah * bl + al * bh);
  const hi = p + e;
  ddLo = e - (hi - p);
  return hi;
}

/** (ah + al) / d for an integer d < 2^53, to about 106 bits. */
function ddDivInt(ah: number, al: number, d: number): number {
  const q1 = ah / d;
  const p = twoProd(q1, d);
  const r = ah - p - ddLo + al; // the remainder, exact up to al's rounding
  const q2 = r / d;
  const hi = q1 + q2;
  ddLo = q2 - (hi - q1);
  return hi;
}

/**
 * Writes k ln k for k = 0..n to `out` (0 ln 0 = 0). ln k is summed in
 * double-double as ln(k - 1) + 2 atanh(1 / (2k - 1)), with atanh's series
 * s + s^3/3 + s^5/5 + ... run until a term falls below 2^-112, then
 * rounded once; so it is the correctly rounded ln k except within ~1e-24
 * relative of a tie, and the same in every engine. Math.log is not: V8 in
 * Node 20 and in Chromium 156 differ in the last bit on some integers
 * (Math.log(3) is 1.0986122886681096 in Node 20, 1.0986122886681098
 * correctly rounded), which changed entropy trees between them.
 */
export function treeXlogx(out: Float64Array, n: number): void {
  out[0] = 0;
  let lnHi = 0;
  let lnLo = 0;
  for (let k = 1; k <= n; k++) {
    if (k > 1) {
      const q = 2 * k - 1;
      // s = 1 / q and s^2 in double-double; powers s^(2j+1) by ddMul.
      const sHi = 1 / q;
      const qs = twoProd(q, sHi);
      const sLo = (1 - qs - ddLo) / q;
      const s2Hi = ddMul(sHi, sLo, sHi, sLo);
      const s2Lo = ddLo;
      let pHi = sHi;
      let pLo = sLo;
      let sumHi = sHi;
      let sumLo = sLo;
      for (let j = 1; pHi > ATANH_CUTOFF; j++) {
        pHi = ddMul(pHi, pLo, s2Hi, s2Lo);
        pLo = ddLo;
        const tHi = ddDivInt(pHi, pLo, 2 * j + 1);
        sumHi = ddAdd(sumHi, sumLo, tHi, ddLo);
        sumLo = ddLo;
      }
      lnHi = ddAdd(lnHi, lnLo, 2 * sumHi, 2 * sumLo);
      lnLo = ddLo;
    }
    out[k] = k * (lnHi + lnLo);
  }
}

/**
 * Sorts the sample indices of every feature by value, ties by index, into
 * `presort` (nFeatures * nSamples). `scratch` (nSamples) is unused here:
 * the Wasm kernel merges through it.
 */
export function treePresort(
  xCol: Float64Array,
  nSamples: number,
  nFeatures: number,
  presort: Uint32Array,
  scratch: Uint32Array,
): void {
  void scratch;
  for (let j = 0; j < nFeatures; j++) {
    const base = j * nSamples;
    const idx = presort.subarray(base, base + nSamples);
    for (let i = 0; i < nSamples; i++) idx[i] = i;
    idx.sort((a, b) => xCol[base + a] - xCol[base + b] || a - b);
  }
}

/** Bytes of scratch `treeGrow` needs; the layout is assembly/tree.ts's. */
export function treeWorkLength(
  nSamples: number,
  nFeatures: number,
  nClasses: number,
): number {
  const n = nSamples;
  const d = nFeatures;
  return 24 * nClasses + 24 + 4 * d * n + 4 * n + 16 * (n + 1) + 4 * d + n;
}

/** Views of the scratch buffer, as the Wasm kernel carves its memory. */
interface Work {
  counts: Float64Array;
  left: Float64Array;
  right: Float64Array;
  u: Float64Array;
  state: Uint32Array;
  order: Uint32Array;
  tmp: Uint32Array;
  stack: Int32Array;
  pool: Int32Array;
  mark: Uint8Array;
}

function carve(work: ArrayBuffer, n: number, d: number, K: number): Work {
  let at = 0;
  const take = <T>(make: (offset: number) => T, bytes: number): T => {
    const v = make(at);
    at += bytes;
    return v;
  };
  return {
    counts: take((o) => new Float64Array(work, o, K), 8 * K),
    left: take((o) => new Float64Array(work, o, K), 8 * K),
    right: take((o) => new Float64Array(work, o, K), 8 * K),
    u: take((o) => new Float64Array(work, o, 1), 8),
    state: take((o) => new Uint32Array(work, o, 4), 16),
    order: take((o) => new Uint32Array(work, o, d * n), 4 * d * n),
    tmp: take((o) => new Uint32Array(work, o, n), 4 * n),
    stack: take((o) => new Int32Array(work, o, 4 * (n + 1)), 16 * (n + 1)),
    pool: take((o) => new Int32Array(work, o, d), 4 * d),
    mark: take((o) => new Uint8Array(work, o, n), n),
  };
}

/** A uniform integer in [0, m): floor(u m). */
function drawInt(w: Work, m: number): number {
  rngUniform(w.state, w.u, 1);
  return Math.floor(w.u[0] * m);
}

/** Grows one tree; returns its node count. See assembly/tree.ts `treeGrow`. */
export function treeGrow(
  xCol: Float64Array,
  y: Int32Array,
  presort: Uint32Array,
  xlogx: Float64Array,
  nSamples: number,
  nFeatures: number,
  nClasses: number,
  criterion: number,
  maxDepth: number,
  minSamplesSplit: number,
  minSamplesLeaf: number,
  maxFeatures: number,
  bootstrap: number,
  seed: number,
  weight: Float64Array,
  work: ArrayBuffer,
  feature: Int32Array,
  threshold: Float64Array,
  left: Int32Array,
  right: Int32Array,
  impurity: Float64Array,
  nNodeSamples: Int32Array,
  weighted: Float64Array,
  value: Float64Array,
): number {
  const n = nSamples;
  const d = nFeatures;
  const K = nClasses;
  const w = carve(work, n, d, K);
  rngSeed(w.state, seed);

  // Sample weights: bootstrap counts or all ones.
  if (bootstrap !== 0) {
    weight.fill(0, 0, n);
    for (let i = 0; i < n; i++) weight[drawInt(w, n)] += 1;
  } else {
    weight.fill(1, 0, n);
  }

  // Each feature's segment: the presorted samples of weight > 0.
  let nUsed = 0;
  for (let j = 0; j < d; j++) {
    let q = 0;
    for (let p = 0; p < n; p++) {
      const i = presort[j * n + p];
      if (weight[i] > 0) w.order[j * n + q++] = i;
    }
    nUsed = q;
  }
  for (let j = 0; j < d; j++) w.pool[j] = j;

  // Depth-first growth; the left child is pushed last, so popped first.
  const stack = w.stack;
  stack.set([0, nUsed, 0, -1]);
  let top = 1;
  let nodeCount = 0;
  while (top > 0) {
    top--;
    const start = stack[top * 4];
    const end = stack[top * 4 + 1];
    const depth = stack[top * 4 + 2];
    const parentCode = stack[top * 4 + 3];
    const id = nodeCount++;
    if (parentCode >= 0) {
      (parentCode & 1 ? left : right)[parentCode >> 1] = id;
    }

    // Class counts, impurity and the node's record.
    w.counts.fill(0);
    let wNode = 0;
    for (let p = start; p < end; p++) {
      const i = w.order[p];
      w.counts[y[i]] += weight[i];
      wNode += weight[i];
    }
    const imp = nodeImpurity(w.counts, K, wNode, criterion, xlogx);
    value.set(w.counts, id * K);
    impurity[id] = imp;
    nNodeSamples[id] = end - start;
    weighted[id] = wNode;

    const nNode = end - start;
    let split: Split | null = null;
    if (
      depth < maxDepth &&
      nNode >= minSamplesSplit &&
      nNode >= 2 * minSamplesLeaf &&
      imp > EPSILON
    ) {
      split = findSplit(
        xCol,
        y,
        weight,
        xlogx,
        w,
        n,
        d,
        K,
        criterion,
        minSamplesLeaf,
        maxFeatures,
        start,
        end,
        wNode,
      );
    }
    if (split === null) {
      feature[id] = TREE_UNDEFINED;
      threshold[id] = TREE_UNDEFINED;
      left[id] = TREE_LEAF;
      right[id] = TREE_LEAF;
      continue;
    }
    feature[id] = split.feature;
    threshold[id] = split.threshold;
    partition(w, n, d, split.feature, start, split.pos, end);
    stack.set([split.pos, end, depth + 1, id << 1], top * 4);
    top++;
    stack.set([start, split.pos, depth + 1, (id << 1) | 1], top * 4);
    top++;
  }
  return nodeCount;
}

/** Gini 1 - sum (c/w)^2, or entropy in bits from the c ln c table. */
function nodeImpurity(
  counts: Float64Array,
  K: number,
  w: number,
  criterion: number,
  xlogx: Float64Array,
): number {
  let s = 0;
  if (criterion === CRITERION_CODES.gini) {
    for (let k = 0; k < K; k++) s += counts[k] * counts[k];
    return 1 - s / (w * w);
  }
  for (let k = 0; k < K; k++) s += xlogx[counts[k]];
  return (xlogx[w] - s) / (w * LN2);
}

interface Split {
  feature: number;
  /** first index of the right child in the node's range */
  pos: number;
  threshold: number;
}

/** Best split of the node [start, end), or null; see assembly/tree.ts. */
function findSplit(
  xCol: Float64Array,
  y: Int32Array,
  weight: Float64Array,
  xlogx: Float64Array,
  w: Work,
  n: number,
  d: number,
  K: number,
  criterion: number,
  minSamplesLeaf: number,
  maxFeatures: number,
  start: number,
  end: number,
  wNode: number,
): Split | null {
  const { counts, left, right, pool, order } = w;
  const gini = criterion === CRITERION_CODES.gini;
  let sNode = 0;
  for (let k = 0; k < K; k++) {
    sNode += gini ? counts[k] * counts[k] : xlogx[counts[k]];
  }
  let best: Split | null = null;
  let bestProxy = -Infinity;
  let visited = 0;
  let nConstant = 0;
  let nPool = d;

  // Draw features without replacement from pool[0, nPool).
  while (nPool > 0 && (visited < maxFeatures || visited <= nConstant)) {
    const r = drawInt(w, nPool);
    const f = pool[r];
    nPool--;
    pool[r] = pool[nPool];
    pool[nPool] = f;
    visited++;

    const xf = f * n;
    const seg = f * n;
    const first = xCol[xf + order[seg + start]];
    if (xCol[xf + order[seg + end - 1]] <= first + FEATURE_THRESHOLD) {
      nConstant++;
      continue;
    }

    // Scan: move samples left one by one; score where the value changes.
    left.fill(0);
    right.set(counts);
    let wL = 0;
    let sL = 0;
    let sR = sNode;
    let v = first;
    for (let p = start; p < end - minSamplesLeaf; p++) {
      const i = order[seg + p];
      const wi = weight[i];
      const c = y[i];
      const cl = left[c];
      const cr = right[c];
      left[c] = cl + wi;
      right[c] = cr - wi;
      if (gini) {
        sL += wi * (2 * cl + wi);
        sR -= wi * (2 * cr - wi);
      } else {
        sL += xlogx[cl + wi] - xlogx[cl];
        sR += xlogx[cr - wi] - xlogx[cr];
      }
      wL += wi;
      const vn = xCol[xf + order[seg + p + 1]];
      const vPrev = v;
      v = vn;
      if (vn <= vPrev + FEATURE_THRESHOLD || p + 1 - start < minSamplesLeaf) {
        continue;
      }
      const wR = wNode - wL;
      const proxy = gini ? sL / wL + sR / wR : sL - xlogx[wL] + sR - xlogx[wR];
      if (proxy > bestProxy) {
        bestProxy = proxy;
        let t = vPrev * 0.5 + vn * 0.5;
        if (t === vn || t === Infinity || t === -Infinity) t = vPrev;
        best = { feature: f, pos: p + 1, threshold: t };
      }
    }
  }
  return best;
}

/** Stable two-way partition of every feature's segment; see assembly/tree.ts. */
function partition(
  w: Work,
  n: number,
  d: number,
  f: number,
  start: number,
  pos: number,
  end: number,
): void {
  const { order, tmp, mark } = w;
  for (let p = start; p < end; p++) mark[order[f * n + p]] = p < pos ? 1 : 0;
  for (let j = 0; j < d; j++) {
    if (j === f) continue;
    const seg = j * n;
    let l = start;
    let r = 0;
    for (let p = start; p < end; p++) {
      const i = order[seg + p];
      if (mark[i]) order[seg + l++] = i;
      else tmp[r++] = i;
    }
    order.set(tmp.subarray(0, r), seg + l);
  }
}

/** Averaged leaf class frequencies of a forest; see assembly/tree.ts `forestProba`. */
export function forestProba(
  X: Float64Array,
  nSamples: number,
  nFeatures: number,
  nClasses: number,
  nTrees: number,
  roots: Int32Array,
  feature: Int32Array,
  threshold: Float64Array,
  left: Int32Array,
  right: Int32Array,
  value: Float64Array,
  out: Float64Array,
): void {
  const K = nClasses;
  out.fill(0, 0, nSamples * K);
  for (let i = 0; i < nSamples; i++) {
    const x = i * nFeatures;
    const o = i * K;
    for (let t = 0; t < nTrees; t++) {
      const root = roots[t];
      let node = 0;
      while (left[root + node] !== TREE_LEAF) {
        const a = root + node;
        node = X[x + feature[a]] <= threshold[a] ? left[a] : right[a];
      }
      const v = (root + node) * K;
      let s = 0;
      for (let k = 0; k < K; k++) s += value[v + k];
      for (let k = 0; k < K; k++) out[o + k] += value[v + k] / s;
    }
    for (let k = 0; k < K; k++) out[o + k] /= nTrees;
  }
}

/** Most nodes a tree on nSamples samples can have: 2 nSamples - 1 (at least 1). */
export function maxTreeNodes(nSamples: number): number {
  return Math.max(1, 2 * nSamples - 1);
}

/** X (row-major, nSamples x nFeatures) as a new column-major array. */
export function columnMajor(X: {
  data: Float64Array;
  rows: number;
  cols: number;
}): Float64Array {
  const { data, rows, cols } = X;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out[j * rows + i] = data[i * cols + j];
  }
  return out;
}
