/**
 * A random forest classifier with scikit-learn 1.2's semantics: bootstrap
 * samples, features drawn afresh at every split, probabilities averaged
 * over the trees.
 */
import { getBackend, type BackendName, type FlatForest, type FlatTree } from "../backend.js";
import type { Label } from "../data/dataset.js";
import { matrix, takeRows, type Matrix, type MatrixLike } from "../data/matrix.js";
import { NotFittedError } from "../errors.js";
import { accuracy } from "./logistic.js";
import {
  argmaxLabels,
  baseSeed,
  checkCriterion,
  checkMaxDepth,
  checkMaxFeatures,
  checkMinSamplesLeaf,
  checkMinSamplesSplit,
  checkPredictX,
  checkRandomState,
  checkTrainingData,
  normalise,
  packForest,
  resolveTreeOptions,
  treeFromJSON,
  treeImportances,
  treeToJSON,
  type Criterion,
  type FlatTreeJSON,
  type MaxFeatures,
} from "./tree.js";
import { checkBackend, checkInteger } from "./validation.js";

/** Options of {@link RandomForestClassifier}; names follow scikit-learn's. */
export interface RandomForestOptions {
  /** number of trees, an integer >= 1; default 100 */
  nEstimators?: number;
  /** default "gini" */
  criterion?: Criterion;
  /** deepest level below the root, an integer >= 1; default null (unlimited) */
  maxDepth?: number | null;
  /** an integer >= 2 or a fraction in (0, 1) of nSamples; default 2 */
  minSamplesSplit?: number;
  /** an integer >= 1 or a fraction in (0, 1) of nSamples; default 1 */
  minSamplesLeaf?: number;
  /** features drawn at each split; default "sqrt" (see {@link MaxFeatures}) */
  maxFeatures?: MaxFeatures;
  /** grow each tree on nSamples rows drawn with replacement; default true */
  bootstrap?: boolean;
  /** compute the out-of-bag accuracy (needs bootstrap); default false */
  oobScore?: boolean;
  /** seed (an integer, taken modulo 2^32); default null, a fresh random seed */
  randomState?: number | null;
  /** kernels to run: "wasm" (default) or "ts" */
  backend?: BackendName;
}

/** The JSON form of a fitted forest, from `toJSON()`. */
export interface RandomForestJSON {
  type: "RandomForestClassifier";
  options: Required<RandomForestOptions>;
  classes: Label[];
  nFeatures: number;
  trees: FlatTreeJSON[];
  oobScore: number | null;
}

interface FittedForest {
  classes: Label[];
  nFeatures: number;
  trees: FlatTree[];
  packed: FlatForest;
  oobScore: number | null;
  oobDecision: Matrix | null;
}

/**
 * The seed of tree `t` of a forest seeded with `seed`: a murmur3-style
 * mix (fmix32) of seed + (t + 1) * golden ratio, so that every tree can be
 * grown on its own, in any order or worker, and give the same forest.
 */
