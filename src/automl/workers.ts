/**
 * The worker pool of parallel searches (Node only), separate from the
 * forests' pool in src/parallel/pool.ts: its workers run another script,
 * and a search's trials fit their forests with one thread each.
 * Idle workers are unreferenced and exit after IDLE_TIMEOUT_MS.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { IDLE_TIMEOUT_MS } from "../parallel/pool.js";
import type { FoldResult } from "./evaluate.js";
import type { TrialWorkerTask } from "./trial-worker.js";

let pool: Piscina | null = null;
let poolThreads = 0;
/** Pools replaced by one of another size; their workers exit when idle. */
const retired = new Set<Piscina>();

/**
 * The compiled worker script: dist/automl/trial-worker.js, next to this
 * module when it runs compiled, mapped from src/ to dist/ when it runs
 * from sources (vitest, tsx), as for the forest worker.
 * @throws Error when the script has not been built (npm run build)
 */
export function trialWorkerUrl(base: string = import.meta.url): URL {
  const url = new URL(
    base.endsWith(".ts")
      ? "../../dist/automl/trial-worker.js"
      : "./trial-worker.js",
    base,
  );
  if (!existsSync(fileURLToPath(url))) {
    throw new Error(
      `the automl worker script ${fileURLToPath(url)} is missing: run npm run build`,
    );
  }
  return url;
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
