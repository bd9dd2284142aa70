/**
 * One interface over the two implementations of every kernel: the Wasm
 * core (assembly/, loaded by src/wasm/) and its plain-TypeScript twins
 * (src/kernels/). Models take `backend: "wasm" | "ts"` and see only this.
 */
import type { Matrix } from "./data/matrix.js";
import type {
  DiffusionSession,
  DiffusionSessionOptions,
} from "./diffusion/session.js";
import { tsBackend } from "./kernels/backend.js";
import { wasmBackend } from "./wasm/backend.js";

/** Which implementation of the kernels to run. */
export type BackendName = "wasm" | "ts";

/** The backends by name, for option validation and listings. */
export const BACKENDS: readonly BackendName[] = ["wasm", "ts"];

/**
 * A logistic-regression objective whose data stays resident (in Wasm memory
 * for the Wasm backend) for the whole fit; only parameters travel per call.
 * Call `dispose()` when done.
 */
export interface LogisticProblem {
  /** Length of the parameter vector: nRows * nFeatures weights, then nRows intercepts. */
  readonly nParams: number;
  /**
   * Objective and gradient at `w`: mean log-loss plus `alpha / 2 * ||W||^2`
   * (intercepts not penalised). Writes the gradient into `grad`.
   */
  lossGrad(w: Float64Array, grad: Float64Array): number;
  /** Frees the resident data; the problem is unusable afterwards. */
  dispose(): void;
}

/** Tree-growing options resolved to numbers, as the tree kernels take them. */
export interface TreeGrowOptions {
  criterion: "gini" | "entropy";
  /** deepest level allowed below the root; 2^31 - 1 for unlimited */
  maxDepth: number;
  /** integer >= 2: a node with fewer samples is a leaf */
  minSamplesSplit: number;
  /** integer >= 1: samples each child must keep */
  minSamplesLeaf: number;
  /** integer in [1, nFeatures]: features drawn at each split */
  maxFeatures: number;
  /** draw nSamples rows with replacement (counts become weights) */
  bootstrap: boolean;
}

/**
 * One tree as flat arrays over its nodes, numbered in depth-first
 * preorder (node 0 is the root). Leaves have feature and threshold -2 and
 * children -1; a sample goes left when x[feature] <= threshold.
 */
export interface FlatTree {
  readonly nodeCount: number;
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** Gini or entropy (bits) of each node's weighted samples */
  readonly impurity: Float64Array;
  /** distinct training samples reaching each node */
  readonly nNodeSamples: Int32Array;
  /** their total weight (bootstrap counts) */
  readonly weightedNNodeSamples: Float64Array;
  /** nodeCount x nClasses weighted class counts, row-major */
  readonly value: Float64Array;
}

/** What `TreeBuilder.grow` returns. */
export interface GrownTree {
  readonly tree: FlatTree;
  /** nSamples bootstrap counts (all 1 without bootstrap), when asked for */
  readonly sampleCounts: Float64Array | null;
}

/**
 * Training data made ready for growing trees (copied into Wasm memory for
 * the Wasm backend, presorted once per feature); every `grow` reuses it.
 * Call `dispose()` when done.
 */
export interface TreeBuilder {
  /** Grows one tree; the same options and seed give the same tree. */
  grow(
    options: TreeGrowOptions,
    seed: number,
    withSampleCounts?: boolean,
  ): GrownTree;
  dispose(): void;
}

/** Trees concatenated for prediction: tree t's nodes start at roots[t]. */
export interface FlatForest {
  readonly nTrees: number;
  readonly roots: Int32Array;
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  /** child indices relative to the tree's root */
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** weighted class counts, nClasses per node */
  readonly value: Float64Array;
}

/** The kernel families, as one object per implementation. */
export interface Backend {
  readonly name: BackendName;
  /** C = A B for row-major A (m x k) and B (k x n); returns C (m x n). */
  matmul(
    a: Float64Array,
    b: Float64Array,
    m: number,
    k: number,
    n: number,
  ): Float64Array;
  /** y = A x for row-major A (m x n); returns y (length m). */
  matvec(a: Float64Array, x: Float64Array, m: number, n: number): Float64Array;
  /**
   * Prepares the logistic objective on X (nSamples x nFeatures) and y
   * (class index per sample, as f64). `nRows` is 1 for the binary
   * (sigmoid) model and nClasses for the multinomial (softmax) one.
   */
  logisticProblem(
    X: Matrix,
    y: Float64Array,
    nRows: number,
    alpha: number,
  ): LogisticProblem;
  /** Decision values X W^T + b (nSamples x nRows, row-major). */
  logisticDecision(X: Matrix, nRows: number, w: Float64Array): Float64Array;
  /**
   * Class probabilities from decision values z (nSamples x nRows):
   * nSamples x 2 when nRows = 1 (sigmoid), else nSamples x nRows (softmax).
   */
  logisticProba(z: Float64Array, nSamples: number, nRows: number): Float64Array;
  /**
   * Prepares X (nSamples x nFeatures) and y (class index per sample, in
   * [0, nClasses)) for growing trees.
   */
  treeBuilder(X: Matrix, y: Int32Array, nClasses: number): TreeBuilder;
  /**
   * Mean over the forest's trees of the leaf class frequencies for each
   * row of X; returns nSamples x nClasses, row-major.
   */
  forestProba(X: Matrix, forest: FlatForest, nClasses: number): Float64Array;
  /**
   * q(x_t | x_0) for each row of x0 (nSamples x length) at its own t[i]:
   * sqrtAbar[t] x0 + sqrtOneMinusAbar[t] noise; returns nSamples x length.
   */
  diffusionQSample(
    x0: Matrix,
    t: Int32Array,
    noise: Float64Array,
    sqrtAbar: Float64Array,
    sqrtOneMinusAbar: Float64Array,
  ): Float64Array;
  /** A resident diffusion workspace for training and reverse loops. */
  diffusionSession(options: DiffusionSessionOptions): DiffusionSession;
  /** Output of an MLP (widths `sizes`) for X; nSamples x sizes[last]. */
  mlpForward(sizes: Int32Array, params: Float64Array, X: Matrix): Float64Array;
  /** Parameter gradient of sum(dOut * output) of an MLP for X. */
  mlpGradient(
    sizes: Int32Array,
    params: Float64Array,
    X: Matrix,
    dOut: Float64Array,
  ): Float64Array;
}

/**
 * The backend for a name.
 * @throws RangeError for an unknown name
 */
export function getBackend(name: BackendName = "wasm"): Backend {
  if (name === "wasm") return wasmBackend;
  if (name === "ts") return tsBackend;
  throw new RangeError(
    `backend must be one of wasm, ts, got ${JSON.stringify(name)}`,
  );
}

export {
  checkDecisionData,
  checkLogisticData,
  checkParams,
} from "./kernels/checks.js";
