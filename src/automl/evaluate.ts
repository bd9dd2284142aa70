/**
 * One unit of work of a search: fit a configuration on one fold's
 * training rows and score it on the fold's test rows. The same function
 * runs in the calling thread (one job) and in worker threads, so a
 * search gives the same scores for any number of jobs. Runtime-independent.
 */
import type { BackendName } from "../backend.js";
import type { Matrix } from "../data/matrix.js";
import { resetWasm } from "../wasm/load.js";
import { buildModel, rowsOf, type EstimatorName } from "./estimators.js";
import type { Params } from "./space.js";

/** Fit `params` on rows `train`, score on rows `test`. */
export interface FoldTask {
  model: EstimatorName;
  /** the configuration as the model gets it (a tree resource already applied) */
  params: Params;
  seed: number;
  backend: BackendName;
  train: Int32Array;
  test: Int32Array;
}

/** The accuracy on the test rows (NaN on failure) and the fit's time. */
export interface FoldResult {
  score: number;
  /** seconds spent fitting (not predicting) */
  fitSeconds: number;
  /** why the fit or prediction threw */
  error?: string;
}

/** Fits and scores one fold; never throws (a failure is a result). */
export function evaluateFold(
  X: Matrix,
  y: Int32Array,
  task: FoldTask,
): FoldResult {
  let fitSeconds = 0;
  try {
    const model = buildModel(task.model, task.params, {
      seed: task.seed,
      backend: task.backend,
    });
    const yTrain = new Int32Array(task.train.length);
    task.train.forEach((i, r) => (yTrain[r] = y[i]));
    const start = performance.now();
    model.fit(rowsOf(X, task.train), yTrain);
    fitSeconds = (performance.now() - start) / 1000;
    const pred = model.predict(rowsOf(X, task.test));
    let hits = 0;
    task.test.forEach((i, r) => (hits += pred[r] === y[i] ? 1 : 0));
    return { score: hits / task.test.length, fitSeconds };
  } catch (err) {
    // a trap leaves the instance unusable: the next trial gets a fresh one
    if (err instanceof WebAssembly.RuntimeError) resetWasm();
    const e = err as Error;
    return { score: NaN, fitSeconds, error: `${e.name}: ${e.message}` };
  }
}
