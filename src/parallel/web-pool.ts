/**
 * The Web Worker pool behind `nJobs` in browsers (and other runtimes with
 * module Workers but no worker_threads). Loaded on demand by forest.ts, as
 * the Node pool is; imports nothing from Node.
 *
 * Each worker is a module Worker running dist/models/forest-web-worker.js
 * and runs one task at a time; tasks beyond the pool's size wait in a
 * queue. Workers are kept for later fits and end with
 * {@link destroyWebWorkerPool} (or with the page).
 */
import type { ForestTask, ForestTaskResult } from "../models/forest-worker.js";

interface Job {
  task: ForestTask;
  resolve(result: ForestTaskResult): void;
  reject(error: Error): void;
}

const idle: Worker[] = [];
const busy = new Set<Worker>();
const queue: Job[] = [];
let maxWorkers = 1;

/**
 * The worker script: dist/models/forest-web-worker.js, beside this module
 * when it runs compiled. A browser runs only the compiled files.
 */
export function forestWebWorkerUrl(base: string = import.meta.url): URL {
  return new URL("../models/forest-web-worker.js", base);
}

/**
 * Workers for `nJobs`: n itself when positive; when negative, as
 * scikit-learn, cores + 1 + n, with `navigator.hardwareConcurrency` as
 * the core count (1 when unknown); at least 1.
 */
export function resolveJobs(nJobs: number): number {
  if (nJobs > 0) return nJobs;
  const cores =
    typeof navigator !== "undefined" && navigator.hardwareConcurrency > 0
      ? navigator.hardwareConcurrency
      : 1;
  return Math.max(1, cores + 1 + nJobs);
}

/** Whether this runtime can start module Web Workers. */
export function hasWebWorkers(): boolean {
  return typeof Worker === "function";
}

/**
 * Runs one task in a worker, starting one if fewer than `threads` exist.
 * Transfers nothing: X and y are SharedArrayBuffers where the page is
 * cross-origin isolated, otherwise copied by the structured clone.
 * @throws Error (by rejecting) when the worker script fails to load or
 *   a worker dies
 */
export function runWebTask(
  task: ForestTask,
  threads: number,
): Promise<ForestTaskResult> {
  maxWorkers = Math.max(maxWorkers, threads);
  return new Promise((resolve, reject) => {
    queue.push({ task, resolve, reject });
    dispatch();
  });
}

function dispatch(): void {
  while (queue.length > 0) {
    let worker = idle.pop();
    if (!worker && busy.size < maxWorkers) worker = startWorker();
    if (!worker) return;
    runOn(worker, queue.shift()!);
  }
}

function startWorker(): Worker {
  // written out in full, not through forestWebWorkerUrl(): bundlers such
  // as Vite find a worker by this exact pattern and emit its script
  return new Worker(
    new URL("../models/forest-web-worker.js", import.meta.url),
    { type: "module", name: "wasmlearn-forest" },
  );
}

function runOn(worker: Worker, job: Job): void {
  busy.add(worker);
  const settle = () => {
    worker.onmessage = null;
    worker.onerror = null;
    worker.onmessageerror = null;
    busy.delete(worker);
  };
  worker.onmessage = (event: MessageEvent<ForestTaskResult>) => {
    settle();
    idle.push(worker);
    job.resolve(event.data);
    dispatch();
  };
  const fail = (message: string) => {
    settle();
    worker.terminate();
    job.reject(new Error(`forest worker failed: ${message}`));
    dispatch();
  };
  worker.onerror = (event: ErrorEvent) => {
    event.preventDefault();
    fail(event.message || `cannot run ${forestWebWorkerUrl().href}`);
  };
  worker.onmessageerror = () => fail("its result could not be received");
  worker.postMessage(job.task);
}

/** Ends every idle worker now; busy ones end when their task finishes. */
export function destroyWebWorkerPool(): void {
  for (const w of idle.splice(0)) w.terminate();
  maxWorkers = 1;
}

/** Workers alive, idle or busy. */
export function webWorkerCount(): number {
  return idle.length + busy.size;
}
