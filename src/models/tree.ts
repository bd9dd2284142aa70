/**
 * A CART decision tree classifier with scikit-learn 1.2's semantics, and
 * the option checks, tree serialisation and importances that the random
 * forest (forest.ts) shares with it.
 */
import {
  getBackend,
  type BackendName,
  type FlatForest,
  type FlatTree,
  type TreeGrowOptions,
} from "../backend.js";
import type { Label } from "../data/dataset.js";
import { encodeLabels } from "../data/labels.js";
import {
  matrix,
  toMatrix,
  type Matrix,
  type MatrixLike,
} from "../data/matrix.js";
import { DataError, NotFittedError } from "../errors.js";
import { accuracy } from "./logistic.js";
import { checkBackend } from "./validation.js";

/** Impurity measures: Gini index or Shannon entropy (bits). */
export type Criterion = "gini" | "entropy";

/**
 * Features drawn at each split: "sqrt" and "log2" of nFeatures (floored,
 * at least 1), an integer count, a fraction in (0, 1) of nFeatures
 * (floored, at least 1), or null for all of them. A whole number is a
 * count, so 1 means one feature: use null for all.
 */
export type MaxFeatures = "sqrt" | "log2" | number | null;

/** Options of {@link DecisionTreeClassifier}; names follow scikit-learn's. */
export interface DecisionTreeOptions {
  /** default "gini" */
  criterion?: Criterion;
  /** deepest level below the root, an integer >= 1; default null (unlimited) */
  maxDepth?: number | null;
  /**
   * a node with fewer samples is not split: an integer >= 2, or a fraction
   * in (0, 1) of nSamples, rounded up; default 2
   */
  minSamplesSplit?: number;
  /**
   * samples each child must keep: an integer >= 1, or a fraction in
   * (0, 1) of nSamples, rounded up; default 1
   */
  minSamplesLeaf?: number;
  /** default null (all features), drawn in random order at each split */
  maxFeatures?: MaxFeatures;
  /** seed (an integer, taken modulo 2^32); default null, a fresh random seed */
  randomState?: number | null;
  /** kernels to run: "wasm" (default) or "ts" */
  backend?: BackendName;
}

/** A tree's arrays as plain JSON; see {@link FlatTree}. */
export interface FlatTreeJSON {
  nodeCount: number;
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  impurity: number[];
  nNodeSamples: number[];
  weightedNNodeSamples: number[];
  value: number[];
}

/** The JSON form of a fitted tree, from `toJSON()`. */
export interface DecisionTreeJSON {
  type: "DecisionTreeClassifier";
  options: Required<DecisionTreeOptions>;
  classes: Label[];
  nFeatures: number;
  tree: FlatTreeJSON;
}

/** Unlimited depth, as the kernels take it. */
export const UNLIMITED_DEPTH = 2 ** 31 - 1;

// ------------------------------------------------------------ option checks

