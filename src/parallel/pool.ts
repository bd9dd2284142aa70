/**
 * The worker pool behind `nJobs` (Node only; loaded on demand, so that
 * single-threaded use in a browser never imports piscina or node:*).
 *
 * Lifecycle: the pool is created on the first parallel fit and reused by
 * later ones. Its workers are unreferenced while idle, so they never keep
 * the process alive, and they exit after {@link IDLE_TIMEOUT_MS} without
 * work, which also returns their Wasm memory (one instance per worker,
 * grown to the size of the largest fit it ran) to the system.
 * `destroyWorkerPool()` ends them at once.
 */
import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import { compiledWorkerUrl } from "./worker-url.js";

/** Idle workers exit after this long, milliseconds. */
export const IDLE_TIMEOUT_MS = 10_000;

let pool: Piscina | null = null;
let poolThreads = 0;
/** Smaller pools replaced by a larger one; their workers exit when idle. */
const retired = new Set<Piscina>();

/** The compiled worker script, dist/models/forest-worker.js. */
export function forestWorkerUrl(base: string = import.meta.url): URL {
  return compiledWorkerUrl(
    base,
    "models/forest-worker.js",
    "the forest worker",
  );
}

/**
 * Worker threads for `nJobs`: n itself when positive; when negative, as
 * scikit-learn, cores + 1 + n (-1 = every core), at least 1.
 */
export function resolveJobs(nJobs: number): number {
  if (nJobs > 0) return nJobs;
  return Math.max(1, availableParallelism() + 1 + nJobs);
}

/** The shared pool, with room for at least `threads` workers. */
export function workerPool(threads: number): Piscina {
  if (pool && poolThreads >= threads) return pool;
  if (pool) {
    // a fit may still be running on it: let its workers drain and time out
    retired.add(pool);
  }
  pool = new Piscina({
    filename: forestWorkerUrl().href,
    minThreads: 0,
    maxThreads: threads,
    idleTimeout: IDLE_TIMEOUT_MS,
  });
  poolThreads = threads;
  return pool;
}

/**
 * Ends every worker of the pool now (running tasks fail). Later parallel
 * fits create a new pool. Optional: idle workers never keep the process
 * alive.
 */
export async function destroyWorkerPool(): Promise<void> {
  const all = [...retired, ...(pool ? [pool] : [])];
  pool = null;
  poolThreads = 0;
  retired.clear();
  await Promise.all(all.map((p) => p.destroy()));
}

/** Live worker threads of the current pool (0 before the first parallel fit). */
export function workerCount(): number {
  return pool ? pool.threads.length : 0;
}
