/**
 * Runs a search: asks it for batches, splits each trial into one task
 * per fold, evaluates the tasks in the calling thread (one job) or in
 * worker threads (Node only), records each finished trial, and stops at
 * a target score or a time budget. Runtime-independent itself: workers
 * and the journal file are reached through imports on demand and an
 * injected store.
 */
import type { BackendName } from "../backend.js";
import type { Matrix } from "../data/matrix.js";
import { DataError } from "../errors.js";
import { wasmModule } from "../wasm/load.js";
import { stratifiedOrder, type Fold } from "./cv.js";
import type { EstimatorName } from "./estimators.js";
import { evaluateFold, type FoldResult, type FoldTask } from "./evaluate.js";
import type { Search } from "./searches.js";
import { paramsKey } from "./space.js";
import { meanStd, type TrialRecord, type TrialRequest } from "./trial.js";

/** The rows a search fits and scores on, and how they are split. */
export interface SearchData {
  /** nSamples x nFeatures */
  X: Matrix;
  /** nSamples class indices in [0, nClasses) */
  y: Int32Array;
  nClasses: number;
  /** one fold for a validation split, k for cross-validation */
  folds: Fold[];
}

/** Finished trials kept across runs (a journal file, in Node). */
export interface TrialStore {
  /** finished trials by id, from earlier runs */
  readonly finished: ReadonlyMap<number, TrialRecord>;
  /** called once per newly finished trial */
  append(record: TrialRecord): void;
}

/** Options of {@link runSearch}. */
export interface RunOptions {
  model: EstimatorName;
  /** the forests' randomState in every trial, and the halving row order's seed */
  seed: number;
  backend?: BackendName;
  /** worker threads (Node only); default 1, the calling thread */
  jobs?: number;
  /** stop once a trial scores at least this */
  targetScore?: number;
  /** start no new fold after this many seconds */
  timeBudget?: number;
  /** trials finished before (reused, not refitted) and where to record new ones */
  store?: TrialStore;
  /** after each finished trial (also those taken from the store) */
  onTrial?: (record: TrialRecord, finished: number, total: number) => void;
}

/** What {@link runSearch} returns. */
export interface SearchRun {
  /** every finished trial, in id order */
  trials: TrialRecord[];
  /** the search's pick (for halving, from the last rung reached) */
  best: TrialRecord;
  /** why the search ended before the search itself was done */
  stopped: "target" | "time" | null;
  /** trials fitted in this run (not taken from the store) */
  evaluated: number;
  /** trials taken from the store */
  resumed: number;
  /** fold fits in this run */
  foldFits: number;
  /**
   * the trials' cost in full fits: each trial counts resource / max
   * (1 without a resource), summed over every trial, resumed or not
   */
  cost: number;
  seconds: number;
}

/** The folds' tasks of one trial. */
function foldTasks(
  t: TrialRequest,
  data: SearchData,
  o: RunOptions,
  orders: (Int32Array | null)[],
): FoldTask[] {
  return data.folds.map((fold, f) => {
    let params = t.params;
    let train = fold.train;
    const r = t.resource;
    if (r?.kind === "trees") params = { ...params, nEstimators: r.amount };
    if (r?.kind === "samples" && r.amount < r.max) {
      orders[f] ??= stratifiedOrder(
        fold.train,
        data.y,
        data.nClasses,
        o.seed + f,
      );
      const n = Math.max(1, Math.floor((r.amount * fold.train.length) / r.max));
      train = orders[f]!.slice(0, n);
    }
    return {
      model: o.model,
      params,
      seed: o.seed,
      backend: o.backend ?? "wasm",
      train,
      test: fold.test,
    };
  });
}

