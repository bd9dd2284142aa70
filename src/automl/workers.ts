/**
 * The worker pool of parallel searches (Node only), separate from the
 * forests' pool in src/parallel/pool.ts: its workers run another script,
 * and a search's trials fit their forests with one thread each.
 * Idle workers are unreferenced and exit after IDLE_TIMEOUT_MS.
 */
import { ResizablePool } from "../parallel/pool.js";
import type { FoldResult } from "./evaluate.js";
import type { TrialWorkerTask } from "./trial-worker.js";
import { compiledWorkerUrl } from "../parallel/worker-url.js";

/** The compiled worker script, dist/automl/trial-worker.js. */
export function trialWorkerUrl(base: string = import.meta.url): URL {
  return compiledWorkerUrl(base, "automl/trial-worker.js", "the automl worker");
}

/** Remade whenever a search asks for another number of workers. */
const trials = new ResizablePool(() => trialWorkerUrl(), false);

/** Runs one fold in the pool, which is (re)made with `threads` workers. */
export function runInWorker(
  task: TrialWorkerTask,
  threads: number,
): Promise<FoldResult> {
  return trials.get(threads).run(task) as Promise<FoldResult>;
}

/** Ends the search workers now; later parallel searches start new ones. */
export function destroyTrialPool(): Promise<void> {
  return trials.destroy();
}