export function treeSeed(seed: number, t: number): number {
  let z = (seed + Math.imul(t + 1, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * A random forest of CART trees (see DecisionTreeClassifier). Each tree
 * is grown from its own seed, `treeSeed(randomState, t)`, on its own
 * bootstrap sample, so the forest does not depend on the order in which
 * trees are grown. Training data is copied into Wasm memory and presorted
 * once per fit; the trees are grown there one after another.
 */
export class RandomForestClassifier {
  readonly options: Required<RandomForestOptions>;
  private fitted: FittedForest | null = null;

  /** @throws RangeError for an out-of-range option */
  constructor(options: RandomForestOptions = {}) {
    const {
      nEstimators = 100,
      criterion = "gini",
      maxDepth = null,
      minSamplesSplit = 2,
      minSamplesLeaf = 1,
      maxFeatures = "sqrt",
      bootstrap = true,
      oobScore = false,
      randomState = null,
      backend = "wasm",
    } = options;
    this.options = {
      nEstimators: checkInteger("nEstimators", nEstimators, 1),
      criterion: checkCriterion(criterion),
      maxDepth: checkMaxDepth(maxDepth),
      minSamplesSplit: checkMinSamplesSplit(minSamplesSplit),
      minSamplesLeaf: checkMinSamplesLeaf(minSamplesLeaf),
      maxFeatures: checkMaxFeatures(maxFeatures),
      bootstrap: Boolean(bootstrap),
      oobScore: Boolean(oobScore),
      randomState: checkRandomState(randomState),
      backend: checkBackend(backend),
    };
    if (this.options.oobScore && !this.options.bootstrap) {
      throw new RangeError("oobScore must be false when bootstrap is false, got true");
    }
  }

  /**
   * Grows the trees.
   * @param X nSamples x nFeatures, finite values
   * @param y nSamples labels (numbers or strings); one class is fine
   * @throws TypeError, DataError or RangeError for unusable inputs;
   *   WasmMemoryError when the data cannot fit in Wasm memory
   */
  fit(X: MatrixLike, y: readonly Label[] | ArrayLike<Label>): this {
    const o = this.options;
    const data = checkTrainingData(X, y);
    const n = data.X.rows;
    const K = data.classes.length;
    const grow = resolveTreeOptions(o, n, data.X.cols, o.bootstrap);
    const seed = baseSeed(o.randomState);
    const backend = getBackend(o.backend);
    const trees: FlatTree[] = [];
    const inBag: Float64Array[] = [];
    const builder = backend.treeBuilder(data.X, data.y, K);
    try {
      for (let t = 0; t < o.nEstimators; t++) {
        const g = builder.grow(grow, treeSeed(seed, t), o.oobScore);
        trees.push(g.tree);
        if (g.sampleCounts) inBag.push(g.sampleCounts);
      }
    } finally {
      builder.dispose();
    }
    const packed = packForest(trees, K);
    this.fitted = {
      classes: data.classes,
      nFeatures: data.X.cols,
      trees,
      packed,
      oobScore: null,
      oobDecision: null,
    };
    if (o.oobScore) this.computeOob(data.X, data.y, trees, inBag);
    return this;
  }

  /**
   * Out-of-bag estimates, as scikit-learn computes them: each row's
   * probabilities averaged over the trees that did not draw it; a row that
   * every tree drew keeps zeros (and counts as a miss unless its class is
   * the first).
   */
  private computeOob(
    X: Matrix,
    y: Int32Array,
    trees: FlatTree[],
    inBag: Float64Array[],
  ): void {
    const m = this.model();
    const K = m.classes.length;
    const n = X.rows;
    const sum = new Float64Array(n * K);
    const seen = new Int32Array(n);
    const backend = getBackend(this.options.backend);
    trees.forEach((tree, t) => {
      const rows: number[] = [];
      for (let i = 0; i < n; i++) if (inBag[t][i] === 0) rows.push(i);
      if (rows.length === 0) return;
      const p = backend.forestProba(takeRows(X, rows), packForest([tree], K), K);
      rows.forEach((i, r) => {
        seen[i]++;
        for (let k = 0; k < K; k++) sum[i * K + k] += p[r * K + k];
      });
    });
    for (let i = 0; i < n; i++) {
      const c = Math.max(1, seen[i]);
      for (let k = 0; k < K; k++) sum[i * K + k] /= c;
    }
    const decision = matrix(n, K, sum);
    const pred = argmaxLabels(decision, m.classes);
    m.oobDecision = decision;
    m.oobScore = accuracy(Array.from(y, (k) => m.classes[k]), pred);
  }

  private model(): FittedForest {
    if (!this.fitted) throw new NotFittedError("RandomForestClassifier");
    return this.fitted;
  }

  /**
   * Mean over the trees of the leaf class frequencies: nSamples x
   * nClasses in the order of `classes`; rows sum to 1. A class that a
   * tree's bootstrap sample missed has frequency 0 in that tree.
   */
  predictProba(X: MatrixLike): Matrix {
    const m = this.model();
    const Xm = checkPredictX(X, m.nFeatures);
    const K = m.classes.length;
    const p = getBackend(this.options.backend).forestProba(Xm, m.packed, K);
    return matrix(Xm.rows, K, p);
  }

  /** The most probable class of each row (ties to the first class). */
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

  /** The trees' flat arrays (not copies: do not modify). */
  get trees(): readonly FlatTree[] {
    return this.model().trees;
  }

  /**
   * Mean of the trees' normalised impurity decreases (trees that are a
   * single leaf left out), normalised to sum 1; all zeros when no tree
   * splits. Never NaN.
   */
  get featureImportances(): Float64Array {
    const m = this.model();
    const total = new Float64Array(m.nFeatures);
    let used = 0;
    for (const t of m.trees) {
      if (t.nodeCount <= 1) continue;
      const imp = treeImportances(t, m.nFeatures);
      for (let j = 0; j < m.nFeatures; j++) total[j] += imp[j];
      used++;
    }
    if (used > 0) for (let j = 0; j < m.nFeatures; j++) total[j] /= used;
    return normalise(total);
  }

  /**
   * Out-of-bag accuracy (fit with `oobScore: true`).
   * @throws RangeError when the forest was fitted without it
   */
  get oobScore(): number {
    const s = this.model().oobScore;
    if (s === null) {
      throw new RangeError("oobScore must be true in the options to get an out-of-bag score");
    }
    return s;
  }

  /** Out-of-bag class probabilities, nSamples x nClasses (fit with `oobScore: true`). */
  get oobDecisionFunction(): Matrix {
    const m = this.model();
    if (m.oobDecision === null) {
      throw new RangeError("oobScore must be true in the options to get out-of-bag estimates");
    }
    return m.oobDecision;
  }

  /** Total nodes over all trees. */
  get nodeCount(): number {
    return this.model().packed.feature.length;
  }

  /** A plain-JSON snapshot of the fitted forest. */
  toJSON(): RandomForestJSON {
    const m = this.model();
    return {
      type: "RandomForestClassifier",
      options: { ...this.options },
      classes: [...m.classes],
      nFeatures: m.nFeatures,
      trees: m.trees.map(treeToJSON),
      oobScore: m.oobScore,
    };
  }

  /**
   * Rebuilds a fitted forest from `toJSON()` output; it predicts exactly
   * as the original did.
   * @throws TypeError or RangeError for a malformed object
   */
  static fromJSON(json: RandomForestJSON): RandomForestClassifier {
    if (!json || json.type !== "RandomForestClassifier") {
      throw new TypeError("json must come from RandomForestClassifier.toJSON()");
    }
    if (!Array.isArray(json.trees) || json.trees.length < 1) {
      throw new RangeError("json.trees must be a non-empty array");
    }
    const model = new RandomForestClassifier(json.options);
    const classes = [...json.classes];
    const K = classes.length;
    const trees = json.trees.map((t, k) =>
      treeFromJSON(t, json.nFeatures, K, `json.trees[${k}]`),
    );
    model.fitted = {
      classes,
      nFeatures: json.nFeatures,
      trees,
      packed: packForest(trees, K),
      oobScore: json.oobScore ?? null,
      oobDecision: null,
    };
    return model;
  }
}
