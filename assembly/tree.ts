// Decision trees (CART, Breiman et al. 1984, ch. 2-4) grown depth first on
// samples presorted once per feature. Reference twin: src/kernels/tree.ts,
// which grows the identical tree from the same seed.
//
// Data layout (the wrapper src/wasm/tree.ts has checked every length):
//   xCol     f64 [nFeatures * nSamples], column-major X (feature j at j * n)
//   y        i32 [nSamples], class index of each sample
//   presort  u32 [nFeatures * nSamples], per feature the sample indices in
//            ascending order of value, ties by index (treePresort)
//   xlogx    f64 [nSamples + 1], k ln k for k = 0..n (treeXlogx)
// A node owns the same contiguous range [start, end) of every feature's
// segment of `order`; each segment lists the node's samples sorted by that
// feature. Splitting a node stably partitions every segment, so children
// stay sorted and no node ever sorts. Cost per tree: O(nFeatures n) per
// level of depth for the partitions, O(maxFeatures n) per level for scans.

import { rngSeed, rngUniform } from "./rng";


// Values closer than this count as equal when looking for split points, as
// in scikit-learn's splitter (FEATURE_THRESHOLD there).
const FEATURE_THRESHOLD: f64 = 1e-7;
// A node whose impurity is at most this is pure and becomes a leaf.
const EPSILON: f64 = 2.220446049250313e-16; // 2^-52
const LN2: f64 = 0.6931471805599453; // ln 2
const GINI: i32 = 0;
const TREE_LEAF: i32 = -1; // children of a leaf
const TREE_UNDEFINED: i32 = -2; // feature and threshold of a leaf

// The best split found by findSplit (one instance, one thread).
let bestFeature: i32 = -1;
let bestPos: i32 = 0;
let bestThreshold: f64 = 0.0;

@inline
function ldU32(base: usize, i: i32): u32 {
  return load<u32>(base + (<usize>i << 2));
}

@inline
function stU32(base: usize, i: i32, v: u32): void {
  store<u32>(base + (<usize>i << 2), v);
}

@inline
function ldI32(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2));
}

@inline
function stI32(base: usize, i: i32, v: i32): void {
  store<i32>(base + (<usize>i << 2), v);
}

@inline
function ldF64(base: usize, i: i32): f64 {
  return load<f64>(base + (<usize>i << 3));
}

@inline
function stF64(base: usize, i: i32, v: f64): void {
  store<f64>(base + (<usize>i << 3), v);
}

// Double-double arithmetic (Dekker 1971) for treeXlogx: a value is hi + lo,
// about 106 bits. Each helper returns hi and leaves lo in `ddLo`, as the
// twin (src/kernels/tree.ts) does, operation for operation.
const SPLITTER: f64 = 134217729; // 2^27 + 1, Veltkamp's splitting constant
const ATANH_CUTOFF: f64 = 1.925929944387236e-34; // 2^-112
let ddLo: f64 = 0;

/** hi + lo = a + b exactly (Knuth's two-sum). */
@inline
function twoSum(a: f64, b: f64): f64 {
  const s = a + b;
  const v = s - a;
  ddLo = a - (s - v) + (b - v);
  return s;
}

