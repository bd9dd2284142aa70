/**
 * The worker pool of parallel searches (Node only), separate from the
 * forests' pool in src/parallel/pool.ts: its workers run another script,
 * and a search's trials fit their forests with one thread each.
 * Idle workers are unreferenced and exit after IDLE_TIMEOUT_MS.
 */
import { Piscina } from "piscina";
import { IDLE_TIMEOUT_MS } from "../parallel/pool.js";
import type { FoldResult } from "./evaluate.js";
import type { TrialWorkerTask } from "./trial-worker.js";
import { compiledWorkerUrl } from "../parallel/worker-url.js";

let pool: Piscina | null = null;
let poolThreads = 0;
/** Pools replaced by one of another size; their workers exit when idle. */
const retired = new Set<Piscina>();

/** The compiled worker script, dist/automl/trial-worker.js. */
export function trialWorkerUrl(base: string = import.meta.url): URL {
  return compiledWorkerUrl(base, "automl/trial-worker.js", "the automl worker");
}

/** Runs one fold in the pool, which is (re)made with `threads` workers. */
export function runInWorker(
  task: TrialWorkerTask,
  threads: number,
): Promise<FoldResult> {
  if (!pool || poolThreads !== threads) {
    // a search may still be running on it: let its workers drain
    if (pool) retired.add(pool);
    pool = new Piscina({
      filename: trialWorkerUrl().href,
      minThreads: 0,
      maxThreads: threads,
      idleTimeout: IDLE_TIMEOUT_MS,
    });
    poolThreads = threads;
  }
  return pool.run(task) as Promise<FoldResult>;
}

/** Ends the search workers now; later parallel searches start new ones. */
export async function destroyTrialPool(): Promise<void> {
  const all = [...retired, ...(pool ? [pool] : [])];
  pool = null;
  poolThreads = 0;
  retired.clear();
  await Promise.all(all.map((p) => p.destroy()));
}