function record(t: TrialRequest, results: FoldResult[]): TrialRecord {
  const scores = results.map((r) => r.score);
  const fitSeconds = results.reduce((a, r) => a + r.fitSeconds, 0);
  const failed = results.find((r) => r.error || !Number.isFinite(r.score));
  const base = { ...t, scores, fitSeconds };
  if (failed) {
    return {
      ...base,
      scores: scores.map((s) => (Number.isFinite(s) ? s : NaN)),
      score: null,
      status: "failed",
      error: failed.error ?? "the score is NaN",
    };
  }
  const { mean, std } = meanStd(scores);
  const out: TrialRecord = { ...base, score: mean, status: "ok" };
  if (scores.length > 1) out.scoreStd = std;
  return out;
}

function sameTrial(a: TrialRequest, b: TrialRequest): boolean {
  return (
    paramsKey(a.params) === paramsKey(b.params) &&
    (a.resource?.amount ?? null) === (b.resource?.amount ?? null)
  );
}

/** Runs one fold task on lane `lane` (0 = the calling thread). */
type Executor = (task: FoldTask, lane: number) => Promise<FoldResult>;

/** Lets queued events (worker replies) run between two fits in this thread. */
function yieldToEvents(): Promise<void> {
  const later = globalThis.setImmediate ?? setTimeout;
  return new Promise((resolve) => later(resolve));
}

/**
 * Lane 0 fits in the calling thread, which would otherwise only wait;
 * lanes 1 .. jobs - 1 each keep one worker thread busy. So two jobs start
 * one worker, not two, and pay one worker's start-up (loading the modules
 * and instantiating Wasm, about 0.1-0.2 s).
 */
async function makeExecutor(
  data: SearchData,
  jobs: number,
  backend: BackendName,
): Promise<Executor> {
  const here = (task: FoldTask) => evaluateFold(data.X, data.y, task);
  if (jobs === 1) return async (task) => here(task);
  const { runInWorker } = await import("./workers.js");
  const X = new SharedArrayBuffer(8 * data.X.data.length);
  new Float64Array(X).set(data.X.data);
  const y = new SharedArrayBuffer(4 * data.y.length);
  new Int32Array(y).set(data.y);
  const module = backend === "wasm" ? wasmModule() : null;
  const shape = { nSamples: data.X.rows, nFeatures: data.X.cols };
  return async (task, lane) => {
    if (lane > 0) {
      return runInWorker({ module, X, y, ...shape, task }, jobs - 1);
    }
    const result = here(task);
    await yieldToEvents();
    return result;
  };
}

/**
 * Runs `search` to its end, or until a trial reaches `targetScore`, or
 * the time budget is spent. Trials are the same for any number of jobs:
 * each fold is fitted with the same seed wherever it runs, batches are
 * the search's own, and with a target the run keeps exactly the trials
 * up to the first (by id) that reaches it.
 * @throws DataError when every trial failed (naming the first error)
 * @throws RangeError when a stored trial has other params than the
 *   search asks for under its id (a journal of another search)
 */
