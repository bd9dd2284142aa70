/**
 * One interface over the two implementations of every kernel: the Wasm
 * core (assembly/, loaded by src/wasm/) and its plain-TypeScript twins
 * (src/kernels/). Models take `backend: "wasm" | "ts"` and see only this.
 */
import type { Matrix } from "./data/matrix.js";
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

/** The kernel families, as one object per implementation. */
export interface Backend {
  readonly name: BackendName;
  /** C = A B for row-major A (m x k) and B (k x n); returns C (m x n). */
  matmul(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array;
  /** y = A x for row-major A (m x n); returns y (length m). */
  matvec(a: Float64Array, x: Float64Array, m: number, n: number): Float64Array;
  /**
   * Prepares the logistic objective on X (nSamples x nFeatures) and y
   * (class index per sample, as f64). `nRows` is 1 for the binary
   * (sigmoid) model and nClasses for the multinomial (softmax) one.
   */
  logisticProblem(X: Matrix, y: Float64Array, nRows: number, alpha: number): LogisticProblem;
  /** Decision values X W^T + b (nSamples x nRows, row-major). */
  logisticDecision(X: Matrix, nRows: number, w: Float64Array): Float64Array;
}

/**
 * The backend for a name.
 * @throws RangeError for an unknown name
 */
export function getBackend(name: BackendName = "wasm"): Backend {
  if (name === "wasm") return wasmBackend;
  if (name === "ts") return tsBackend;
  throw new RangeError(`backend must be one of wasm, ts, got ${JSON.stringify(name)}`);
}
