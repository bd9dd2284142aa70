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

/**
 * A piscina pool of one worker script that is replaced when a caller
 * needs another size. A replaced pool may still be running tasks: it is
 * retired, and its workers drain and exit when idle (or at `destroy`).
 */
export class ResizablePool {
  private pool: Piscina | null = null;
  private threads = 0;
  private readonly retired = new Set<Piscina>();

  /**
   * @param script the compiled worker script, resolved on first use
   * @param reuseLarger keep a pool with more threads than asked for
   *   (otherwise a pool of exactly `threads` is made)
   */
  constructor(
    private readonly script: () => URL,
    private readonly reuseLarger: boolean,
  ) {}

  /** The pool with room for `threads` workers, made or remade as needed. */
  get(threads: number): Piscina {
    const fits = this.reuseLarger
      ? this.threads >= threads
      : this.threads === threads;
    if (this.pool && fits) return this.pool;
    if (this.pool) this.retired.add(this.pool);
    this.pool = new Piscina({
      filename: this.script().href,
      minThreads: 0,
      maxThreads: threads,
      idleTimeout: IDLE_TIMEOUT_MS,
    });
    this.threads = threads;
    return this.pool;
  }

  /** Live worker threads of the current pool (0 before its first use). */
  get workerCount(): number {
    return this.pool ? this.pool.threads.length : 0;
  }

  /** Ends every worker now (running tasks fail); later calls start anew. */
  async destroy(): Promise<void> {
    const all = [...this.retired, ...(this.pool ? [this.pool] : [])];
    this.pool = null;
    this.threads = 0;
    this.retired.clear();
    await Promise.all(all.map((p) => p.destroy()));
  }
}

/** The forests' pool: a smaller pool is replaced by a larger one. */
const forests = new ResizablePool(() => forestWorkerUrl(), true);

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
  return forests.get(threads);
}

/**
 * Ends every worker of the pool now (running tasks fail). Later parallel
 * fits create a new pool. Optional: idle workers never keep the process
 * alive.
 */
export function destroyWorkerPool(): Promise<void> {
  return forests.destroy();
}

/** Live worker threads of the current pool (0 before the first parallel fit). */
export function workerCount(): number {
  return forests.workerCount;
}