/** @throws RangeError unless "gini" or "entropy" */
export function checkCriterion(value: string): Criterion {
  if (value !== "gini" && value !== "entropy") {
    throw new RangeError(
      `criterion must be one of gini, entropy, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** @throws RangeError unless null or an integer in [1, 2^31 - 1] */
export function checkMaxDepth(value: number | null): number | null {
  if (value === null) return null;
  if (!Number.isInteger(value) || value < 1 || value > UNLIMITED_DEPTH) {
    throw new RangeError(
      `maxDepth must be null or an integer >= 1, got ${value}`,
    );
  }
  return value;
}

/** @throws RangeError unless an integer >= 2 or a fraction in (0, 1) */
export function checkMinSamplesSplit(value: number): number {
  const ok = isFraction(value) || (Number.isInteger(value) && value >= 2);
  if (!ok) {
    throw new RangeError(
      `minSamplesSplit must be an integer >= 2 or a fraction in (0, 1), got ${value}`,
    );
  }
  return value;
}

/** @throws RangeError unless an integer >= 1 or a fraction in (0, 1) */
export function checkMinSamplesLeaf(value: number): number {
  const ok = isFraction(value) || (Number.isInteger(value) && value >= 1);
  if (!ok) {
    throw new RangeError(
      `minSamplesLeaf must be an integer >= 1 or a fraction in (0, 1), got ${value}`,
    );
  }
  return value;
}

/** @throws RangeError unless "sqrt", "log2", null, an integer >= 1 or a fraction in (0, 1) */
export function checkMaxFeatures(value: MaxFeatures): MaxFeatures {
  if (value === null || value === "sqrt" || value === "log2") return value;
  if (
    isFraction(value) ||
    (Number.isInteger(value) && (value as number) >= 1)
  ) {
    return value;
  }
  throw new RangeError(
    `maxFeatures must be "sqrt", "log2", null, an integer >= 1 or a ` +
      `fraction in (0, 1), got ${typeof value === "string" ? JSON.stringify(value) : value}`,
  );
}

/** @throws RangeError unless null or an integer */
export function checkRandomState(value: number | null): number | null {
  if (value !== null && !Number.isInteger(value)) {
    throw new RangeError(
      `randomState must be null or an integer, got ${value}`,
    );
  }
  return value;
}

function isFraction(v: unknown): v is number {
  return typeof v === "number" && v > 0 && v < 1;
}

// ------------------------------------------------------- option resolution

/** The options a tree needs, before they are resolved against the data. */
export interface TreeSettings {
  criterion: Criterion;
  maxDepth: number | null;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  maxFeatures: MaxFeatures;
}

/**
 * Resolves fractions and names against the data as scikit-learn does:
 * fractions of nSamples are rounded up, minSamplesSplit is raised to
 * 2 minSamplesLeaf, maxFeatures fractions and names are floored (>= 1).
 * @throws RangeError when an integer maxFeatures exceeds nFeatures
 */
export function resolveTreeOptions(
  s: TreeSettings,
  nSamples: number,
  nFeatures: number,
  bootstrap: boolean,
): TreeGrowOptions {
  const minSamplesLeaf = isFraction(s.minSamplesLeaf)
    ? Math.ceil(s.minSamplesLeaf * nSamples)
    : s.minSamplesLeaf;
  const split = isFraction(s.minSamplesSplit)
    ? Math.max(2, Math.ceil(s.minSamplesSplit * nSamples))
    : s.minSamplesSplit;
  return {
    criterion: s.criterion,
    maxDepth: s.maxDepth ?? UNLIMITED_DEPTH,
    minSamplesSplit: Math.max(split, 2 * minSamplesLeaf),
    minSamplesLeaf,
    maxFeatures: resolveMaxFeatures(s.maxFeatures, nFeatures),
    bootstrap,
  };
}

function resolveMaxFeatures(m: MaxFeatures, nFeatures: number): number {
  if (m === null) return nFeatures;
  if (m === "sqrt") return Math.max(1, Math.floor(Math.sqrt(nFeatures)));
  if (m === "log2") return Math.max(1, Math.floor(Math.log2(nFeatures)));
  if (isFraction(m)) return Math.max(1, Math.floor(m * nFeatures));
  if (m > nFeatures) {
    throw new RangeError(
      `maxFeatures must be at most nFeatures (${nFeatures}), got ${m}`,
    );
  }
  return m;
}

/** A seed in [0, 2^32): the given one modulo 2^32, or a fresh random one. */
export function baseSeed(randomState: number | null): number {
  if (randomState === null) return Math.floor(Math.random() * 2 ** 32);
  return ((randomState % 2 ** 32) + 2 ** 32) % 2 ** 32;
}

// ------------------------------------------------------------------ inputs

/** Checked training data: X finite with >= 1 row and column, labels encoded. */
export interface TrainingData {
  X: Matrix;
  classes: Label[];
  y: Int32Array;
}

/**
 * Validates X and y for fitting a tree model.
 * @throws TypeError or DataError for unusable inputs
 */
export function checkTrainingData(
  X: MatrixLike,
  y: readonly Label[] | ArrayLike<Label>,
): TrainingData {
  const Xm = toMatrix(X, "X");
  if (Xm.rows < 1) throw new DataError("X must have at least 1 sample, got 0");
  if (Xm.cols < 1) throw new DataError("X must have at least 1 feature, got 0");
  const { classes, indices } = encodeLabels(Array.from(y), "y");
  if (indices.length !== Xm.rows) {
    throw new DataError(
      `y must have one label per row of X (${Xm.rows}), got ${indices.length}`,
    );
  }
  return { X: Xm, classes, y: indices };
}

/** Validates X for prediction against the fitted feature count. */
export function checkPredictX(X: MatrixLike, nFeatures: number): Matrix {
  const Xm = toMatrix(X, "X");
  if (Xm.cols !== nFeatures) {
    throw new DataError(
      `X must have ${nFeatures} features as in fit, got ${Xm.cols}`,
    );
  }
  return Xm;
}

/**
 * Class probabilities from packed trees: the mean over the trees of the
 * leaf class frequencies, nSamples x nClasses in the order of `classes`.
 * What DecisionTreeClassifier and RandomForestClassifier predict with.
 */
export function predictPacked(
  backend: BackendName,
  X: MatrixLike,
  fitted: { nFeatures: number; classes: readonly Label[]; packed: FlatForest },
): Matrix {
  const Xm = checkPredictX(X, fitted.nFeatures);
  const K = fitted.classes.length;
  return matrix(
    Xm.rows,
    K,
    getBackend(backend).forestProba(Xm, fitted.packed, K),
  );
}

// ----------------------------------------------------- trees as flat data

/** Concatenates trees for `Backend.forestProba`. */
export function packForest(
  trees: readonly FlatTree[],
  nClasses: number,
): FlatForest {
  const total = trees.reduce((s, t) => s + t.nodeCount, 0);
  const roots = new Int32Array(trees.length);
  const feature = new Int32Array(total);
  const threshold = new Float64Array(total);
  const left = new Int32Array(total);
  const right = new Int32Array(total);
  const value = new Float64Array(total * nClasses);
  let at = 0;
  trees.forEach((t, k) => {
    roots[k] = at;
    feature.set(t.feature, at);
    threshold.set(t.threshold, at);
    left.set(t.left, at);
    right.set(t.right, at);
    value.set(t.value, at * nClasses);
    at += t.nodeCount;
  });
  return {
    nTrees: trees.length,
    roots,
    feature,
    threshold,
    left,
    right,
    value,
  };
}

/**
 * Normalised total impurity decrease per feature, scikit-learn's
 * `feature_importances_` of one tree: each split adds
 * w imp - wL impL - wR impR to its feature; the totals are divided by their
 * sum (all zeros for a single leaf).
 */
export function treeImportances(t: FlatTree, nFeatures: number): Float64Array {
  const imp = new Float64Array(nFeatures);
  const w = t.weightedNNodeSamples;
  for (let a = 0; a < t.nodeCount; a++) {
    const l = t.left[a];
    if (l < 0) continue;
    const r = t.right[a];
    imp[t.feature[a]] +=
      w[a] * t.impurity[a] - w[l] * t.impurity[l] - w[r] * t.impurity[r];
  }
  return normalise(imp);
}

/** Divides by the sum when it is positive; leaves zeros otherwise. */
export function normalise(v: Float64Array): Float64Array {
  const s = v.reduce((a, b) => a + b, 0);
  if (s > 0) for (let j = 0; j < v.length; j++) v[j] /= s;
  return v;
}

/** Plain-JSON copy of a tree. */
export function treeToJSON(t: FlatTree): FlatTreeJSON {
  return {
    nodeCount: t.nodeCount,
    feature: Array.from(t.feature),
    threshold: Array.from(t.threshold),
    left: Array.from(t.left),
    right: Array.from(t.right),
    impurity: Array.from(t.impurity),
    nNodeSamples: Array.from(t.nNodeSamples),
    weightedNNodeSamples: Array.from(t.weightedNNodeSamples),
    value: Array.from(t.value),
  };
}

/**
 * Rebuilds a tree from {@link treeToJSON}, checking that it is well formed
 * (lengths, features in range, children inside the tree and after their
 * parent), so that prediction cannot loop or read out of bounds.
 * @throws RangeError or TypeError for a malformed tree
 */
export function treeFromJSON(
  j: FlatTreeJSON,
  nFeatures: number,
  nClasses: number,
  name = "json.tree",
): FlatTree {
  if (!j || typeof j !== "object")
    throw new TypeError(`${name} must be an object`);
  const m = j.nodeCount;
  if (!Number.isInteger(m) || m < 1) {
    throw new RangeError(`${name}.nodeCount must be an integer >= 1, got ${m}`);
  }
  const arr = <T>(
    key: keyof FlatTreeJSON,
    make: (a: number[]) => T,
    len = m,
  ): T => {
    const a = j[key];
    if (!Array.isArray(a) || a.length !== len) {
      throw new RangeError(
        `${name}.${key} must be an array of ${len} numbers, got ` +
          `${Array.isArray(a) ? `length ${a.length}` : typeof a}`,
      );
    }
    // every entry a finite number: "NaN" strings or nulls would otherwise
    // become NaN thresholds or class frequencies and predict silently
    const bad = (a as unknown[]).findIndex(
      (v) => typeof v !== "number" || !Number.isFinite(v),
    );
    if (bad >= 0) {
      throw new TypeError(
        `${name}.${key}[${bad}] must be a finite number, got ${JSON.stringify(a[bad])}`,
      );
    }
    return make(a);
  };
  const t: FlatTree = {
    nodeCount: m,
    feature: arr("feature", (a) => Int32Array.from(a)),
    threshold: arr("threshold", (a) => Float64Array.from(a)),
    left: arr("left", (a) => Int32Array.from(a)),
    right: arr("right", (a) => Int32Array.from(a)),
    impurity: arr("impurity", (a) => Float64Array.from(a)),
    nNodeSamples: arr("nNodeSamples", (a) => Int32Array.from(a)),
    weightedNNodeSamples: arr("weightedNNodeSamples", (a) =>
      Float64Array.from(a),
    ),
    value: arr("value", (a) => Float64Array.from(a), m * nClasses),
  };
  for (let a = 0; a < m; a++) {
    const l = t.left[a];
    const r = t.right[a];
    const leaf = l === -1 && r === -1;
    const inner =
      l > a &&
      l < m &&
      r > a &&
      r < m &&
      t.feature[a] >= 0 &&
      t.feature[a] < nFeatures;
    if (!leaf && !inner) {
      throw new RangeError(`${name} node ${a} has invalid children or feature`);
    }
  }
  return t;
}

// ------------------------------------------------------------- the model

interface FittedTree {
  classes: Label[];
  nFeatures: number;
  tree: FlatTree;
  packed: FlatForest;
}

/**
 * A decision tree classifier (CART): scikit-learn's DecisionTreeClassifier
 * semantics for the options above, with its own random stream (the same
 * seed gives the same tree on both backends, not scikit-learn's tree).
 *
 * Grown in Wasm by default; X is copied into Wasm memory and presorted
 * once per fit, and only the grown nodes are copied out.
 */
export class DecisionTreeClassifier {
  readonly options: Required<DecisionTreeOptions>;
  private fitted: FittedTree | null = null;

  /** @throws RangeError for an out-of-range option */
  constructor(options: DecisionTreeOptions = {}) {
    const {
      criterion = "gini",
      maxDepth = null,
      minSamplesSplit = 2,
      minSamplesLeaf = 1,
      maxFeatures = null,
      randomState = null,
      backend = "wasm",
    } = options;
    this.options = {
      criterion: checkCriterion(criterion),
      maxDepth: checkMaxDepth(maxDepth),
      minSamplesSplit: checkMinSamplesSplit(minSamplesSplit),
      minSamplesLeaf: checkMinSamplesLeaf(minSamplesLeaf),
      maxFeatures: checkMaxFeatures(maxFeatures),
      randomState: checkRandomState(randomState),
      backend: checkBackend(backend),
    };
  }

  /**
   * Grows the tree on all rows (no bootstrap).
   * @param X nSamples x nFeatures, finite values
   * @param y nSamples labels (numbers or strings); one class is fine
   * @throws TypeError, DataError or RangeError for unusable inputs
   */
  fit(X: MatrixLike, y: readonly Label[] | ArrayLike<Label>): this {
    const data = checkTrainingData(X, y);
    const grow = resolveTreeOptions(
      this.options,
      data.X.rows,
      data.X.cols,
      false,
    );
    const K = data.classes.length;
    const builder = getBackend(this.options.backend).treeBuilder(
      data.X,
      data.y,
      K,
    );
    try {
      const { tree } = builder.grow(grow, baseSeed(this.options.randomState));
      this.setFitted(data.classes, data.X.cols, tree);
    } finally {
      builder.dispose();
    }
    return this;
  }

  private setFitted(classes: Label[], nFeatures: number, tree: FlatTree): void {
    const packed = packForest([tree], classes.length);
    this.fitted = { classes, nFeatures, tree, packed };
  }

  private model(): FittedTree {
    if (!this.fitted) throw new NotFittedError("DecisionTreeClassifier");
    return this.fitted;
  }

  /** Leaf class frequencies, nSamples x nClasses in the order of `classes`. */
  predictProba(X: MatrixLike): Matrix {
    return predictPacked(this.options.backend, X, this.model());
  }

  /** The most frequent class of each row's leaf (ties to the first class). */
  predict(X: MatrixLike): Label[] {
    return argmaxLabels(this.predictProba(X), this.model().classes);
  }

  /** Mean accuracy of `predict(X)` against `y`. */
  score(X: MatrixLike, y: readonly Label[] | ArrayLike<Label>): number {
    return accuracy(Array.from(y), this.predict(X));
  }

  /** The class labels, sorted. */
  get classes(): Label[] {
    return [...this.model().classes];
  }

  /** The fitted tree's flat arrays (not copies: do not modify). */
  get tree(): FlatTree {
    return this.model().tree;
  }

  /** Normalised impurity decrease per feature; zeros for a single leaf. */
  get featureImportances(): Float64Array {
    const m = this.model();
    return treeImportances(m.tree, m.nFeatures);
  }

  /** Levels below the root of the deepest leaf. */
  get depth(): number {
    return treeDepth(this.model().tree);
  }

  /** Number of leaves. */
  get nLeaves(): number {
    return this.model().tree.left.filter((l) => l < 0).length;
  }

  /** A plain-JSON snapshot of the fitted tree. */
  toJSON(): DecisionTreeJSON {
    const m = this.model();
    return {
      type: "DecisionTreeClassifier",
      options: { ...this.options },
      classes: [...m.classes],
      nFeatures: m.nFeatures,
      tree: treeToJSON(m.tree),
    };
  }

  /**
   * Rebuilds a fitted tree from `toJSON()` output.
   * @throws TypeError or RangeError for a malformed object
   */
  static fromJSON(json: DecisionTreeJSON): DecisionTreeClassifier {
    if (!json || json.type !== "DecisionTreeClassifier") {
      throw new TypeError(
        "json must come from DecisionTreeClassifier.toJSON()",
      );
    }
    const model = new DecisionTreeClassifier(json.options);
    const classes = [...json.classes];
    const tree = treeFromJSON(json.tree, json.nFeatures, classes.length);
    model.setFitted(classes, json.nFeatures, tree);
    return model;
  }
}

/** Levels below the root of a tree's deepest leaf. */
export function treeDepth(t: FlatTree): number {
  const depth = new Int32Array(t.nodeCount);
  let max = 0;
  for (let a = 0; a < t.nodeCount; a++) {
    if (t.left[a] < 0) continue;
    depth[t.left[a]] = depth[a] + 1;
    depth[t.right[a]] = depth[a] + 1;
    max = Math.max(max, depth[a] + 1);
  }
  return max;
}

/** classes[argmax] of each row of P (first maximum on ties). */
export function argmaxLabels(P: Matrix, classes: readonly Label[]): Label[] {
  const out: Label[] = new Array(P.rows);
  for (let i = 0; i < P.rows; i++) {
    let best = 0;
    for (let k = 1; k < P.cols; k++) {
      if (P.data[i * P.cols + k] > P.data[i * P.cols + best]) best = k;
    }
    out[i] = classes[best];
  }
  return out;
}
