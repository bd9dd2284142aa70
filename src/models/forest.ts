/**
 * A random forest classifier with scikit-learn 1.2's semantics: bootstrap
 * samples, features drawn afresh at every split, probabilities averaged
 * over the trees.
 */
import {
  getBackend,
  type BackendName,
  type FlatForest,
  type FlatTree,
  type TreeGrowOptions,
} from "../backend.js";
import type { Label } from "../data/dataset.js";
import {
  isMatrix,
  matrix,
  takeRows,
  type Matrix,
  type MatrixLike,
} from "../data/matrix.js";
import { DataError, NotFittedError } from "../errors.js";
import { maxTreeNodes } from "../kernels/tree.js";
import { wasmModule } from "../wasm/load.js";
import {
  MAX_BLOCK_BYTES,
  MAX_MEMORY_BYTES,
  WasmMemoryError,
  formatBytes,
} from "../wasm/memory.js";
import type { ForestTask, ForestTaskResult } from "./forest-worker.js";
import { accuracy } from "./logistic.js";
import {
  argmaxLabels,
  baseSeed,
  checkCriterion,
  checkMaxDepth,
  checkMaxFeatures,
  checkMinSamplesLeaf,
  checkMinSamplesSplit,
  predictPacked,
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
import { checkBackend, checkBoolean, checkInteger } from "./validation.js";

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
  /**
   * workers for `fitAsync` (worker threads in Node, module Web Workers in
   * browsers): an integer >= 1, or negative as in scikit-learn (-1 = every
   * core, -2 = all but one); default 1, no workers. The forest is the same
   * for every value. `fit` runs in the calling thread and accepts only 1.
   */
  nJobs?: number;
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

/** Training data checked and resolved, ready for growing trees. */
interface ForestFit {
  X: Matrix;
  y: Int32Array;
  classes: Label[];
  grow: TreeGrowOptions;
  seed: number;
}

/** The grown trees and, for the out-of-bag score, their bootstrap counts. */
interface Grown {
  trees: FlatTree[];
  inBag: Float64Array[];
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
 * Where `fitAsync` runs its tasks: Node's worker threads (piscina) or a
 * browser's module Web Workers. Both are imported on first use, so that
 * loading this module imports neither piscina nor anything from node:*.
 */
interface Parallel {
  resolveJobs(nJobs: number): number;
  run(task: ForestTask, threads: number): Promise<ForestTaskResult>;
  destroy(): Promise<void>;
}

let parallel: Promise<Parallel> | null = null;

function isNode(): boolean {
  return (
    typeof process !== "undefined" &&
    typeof process.versions === "object" &&
    typeof process.versions.node === "string"
  );
}

/**
 * The Node pool's module, named through a variable: a bundler building for
 * browsers (Vite, Rollup, webpack) must not follow this import into
 * piscina and node:*, which only Node runs.
 */
const NODE_POOL = "../parallel/pool.js";

async function nodeParallel(): Promise<Parallel> {
  const pool = (await import(
    /* @vite-ignore */ /* webpackIgnore: true */ NODE_POOL
  )) as typeof import("../parallel/pool.js");
  return {
    resolveJobs: pool.resolveJobs,
    run: (task, threads) =>
      pool.workerPool(threads).run(task) as Promise<ForestTaskResult>,
    destroy: pool.destroyWorkerPool,
  };
}

async function webParallel(): Promise<Parallel> {
  const pool = await import("../parallel/web-pool.js");
  return {
    resolveJobs: (nJobs) =>
      pool.hasWebWorkers() ? pool.resolveJobs(nJobs) : 1,
    run: pool.runWebTask,
    destroy: async () => pool.destroyWebWorkerPool(),
  };
}

/** The runtime's workers, imported on first use (retried after a failure). */
function loadParallel(): Promise<Parallel> {
  parallel ??= (isNode() ? nodeParallel() : webParallel()).catch((err) => {
    parallel = null;
    throw err;
  });
  return parallel;
}

/**
 * Ends the workers that `fitAsync` started (worker threads in Node, idle
 * Web Workers in a browser), now; later parallel fits start new ones.
 * Optional: in Node idle workers never keep the process alive and exit by
 * themselves after 10 s. Does nothing before the first parallel fit.
 */
export async function destroyWorkerPool(): Promise<void> {
  if (parallel) await (await parallel).destroy();
}

/**
 * Training data for workers: SharedArrayBuffers where the runtime has
 * them (Node; cross-origin isolated pages), so that no worker copies it in
 * posting; plain ArrayBuffers, copied once per task, elsewhere.
 */
function workerBuffer(bytes: number): SharedArrayBuffer | ArrayBuffer {
  const isolated =
    (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !==
    false;
  return typeof SharedArrayBuffer === "function" && isolated
    ? new SharedArrayBuffer(bytes)
    : new ArrayBuffer(bytes);
}

/** @throws RangeError unless a nonzero integer */
export function checkNJobs(value: number): number {
  if (!Number.isInteger(value) || value === 0) {
    throw new RangeError(`nJobs must be a nonzero integer, got ${value}`);
  }
  return value;
}

/**
 * Wasm memory, bytes, that growing trees on nSamples x nFeatures with
 * nClasses classes takes in one instance (the serial fit's, or each
 * worker's): the data column-major (8 nFeatures), its presort and the
 * split search's scratch (8 nFeatures + 21), labels, sort buffer,
 * bootstrap weights and entropy table (24), and room for the largest
 * possible tree, 2 nSamples - 1 nodes of 40 + 8 nClasses bytes; all per
 * sample. About 477 MB for 1M x 20 with 2 classes. The largest single block, and so
 * the first limit reached, is the data (8 nSamples nFeatures < 1 GiB).
 */
export function forestFitBytes(
  nSamples: number,
  nFeatures: number,
  nClasses: number,
): { total: number; largestBlock: number } {
  const n = nSamples;
  const d = nFeatures;
  const nodes = maxTreeNodes(n);
  const blocks = [
    8 * n * d, // X, column-major
    4 * n * d, // presorted sample order
    24 * nClasses + 24 + 4 * d * n + 4 * n + 16 * (n + 1) + 4 * d + n, // treeWorkLength
    4 * n + 4 * n + 8 * (n + 1) + 8 * n, // y, sort buffer, entropy table, weights
    8 * nodes * nClasses, // node class counts
  ];
  const total = blocks.reduce((a, b) => a + b, 0) + nodes * 40;
  return { total, largestBlock: Math.max(...blocks) };
}

/**
 * Fails before anything is copied when a fit cannot fit in Wasm memory
 * (4 GiB per instance, blocks under 1 GiB), rather than trapping midway.
 * @throws WasmMemoryError naming the size, the limit and the remedy
 */
export function checkForestMemory(
  nSamples: number,
  nFeatures: number,
  nClasses: number,
): void {
  const { total, largestBlock } = forestFitBytes(nSamples, nFeatures, nClasses);
  const shape = `${nSamples} x ${nFeatures}`;
  if (total > MAX_MEMORY_BYTES) {
    throw new WasmMemoryError(
      `a forest on ${shape} needs ${formatBytes(total)} of wasm memory, ` +
        "more than the 4 GiB limit: use fewer rows or features",
    );
  }
  if (largestBlock > MAX_BLOCK_BYTES) {
    throw new WasmMemoryError(
      `a forest on ${shape} needs one block of ${formatBytes(largestBlock)} of ` +
        "wasm memory, more than the 1 GiB limit: use fewer rows or features",
    );
  }
}

/** Rows and columns that X claims to have, before its data is checked. */
function claimedShape(X: MatrixLike): { rows: number; cols: number } | null {
  if (isMatrix(X)) return { rows: X.rows, cols: X.cols };
  if (Array.isArray(X) && Array.isArray(X[0])) {
    return { rows: X.length, cols: X[0].length };
  }
  return null;
}

/** A worker's error as the class it had in the worker, where that matters. */
function workerError(e: { name: string; message: string }): Error {
  if (e.name === "WasmMemoryError") return new WasmMemoryError(e.message);
  if (e.name === "DataError") return new DataError(e.message);
  if (e.name === "RangeError") return new RangeError(e.message);
  return new Error(`forest worker failed: ${e.name}: ${e.message}`);
}

/** A worker's concatenated trees split back into trees (copies). */
function splitTrees(r: ForestTaskResult, nClasses: number): FlatTree[] {
  const trees: FlatTree[] = [];
  let at = 0;
  for (const m of r.nodeCounts) {
    const end = at + m;
    trees.push({
      nodeCount: m,
      feature: r.feature.slice(at, end),
      threshold: r.threshold.slice(at, end),
      left: r.left.slice(at, end),
      right: r.right.slice(at, end),
      impurity: r.impurity.slice(at, end),
      nNodeSamples: r.nNodeSamples.slice(at, end),
      weightedNNodeSamples: r.weightedNNodeSamples.slice(at, end),
      value: r.value.slice(at * nClasses, end * nClasses),
    });
    at = end;
  }
  return trees;
}

/**
 * A random forest of CART trees (see DecisionTreeClassifier). Each tree
 * is grown from its own seed, `treeSeed(randomState, t)`, on its own
 * bootstrap sample, so the forest does not depend on the order in which
 * trees are grown, nor on the thread. Training data is copied into Wasm
 * memory and presorted once per fit (and per worker with `fitAsync`).
 *
 * `fit` is synchronous and single-threaded; `fitAsync` spreads the trees
 * over `nJobs` worker threads. `fit` does not block on workers instead
 * (Atomics.wait): a blocked thread cannot see a worker die (exit events
 * need its event loop), so a crashed worker would hang the fit forever,
 * and piscina itself dispatches through the event loop. Prediction stays
 * in the calling thread.
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
      nJobs = 1,
    } = options;
    this.options = {
      nEstimators: checkMaxTrees(checkInteger("nEstimators", nEstimators, 1)),
      criterion: checkCriterion(criterion),
      maxDepth: checkMaxDepth(maxDepth),
      minSamplesSplit: checkMinSamplesSplit(minSamplesSplit),
      minSamplesLeaf: checkMinSamplesLeaf(minSamplesLeaf),
      maxFeatures: checkMaxFeatures(maxFeatures),
      bootstrap: checkBoolean("bootstrap", bootstrap),
      oobScore: checkBoolean("oobScore", oobScore),
      randomState: checkRandomState(randomState),
      backend: checkBackend(backend),
      nJobs: checkNJobs(nJobs),
    };
    if (this.options.oobScore && !this.options.bootstrap) {
      throw new RangeError(
        "oobScore must be false when bootstrap is false, got true",
      );
    }
  }

  /**
   * Grows the trees in the calling thread, one after another.
   * @param X nSamples x nFeatures, finite values
   * @param y nSamples labels (numbers or strings); one class is fine
   * @throws TypeError, DataError or RangeError for unusable inputs;
   *   WasmMemoryError, before anything is copied, when the data cannot fit
   *   in Wasm memory; RangeError when nJobs is not 1 (use `fitAsync`)
   */
  fit(X: MatrixLike, y: readonly Label[] | ArrayLike<Label>): this {
    if (this.options.nJobs !== 1) {
      throw new RangeError(
        `nJobs must be 1 for fit, got ${this.options.nJobs}: ` +
          "use await fitAsync(X, y) to grow trees in worker threads",
      );
    }
    const f = this.prepare(X, y);
    this.finish(f, this.growHere(f));
    return this;
  }

  /**
   * Grows the trees in `nJobs` workers, or in the calling thread when
   * nJobs resolves to 1. Gives exactly the forest that `fit` gives with
   * the same randomState. In Node the workers are worker threads; in a
   * browser, module Web Workers running dist/models/forest-web-worker.js
   * (found next to this module), so the page stays responsive while they
   * work; a runtime with neither grows the trees here.
   *
   * Each worker gets the training data once per fit (X and y copied once
   * into SharedArrayBuffers that all workers read; in a page that is not
   * cross-origin isolated, copied to each worker instead), instantiates the
   * compiled Wasm module once for its life, copies X into its own Wasm
   * memory and presorts it, then grows every nJobs-th tree. Wasm memory
   * is per worker: nJobs workers hold nJobs copies of the data (see
   * {@link forestFitBytes}). Workers are pooled across fits; in Node they
   * never keep the process alive (see `destroyWorkerPool`).
   * @throws as `fit`, by rejecting; Error when the worker script is not
   *   built (dist/, `npm run build`)
   */
  async fitAsync(
    X: MatrixLike,
    y: readonly Label[] | ArrayLike<Label>,
  ): Promise<this> {
    const f = this.prepare(X, y);
    const jobs =
      this.options.nJobs === 1
        ? 1
        : Math.min(
            (await loadParallel()).resolveJobs(this.options.nJobs),
            this.options.nEstimators,
          );
    const grown =
      jobs === 1 ? this.growHere(f) : await this.growInWorkers(f, jobs);
    this.finish(f, grown);
    return this;
  }

  /** Checks the data (memory first, from the shape alone), resolves options. */
  private prepare(
    X: MatrixLike,
    y: readonly Label[] | ArrayLike<Label>,
  ): ForestFit {
    const o = this.options;
    const shape = claimedShape(X);
    if (o.backend === "wasm" && shape)
      checkForestMemory(shape.rows, shape.cols, 2);
    const data = checkTrainingData(X, y);
    const n = data.X.rows;
    if (o.backend === "wasm")
      checkForestMemory(n, data.X.cols, data.classes.length);
    return {
      X: data.X,
      y: data.y,
      classes: data.classes,
      grow: resolveTreeOptions(o, n, data.X.cols, o.bootstrap),
      seed: baseSeed(o.randomState),
    };
  }

  private growHere(f: ForestFit): Grown {
    const o = this.options;
    const trees: FlatTree[] = [];
    const inBag: Float64Array[] = [];
    const builder = getBackend(o.backend).treeBuilder(
      f.X,
      f.y,
      f.classes.length,
    );
    try {
      for (let t = 0; t < o.nEstimators; t++) {
        const g = builder.grow(f.grow, treeSeed(f.seed, t), o.oobScore);
        trees.push(g.tree);
        if (g.sampleCounts) inBag.push(g.sampleCounts);
      }
    } finally {
      builder.dispose();
    }
    return { trees, inBag };
  }

  /** Tree t goes to worker t mod jobs; the trees come back in index order. */
  private async growInWorkers(f: ForestFit, jobs: number): Promise<Grown> {
    const o = this.options;
    const { run } = await loadParallel();
    const n = f.X.rows;
    const K = f.classes.length;
    const X = workerBuffer(8 * f.X.data.length);
    new Float64Array(X).set(f.X.data);
    const y = workerBuffer(4 * n);
    new Int32Array(y).set(f.y);
    const module = o.backend === "wasm" ? wasmModule() : null;
    const groups = Array.from({ length: jobs }, (_, r) => {
      const trees: number[] = [];
      for (let t = r; t < o.nEstimators; t += jobs) trees.push(t);
      return trees;
    });
    const results: ForestTaskResult[] = await Promise.all(
      groups.map((trees) => {
        const task: ForestTask = {
          backend: o.backend,
          module,
          X,
          nSamples: n,
          nFeatures: f.X.cols,
          y,
          nClasses: K,
          options: f.grow,
          seed: f.seed,
          trees,
          withSampleCounts: o.oobScore,
        };
        return run(task, jobs);
      }),
    );
    const grown: Grown = { trees: new Array(o.nEstimators), inBag: [] };
    if (o.oobScore) grown.inBag = new Array(o.nEstimators);
    results.forEach((r, k) => {
      if (r.error) throw workerError(r.error);
      splitTrees(r, K).forEach((tree, a) => {
        const t = groups[k][a];
        grown.trees[t] = tree;
        if (r.sampleCounts)
          grown.inBag[t] = r.sampleCounts.slice(a * n, (a + 1) * n);
      });
    });
    return grown;
  }

  private finish(f: ForestFit, { trees, inBag }: Grown): void {
    this.fitted = {
      classes: f.classes,
      nFeatures: f.X.cols,
      trees,
      packed: packForest(trees, f.classes.length),
      oobScore: null,
      oobDecision: null,
    };
    if (this.options.oobScore) this.computeOob(f.X, f.y, trees, inBag);
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
      const p = backend.forestProba(
        takeRows(X, rows),
        packForest([tree], K),
        K,
      );
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
    m.oobScore = accuracy(
      Array.from(y, (k) => m.classes[k]),
      pred,
    );
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
    return predictPacked(this.options.backend, X, this.model());
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
      throw new RangeError(
        "oobScore must be true in the options to get an out-of-bag score",
      );
    }
    return s;
  }

  /** Out-of-bag class probabilities, nSamples x nClasses (fit with `oobScore: true`). */
  get oobDecisionFunction(): Matrix {
    const m = this.model();
    if (m.oobDecision === null) {
      throw new RangeError(
        "oobScore must be true in the options to get out-of-bag estimates",
      );
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
      throw new TypeError(
        "json must come from RandomForestClassifier.toJSON()",
      );
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

/** More trees than this is a mistake, not a model: 100,000 trees of even 100 nodes hold 10^7 nodes. */
const MAX_TREES = 100_000;

function checkMaxTrees(n: number): number {
  if (n > MAX_TREES) {
    throw new RangeError(`nEstimators must be at most ${MAX_TREES}, got ${n}`);
  }
  return n;
}