/** hi + lo = a b exactly (Dekker's product with Veltkamp's split). */
@inline
function twoProd(a: f64, b: f64): f64 {
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
@inline
function ddAdd(ah: f64, al: f64, bh: f64, bl: f64): f64 {
  const s = twoSum(ah, bh);
  const e = ddLo + al + bl;
  const hi = s + e;
  ddLo = e - (hi - s);
  return hi;
}

/** (ah + al) (bh + bl), to about 106 bits. */
@inline
function ddMul(ah: f64, al: f64, bh: f64, bl: f64): f64 {
  const p = twoProd(ah, bh);
  const e = ddLo + (ah * bl + al * bh);
  const hi = p + e;
  ddLo = e - (hi - p);
  return hi;
}

/** (ah + al) / d for an integer d < 2^53, to about 106 bits. */
@inline
function ddDivInt(ah: f64, al: f64, d: f64): f64 {
  const q1 = ah / d;
  const p = twoProd(q1, d);
  const r = ah - p - ddLo + al;
  const q2 = r / d;
  const hi = q1 + q2;
  ddLo = q2 - (hi - q1);
  return hi;
}

/**
 * Writes k ln k for k = 0..n to `outPtr` (0 ln 0 = 0), ln k summed in
 * double-double as ln(k - 1) + 2 atanh(1 / (2k - 1)) and rounded once:
 * the same bits in every engine, unlike the hosts' Math.log. Twin and
 * error analysis: src/kernels/tree.ts treeXlogx.
 */
export function treeXlogx(outPtr: usize, n: i32): void {
  stF64(outPtr, 0, 0.0);
  let lnHi = 0.0;
  let lnLo = 0.0;
  for (let k = 1; k <= n; k++) {
    if (k > 1) {
      const q = <f64>(2 * k - 1);
      const sHi = 1.0 / q;
      const qs = twoProd(q, sHi);
      const sLo = (1.0 - qs - ddLo) / q;
      const s2Hi = ddMul(sHi, sLo, sHi, sLo);
      const s2Lo = ddLo;
      let pHi = sHi;
      let pLo = sLo;
      let sumHi = sHi;
      let sumLo = sLo;
      for (let j = 1; pHi > ATANH_CUTOFF; j++) {
        pHi = ddMul(pHi, pLo, s2Hi, s2Lo);
        pLo = ddLo;
        const tHi = ddDivInt(pHi, pLo, <f64>(2 * j + 1));
        sumHi = ddAdd(sumHi, sumLo, tHi, ddLo);
        sumLo = ddLo;
      }
      lnHi = ddAdd(lnHi, lnLo, 2.0 * sumHi, 2.0 * sumLo);
      lnLo = ddLo;
    }
    stF64(outPtr, k, <f64>k * (lnHi + lnLo));
  }
}

/**
 * Sorts the sample indices of every feature by value, ties by index, into
 * `presortPtr` (u32 [nFeatures * nSamples]). Bottom-up merge sort through
 * `scratchPtr` (u32 [nSamples]) after insertion-sorting runs of 16.
 * The order is a total one, so any correct sort gives the same result.
 */
export function treePresort(
  xColPtr: usize,
  nSamples: i32,
  nFeatures: i32,
  presortPtr: usize,
  scratchPtr: usize,
): void {
  for (let j = 0; j < nFeatures; j++) {
    const xf = xColPtr + ((<usize>j * <usize>nSamples) << 3);
    const idx = presortPtr + ((<usize>j * <usize>nSamples) << 2);
    for (let i = 0; i < nSamples; i++) stU32(idx, i, <u32>i);
    sortByValue(xf, idx, scratchPtr, nSamples);
  }
}

/** a before b in the presort order: smaller value, then smaller index. */
@inline
function before(xf: usize, a: u32, b: u32): bool {
  const va = ldF64(xf, <i32>a);
  const vb = ldF64(xf, <i32>b);
  return va < vb || (va == vb && a < b);
}

function sortByValue(xf: usize, idx: usize, scratch: usize, n: i32): void {
  const RUN = 16;
  for (let lo = 0; lo < n; lo += RUN) {
    const hi = min(lo + RUN, n);
    for (let i = lo + 1; i < hi; i++) {
      const v = ldU32(idx, i);
      let k = i - 1;
      while (k >= lo && before(xf, v, ldU32(idx, k))) {
        stU32(idx, k + 1, ldU32(idx, k));
        k--;
      }
      stU32(idx, k + 1, v);
    }
  }

  // Merge runs of doubling width, ping-ponging between idx and scratch.
  let src = idx;
  let dst = scratch;
  for (let width = RUN; width < n; width <<= 1) {
    for (let lo = 0; lo < n; lo += width << 1) {
      const mid = min(lo + width, n);
      const hi = min(lo + (width << 1), n);
      let a = lo;
      let b = mid;
      for (let k = lo; k < hi; k++) {
        if (a < mid && (b >= hi || !before(xf, ldU32(src, b), ldU32(src, a)))) {
          stU32(dst, k, ldU32(src, a++));
        } else {
          stU32(dst, k, ldU32(src, b++));
        }
      }
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src != idx) memory.copy(idx, src, <usize>n << 2);
}

/**
 * Bytes of scratch `treeGrow` needs, laid out as: f64 [3 nClasses] class
 * counts (node, left, right), f64 [1] uniform draw, u32 [4] generator
 * state, u32 [nFeatures * nSamples] order, u32 [nSamples] partition
 * buffer, i32 [4 (nSamples + 1)] stack, i32 [nFeatures] feature pool,
 * u8 [nSamples] side marks.
 */
export function treeWorkLength(nSamples: i32, nFeatures: i32, nClasses: i32): f64 {
  const n = <f64>nSamples;
  const d = <f64>nFeatures;
  return 24.0 * <f64>nClasses + 24.0 + 4.0 * d * n + 4.0 * n + 16.0 * (n + 1.0) + 4.0 * d + n;
}

/** A uniform integer in [0, m): floor(u m) with u uniform on [0, 1). */
@inline
function drawInt(statePtr: usize, uPtr: usize, m: i32): i32 {
  rngUniform(statePtr, uPtr, 1);
  return <i32>Math.floor(load<f64>(uPtr) * <f64>m);
}

/**
 * Grows one classification tree; returns its node count. Nodes are
 * numbered in depth-first preorder (left subtree first), as scikit-learn's
 * depth-first builder numbers them. Outputs per node: split feature and
 * threshold (TREE_UNDEFINED = -2 for leaves; x <= threshold goes left),
 * children (TREE_LEAF = -1 for leaves), impurity, samples, weighted
 * samples and the weighted class counts (value, nClasses per node). The
 * output arrays need room for 2 nSamples - 1 nodes.
 *
 * With `bootstrap`, nSamples rows are drawn with replacement and each row's
 * count is its weight (written to `weightPtr`); rows never drawn take no
 * part. `maxFeatures` features are drawn without replacement at each node;
 * constant ones do not stop the search until one non-constant feature has
 * been scanned (scikit-learn's BestSplitter rule). A candidate split lies
 * between consecutive distinct values of the node's samples, at their
 * midpoint, and leaves at least `minSamplesLeaf` samples on either side;
 * the best one maximises the impurity decrease (first found on ties).
 */
export function treeGrow(
  xColPtr: usize,
  yPtr: usize,
  presortPtr: usize,
  xlogxPtr: usize,
  nSamples: i32,
  nFeatures: i32,
  nClasses: i32,
  criterion: i32,
  maxDepth: i32,
  minSamplesSplit: i32,
  minSamplesLeaf: i32,
  maxFeatures: i32,
  bootstrap: i32,
  seed: u32,
  weightPtr: usize,
  workPtr: usize,
  featurePtr: usize,
  thresholdPtr: usize,
  leftPtr: usize,
  rightPtr: usize,
  impurityPtr: usize,
  nNodeSamplesPtr: usize,
  weightedPtr: usize,
  valuePtr: usize,
): i32 {
  const n = nSamples;
  const d = nFeatures;
  const K = nClasses;
  const countsPtr = workPtr;
  const uPtr = countsPtr + ((<usize>K * 3) << 3);
  const statePtr = uPtr + 8;
  const orderPtr = statePtr + 16;
  const tmpPtr = orderPtr + ((<usize>d * <usize>n) << 2);
  const stackPtr = tmpPtr + (<usize>n << 2);
  const poolPtr = stackPtr + ((<usize>(n + 1) * 4) << 2);
  const markPtr = poolPtr + (<usize>d << 2);
  rngSeed(statePtr, seed);

  // Sample weights: bootstrap counts or all ones.
  if (bootstrap != 0) {
    memory.fill(weightPtr, 0, <usize>n << 3);
    for (let i = 0; i < n; i++) {
      const k = drawInt(statePtr, uPtr, n);
      stF64(weightPtr, k, ldF64(weightPtr, k) + 1.0);
    }
  } else {
    for (let i = 0; i < n; i++) stF64(weightPtr, i, 1.0);
  }

  // Each feature's segment: the presorted samples of weight > 0.
  let nUsed = 0;
  for (let j = 0; j < d; j++) {
    const src = presortPtr + ((<usize>j * <usize>n) << 2);
    const dst = orderPtr + ((<usize>j * <usize>n) << 2);
    let q = 0;
    for (let p = 0; p < n; p++) {
      const i = ldU32(src, p);
      if (ldF64(weightPtr, <i32>i) > 0.0) stU32(dst, q++, i);
    }
    nUsed = q;
  }
  for (let j = 0; j < d; j++) stI32(poolPtr, j, j);

  // Depth-first growth from an explicit stack of (start, end, depth,
  // parent * 2 + isLeft); the left child is pushed last, so popped first.
  let top = 0;
  stI32(stackPtr, 0, 0);
  stI32(stackPtr, 1, nUsed);
  stI32(stackPtr, 2, 0);
  stI32(stackPtr, 3, -1);
  top = 1;
  let nodeCount = 0;
  while (top > 0) {
    top--;
    const start = ldI32(stackPtr, top * 4);
    const end = ldI32(stackPtr, top * 4 + 1);
    const depth = ldI32(stackPtr, top * 4 + 2);
    const parentCode = ldI32(stackPtr, top * 4 + 3);
    const id = nodeCount++;
    if (parentCode >= 0) {
      stI32((parentCode & 1) != 0 ? leftPtr : rightPtr, parentCode >> 1, id);
    }

    // Class counts, impurity and the node's record.
    memory.fill(countsPtr, 0, <usize>K << 3);
    let w = 0.0;
    for (let p = start; p < end; p++) {
      const i = <i32>ldU32(orderPtr, p);
      const wi = ldF64(weightPtr, i);
      const c = ldI32(yPtr, i);
      stF64(countsPtr, c, ldF64(countsPtr, c) + wi);
      w += wi;
    }
    const impurity = nodeImpurity(countsPtr, K, w, criterion, xlogxPtr);
    const value = valuePtr + ((<usize>id * <usize>K) << 3);
    memory.copy(value, countsPtr, <usize>K << 3);
    stF64(impurityPtr, id, impurity);
    stI32(nNodeSamplesPtr, id, end - start);
    stF64(weightedPtr, id, w);

    const nNode = end - start;
    let isLeaf =
      depth >= maxDepth ||
      nNode < minSamplesSplit ||
      nNode < 2 * minSamplesLeaf ||
      impurity <= EPSILON;
    if (!isLeaf) {
      findSplit(
        xColPtr, yPtr, weightPtr, xlogxPtr, orderPtr, n, d, K, criterion,
        minSamplesLeaf, maxFeatures, start, end, w, countsPtr, poolPtr,
        statePtr, uPtr,
      );
      isLeaf = bestFeature < 0;
    }
    if (isLeaf) {
      stI32(featurePtr, id, TREE_UNDEFINED);
      stF64(thresholdPtr, id, <f64>TREE_UNDEFINED);
      stI32(leftPtr, id, TREE_LEAF);
      stI32(rightPtr, id, TREE_LEAF);
      continue;
    }
    const f = bestFeature;
    const pos = bestPos;
    stI32(featurePtr, id, f);
    stF64(thresholdPtr, id, bestThreshold);
    partition(orderPtr, tmpPtr, markPtr, n, d, f, start, pos, end);

    stI32(stackPtr, top * 4, pos);
    stI32(stackPtr, top * 4 + 1, end);
    stI32(stackPtr, top * 4 + 2, depth + 1);
    stI32(stackPtr, top * 4 + 3, id << 1);
    top++;
    stI32(stackPtr, top * 4, start);
    stI32(stackPtr, top * 4 + 1, pos);
    stI32(stackPtr, top * 4 + 2, depth + 1);
    stI32(stackPtr, top * 4 + 3, (id << 1) | 1);
    top++;
  }
  return nodeCount;
}

/**
 * Gini: 1 - sum_k (c_k / w)^2. Entropy in bits:
 * -sum_k (c_k / w) log2(c_k / w) = (w ln w - sum_k c_k ln c_k) / (w ln 2),
 * with the integer counts' c ln c read from the table.
 */
function nodeImpurity(
  countsPtr: usize,
  K: i32,
  w: f64,
  criterion: i32,
  xlogxPtr: usize,
): f64 {
  let s = 0.0;
  if (criterion == GINI) {
    for (let k = 0; k < K; k++) {
      const c = ldF64(countsPtr, k);
      s += c * c;
    }
    return 1.0 - s / (w * w);
  }
  for (let k = 0; k < K; k++) s += ldF64(xlogxPtr, <i32>ldF64(countsPtr, k));
  return (ldF64(xlogxPtr, <i32>w) - s) / (w * LN2);
}

/**
 * Best split of the node [start, end); sets bestFeature (-1 if none),
 * bestPos (first index of the right child) and bestThreshold.
 *
 * Candidates are ranked by a proxy of the impurity decrease that drops the
 * node's own term: Gini, sum_k cL_k^2 / wL + sum_k cR_k^2 / wR (equal to
 * -(wL giniL + wR giniR) + w); entropy, the same with sum_k c ln c - w ln w
 * per side. Gini's sums of squares are updated incrementally by
 * (c + a)^2 - c^2 = a (2c + a), exact for integer weights.
 */
function findSplit(
  xColPtr: usize,
  yPtr: usize,
  weightPtr: usize,
  xlogxPtr: usize,
  orderPtr: usize,
  n: i32,
  d: i32,
  K: i32,
  criterion: i32,
  minSamplesLeaf: i32,
  maxFeatures: i32,
  start: i32,
  end: i32,
  wNode: f64,
  countsPtr: usize,
  poolPtr: usize,
  statePtr: usize,
  uPtr: usize,
): void {
  const leftPtr = countsPtr + (<usize>K << 3);
  const rightPtr = leftPtr + (<usize>K << 3);
  const gini = criterion == GINI;
  let sNode = 0.0;
  for (let k = 0; k < K; k++) {
    const c = ldF64(countsPtr, k);
    sNode += gini ? c * c : ldF64(xlogxPtr, <i32>c);
  }
  bestFeature = -1;
  let best = -Infinity;
  let visited = 0;
  let nConstant = 0;
  let pool = d;

  // Draw features without replacement from pool[0, pool).
  while (pool > 0 && (visited < maxFeatures || visited <= nConstant)) {
    const r = drawInt(statePtr, uPtr, pool);
    const f = ldI32(poolPtr, r);
    pool--;
    stI32(poolPtr, r, ldI32(poolPtr, pool));
    stI32(poolPtr, pool, f);
    visited++;

    const xf = xColPtr + ((<usize>f * <usize>n) << 3);
    const seg = orderPtr + ((<usize>f * <usize>n) << 2);
    const first = ldF64(xf, <i32>ldU32(seg, start));
    if (ldF64(xf, <i32>ldU32(seg, end - 1)) <= first + FEATURE_THRESHOLD) {
      nConstant++;
      continue;
    }

    // Scan: move samples left one by one; score where the value changes.
    memory.fill(leftPtr, 0, <usize>K << 3);
    memory.copy(rightPtr, countsPtr, <usize>K << 3);
    let wL = 0.0;
    let sL = 0.0;
    let sR = sNode;
    let v = first;
    const lastPos = end - minSamplesLeaf;
    for (let p = start; p < lastPos; p++) {
      const i = <i32>ldU32(seg, p);
      const wi = ldF64(weightPtr, i);
      const c = ldI32(yPtr, i);
      const cl = ldF64(leftPtr, c);
      const cr = ldF64(rightPtr, c);
      stF64(leftPtr, c, cl + wi);
      stF64(rightPtr, c, cr - wi);
      if (gini) {
        sL += wi * (2.0 * cl + wi);
        sR -= wi * (2.0 * cr - wi);
      } else {
        sL += ldF64(xlogxPtr, <i32>(cl + wi)) - ldF64(xlogxPtr, <i32>cl);
        sR += ldF64(xlogxPtr, <i32>(cr - wi)) - ldF64(xlogxPtr, <i32>cr);
      }
      wL += wi;
      const vn = ldF64(xf, <i32>ldU32(seg, p + 1));
      const vPrev = v;
      v = vn;
      if (vn <= vPrev + FEATURE_THRESHOLD || p + 1 - start < minSamplesLeaf) {
        continue;
      }
      const wR = wNode - wL;
      const proxy = gini
        ? sL / wL + sR / wR
        : sL - ldF64(xlogxPtr, <i32>wL) + sR - ldF64(xlogxPtr, <i32>wR);
      if (proxy > best) {
        best = proxy;
        bestFeature = f;
        bestPos = p + 1;
        let t = vPrev * 0.5 + vn * 0.5;
        if (t == vn || t == Infinity || t == -Infinity) t = vPrev;
        bestThreshold = t;
      }
    }
  }
}

/**
 * Splits every feature's segment [start, end) into the samples of the
 * split feature's first pos - start entries, then the rest, keeping each
 * part's order (so each stays sorted). Branch-free: every sample is
 * written to both the left cursor and the right buffer, and the side mark
 * advances one of them.
 */
function partition(
  orderPtr: usize,
  tmpPtr: usize,
  markPtr: usize,
  n: i32,
  d: i32,
  f: i32,
  start: i32,
  pos: i32,
  end: i32,
): void {
  const segF = orderPtr + ((<usize>f * <usize>n) << 2);
  for (let p = start; p < pos; p++) store<u8>(markPtr + <usize>ldU32(segF, p), 1);
  for (let p = pos; p < end; p++) store<u8>(markPtr + <usize>ldU32(segF, p), 0);
  for (let j = 0; j < d; j++) {
    if (j == f) continue;
    const seg = orderPtr + ((<usize>j * <usize>n) << 2);
    let l = start;
    let r = 0;
    for (let p = start; p < end; p++) {
      const i = ldU32(seg, p);
      const m = <i32>load<u8>(markPtr + <usize>i);
      stU32(seg, l, i);
      stU32(tmpPtr, r, i);
      l += m;
      r += 1 - m;
    }
    memory.copy(seg + (<usize>l << 2), tmpPtr, <usize>r << 2);
  }
}

/**
 * Class probabilities of a forest, averaged over its trees: for each row
 * of X (row-major, nSamples x nFeatures) and each tree, the leaf reached
 * (x[feature] <= threshold goes left) gives value / sum(value); the sum
 * over trees, divided by nTrees, is written to `outPtr` (nSamples x
 * nClasses). Trees are concatenated; tree t's nodes start at roots[t] and
 * its child indices are relative to that.
 */
export function forestProba(
  xPtr: usize,
  nSamples: i32,
  nFeatures: i32,
  nClasses: i32,
  nTrees: i32,
  rootsPtr: usize,
  featurePtr: usize,
  thresholdPtr: usize,
  leftPtr: usize,
  rightPtr: usize,
  valuePtr: usize,
  outPtr: usize,
): void {
  const K = nClasses;
  memory.fill(outPtr, 0, (<usize>nSamples * <usize>K) << 3);
  for (let i = 0; i < nSamples; i++) {
    const x = xPtr + ((<usize>i * <usize>nFeatures) << 3);
    const out = outPtr + ((<usize>i * <usize>K) << 3);
    for (let t = 0; t < nTrees; t++) {
      const root = ldI32(rootsPtr, t);
      let node = 0;
      let left = ldI32(leftPtr, root);
      while (left != TREE_LEAF) {
        const f = ldI32(featurePtr, root + node);
        node = ldF64(x, f) <= ldF64(thresholdPtr, root + node)
          ? left
          : ldI32(rightPtr, root + node);
        left = ldI32(leftPtr, root + node);
      }
      const value = valuePtr + ((<usize>(root + node) * <usize>K) << 3);
      let s = 0.0;
      for (let k = 0; k < K; k++) s += ldF64(value, k);
      for (let k = 0; k < K; k++) stF64(out, k, ldF64(out, k) + ldF64(value, k) / s);
    }
    const nT = <f64>nTrees;
    for (let k = 0; k < K; k++) stF64(out, k, ldF64(out, k) / nT);
  }
}