export async function runSearch(
  search: Search,
  data: SearchData,
  options: RunOptions,
): Promise<SearchRun> {
  const start = performance.now();
  const jobs = options.jobs ?? 1;
  const stored = options.store?.finished ?? new Map<number, TrialRecord>();
  const exec = await makeExecutor(data, jobs, options.backend ?? "wasm");
  const orders: (Int32Array | null)[] = data.folds.map(() => null);
  const done: TrialRecord[] = [];
  const run = { evaluated: 0, resumed: 0, foldFits: 0 };
  let stopId = Infinity;
  let stopped: SearchRun["stopped"] = null;
  const overTime = () =>
    options.timeBudget !== undefined &&
    (performance.now() - start) / 1000 >= options.timeBudget;

  const finish = (rec: TrialRecord, fromStore: boolean) => {
    done.push(rec);
    if (fromStore) run.resumed++;
    else {
      run.evaluated++;
      options.store?.append(rec);
    }
    if (
      options.targetScore !== undefined &&
      rec.score !== null &&
      rec.score >= options.targetScore
    ) {
      stopId = Math.min(stopId, rec.id);
    }
    options.onTrial?.(rec, done.length, search.total);
  };

  for (;;) {
    const sorted = [...done].sort((a, b) => a.id - b.id);
    const batch = stopId < Infinity || stopped ? null : search.next(sorted);
    if (!batch || batch.length === 0) break;

    // trials of the store first, in order, then the rest fold by fold
    const pending: { t: TrialRequest; tasks: FoldTask[] }[] = [];
    for (const t of batch) {
      const old = stored.get(t.id);
      if (old && !sameTrial(old, t)) {
        throw new RangeError(
          `journal trial ${t.id} must have the params this search asks for, ` +
            `${JSON.stringify(t.params)}, got ${JSON.stringify(old.params)}`,
        );
      }
      if (old) finish(old, true);
      else pending.push({ t, tasks: foldTasks(t, data, options, orders) });
    }
    await runPending(pending, exec, jobs, {
      byCost: options.targetScore === undefined,
      shouldStart: (id) => {
        if (!stopped && overTime()) stopped = "time";
        return id <= stopId && !stopped;
      },
      onTask: () => run.foldFits++,
      onTrial: (t, results) => finish(record(t, results), false),
    });
  }

  let trials = done.sort((a, b) => a.id - b.id);
  if (stopId < Infinity) {
    trials = trials.filter((t) => t.id <= stopId);
    stopped = "target";
  }
  // stopped is set inside shouldStart, which TypeScript does not follow
  if (trials.length === 0 && (stopped as SearchRun["stopped"]) === "time") {
    throw new RangeError(
      `timeBudget must leave time for one trial, got ${options.timeBudget} s`,
    );
  }
  if (!trials.some((t) => t.status === "ok")) {
    const first = trials.find((t) => t.error)?.error ?? "no trial finished";
    throw new DataError(`every trial failed; the first: ${first}`);
  }
  return {
    trials,
    best: search.best(trials),
    stopped,
    ...run,
    cost: trials.reduce(
      (a, t) => a + (t.resource ? t.resource.amount / t.resource.max : 1),
      0,
    ),
    seconds: (performance.now() - start) / 1000,
  };
}

/**
 * Evaluates the trials' fold tasks with at most `jobs` in flight, started
 * in trial order; a trial whose tasks may not all start is dropped whole.
 */
async function runPending(
  pending: { t: TrialRequest; tasks: FoldTask[] }[],
  exec: Executor,
  jobs: number,
  hooks: {
    byCost: boolean;
    shouldStart: (id: number) => boolean;
    onTask: () => void;
    onTrial: (t: TrialRequest, results: FoldResult[]) => void;
  },
): Promise<void> {
  const queue = pending.flatMap((p, k) =>
    p.tasks.map((task, f) => ({ k, f, task })),
  );
  // Longest first (by an estimate) keeps the lanes' last fits short, so
  // none waits long for the others. Not with a target, where trials must
  // start in id order to waste no fits past the first that reaches it.
  if (jobs > 1 && hooks.byCost) {
    const cost = (t: FoldTask) =>
      t.train.length * Number(t.params.nEstimators ?? 100);
    queue.sort((a, b) => cost(b.task) - cost(a.task) || a.k - b.k);
  }
  const results = pending.map(
    (p) => new Array<FoldResult | undefined>(p.tasks.length),
  );
  const left = pending.map((p) => p.tasks.length);
  const dropped = new Set<number>();
  let at = 0;
  const lane = async (n: number) => {
    while (at < queue.length) {
      const { k, f, task } = queue[at++];
      if (dropped.has(k)) continue;
      if (!hooks.shouldStart(pending[k].t.id)) {
        dropped.add(k);
        continue;
      }
      hooks.onTask();
      results[k][f] = await exec(task, n);
      if (--left[k] === 0 && !dropped.has(k)) {
        hooks.onTrial(pending[k].t, results[k] as FoldResult[]);
      }
    }
  };
  await Promise.all(Array.from({ length: jobs }, (_, n) => lane(n)));
}
