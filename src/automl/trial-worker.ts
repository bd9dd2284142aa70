/**
 * The worker side of a parallel search (Node only). Runs as compiled
 * JavaScript (dist/automl/trial-worker.js) in a thread of the pool in
 * src/automl/workers.ts. The search's data arrives as SharedArrayBuffers
 * (read, never copied by posting); each task fits and scores one fold.
 */
import { matrix } from "../data/matrix.js";
import { ready } from "../wasm/load.js";
import { evaluateFold, type FoldResult, type FoldTask } from "./evaluate.js";

/** One fold of one trial, with the data it reads. */
export interface TrialWorkerTask {
  /** the main thread's compiled module; null for the TS backend */
  module: WebAssembly.Module | null;
  /** X, nSamples x nFeatures row-major f64 */
  X: SharedArrayBuffer;
  nSamples: number;
  nFeatures: number;
  /** y, nSamples class indices (i32) */
  y: SharedArrayBuffer;
  task: FoldTask;
}

/** Evaluates one fold; the pool calls this in a worker thread. */
export default async function runTrialTask(
  t: TrialWorkerTask,
): Promise<FoldResult> {
  try {
    if (t.module) await ready(t.module);
  } catch (err) {
    const e = err as Error;
    return { score: NaN, fitSeconds: 0, error: `${e.name}: ${e.message}` };
  }
  const X = matrix(t.nSamples, t.nFeatures, new Float64Array(t.X));
  return evaluateFold(X, new Int32Array(t.y), t.task);
}
