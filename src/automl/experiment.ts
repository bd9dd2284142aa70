/**
 * The AutoML experiment: the course's problem (or the user's data)
 * split 60/20/20 into train, validation and test; a search scored on
 * the validation rows or by cross-validation on train + validation; the
 * winner refitted and tested beside the model's defaults. Plain data in,
 * plain data out; runtime-independent (the journal arrives as a store).
 */
import type { BackendName } from "../backend.js";
import type { Label } from "../data/dataset.js";
import { encodeLabels } from "../data/labels.js";
import { makeClassification } from "../data/make-classification.js";
import type { Matrix } from "../data/matrix.js";
import { trainTestSplit } from "../data/split.js";
import { DataError } from "../errors.js";
import { stratifiedKFold, type Fold } from "./cv.js";
import {
  checkSpaceForModel,
  defaultSpace,
  type EstimatorName,
} from "./estimators.js";
import { evaluateFold } from "./evaluate.js";
import { runSearch, type SearchData, type TrialStore } from "./runner.js";
import {
  GridSearch,
  HalvingSearch,
  RandomSearch,
  SEARCH_KINDS,
  checkTrials,
  drawUnseen,
  type Search,
  type SearchKind,
} from "./searches.js";
import {
  gridPoints,
  spaceSize,
  type Params,
  type SearchSpace,
} from "./space.js";
import { DEFAULT_STARTUP, TpeSearch } from "./tpe.js";
import type { TrialRecord } from "./trial.js";
import { Rng } from "../kernels/rng.js";

/** Options of {@link runAutoml}. */
export interface AutomlOptions {
  /** default "grid" */
  search?: SearchKind;
  /** default "forest" */
  model?: EstimatorName;
  /** default: the course's grid for the forest, C by decades for logistic */
  space?: SearchSpace;
  /** random and TPE: trials in all (default 18, half the course's grid); halving over a float space: candidates */
  trials?: number;
  /** k-fold stratified cross-validation on train + validation; default null, the validation split */
  cv?: number | null;
  /** seed of the data, the splits, the searches and every forest; default 42 */
  seed?: number;
  /** worker threads; default 1 */
  jobs?: number;
  backend?: BackendName;
  /** the user's data instead of the course's problem */
  data?: { X: Matrix; y: readonly Label[]; source: string };
  targetScore?: number;
  /** seconds */
  timeBudget?: number;
  /** halving: "samples" (default) or "trees", factor (3), min and max resource, whether to keep ties within noise */
  halving?: {
    resource?: "samples" | "trees";
    factor?: number;
    minResource?: number;
    maxResource?: number;
    keepTies?: boolean;
  };
  /** TPE: startup trials, gamma, candidates, batch size */
  tpe?: {
    nStartup?: number;
    gamma?: number;
    nCandidates?: number;
    batchSize?: number;
  };
  /** opens the trial store (a journal) once everything else has been checked */
  store?: (config: Record<string, unknown>) => TrialStore;
  onTrial?: (record: TrialRecord, finished: number, total: number) => void;
}

/** A finished trial as reported, with the noise flag. */
export interface AutomlTrial extends TrialRecord {
  /** 1 = best; ties by trial order */
  rank: number;
  /** the best score minus this one is within the best's standard error */
  withinNoise: boolean;
}

/** What {@link runAutoml} returns (the CLI's `--json` object). */
export interface AutomlResult {
  search: SearchKind;
  model: EstimatorName;
  seed: number;
  cv: number | null;
  space: SearchSpace;
  data: {
    source: string;
    nSamples: number;
    nFeatures: number;
    nClasses: number;
    nTrain: number;
    nValidation: number;
    nTest: number;
  };
  trials: AutomlTrial[];
  best: {
    id: number;
    params: Params;
    validationScore: number;
    scoreStd?: number;
    testAccuracy: number;
  };
  default: { testAccuracy: number };
  /** the best score's standard error: std / sqrt(k) with cv, sqrt(p (1 - p) / nValidation) without */
  noise: number;
  /** trials whose score is within `noise` of the best's (the best included) */
  tiedWithBest: number;
  stopped: "target" | "time" | null;
  /** trials evaluated in this run / taken from the journal */
  evaluated: number;
  resumed: number;
  /** trials in all, fold fits in this run, and the cost in full-fit equivalents */
  fits: number;
  foldFits: number;
  cost: number;
  /** the search alone, and everything (data, search, refit, default) */
  searchSeconds: number;
  seconds: number;
}

/** The course's problem: 1000 x 20, 10 informative, 5 redundant, one cluster per class. */
export function courseData(seed: number): {
  X: Matrix;
  y: number[];
  source: string;
} {
  const { X, y } = makeClassification({
    nSamples: 1000,
    nFeatures: 20,
    nInformative: 10,
    nRedundant: 5,
    nClustersPerClass: 1,
    randomState: seed,
  });
  return { X, y, source: `makeClassification(seed ${seed})` };
}

/** Rows for each part: stratified 60/20/20 (test first, then validation). */
export function splitThreeWays(
  y: Int32Array,
  seed: number,
): { train: Int32Array; validation: Int32Array; test: Int32Array } {
  const n = y.length;
  const outer = trainTestSplit(n, { testSize: 0.2, seed, stratify: y });
  const rest = outer.train;
  const inner = trainTestSplit(rest.length, {
    testSize: 0.25,
    seed,
    stratify: Array.from(rest, (i) => y[i]),
  });
  return {
    train: Int32Array.from(inner.train, (k) => rest[k]),
    validation: Int32Array.from(inner.test, (k) => rest[k]),
    test: outer.test,
  };
}

interface Prepared {
  X: Matrix;
  y: Int32Array;
  nClasses: number;
  source: string;
  parts: ReturnType<typeof splitThreeWays>;
  /** train + validation rows, the search's rows */
  searchRows: Int32Array;
  folds: Fold[];
}

function prepare(o: AutomlOptions, seed: number, cv: number | null): Prepared {
  const raw = o.data ?? courseData(seed);
  const { classes, indices: y } = encodeLabels([...raw.y], "y");
  if (classes.length < 2) {
    throw new DataError(
      `y must hold at least 2 classes, got ${classes.length}`,
    );
  }
  if (y.length !== raw.X.rows) {
    throw new DataError(
      `y must have one label per row (${raw.X.rows}), got ${y.length}`,
    );
  }
  const parts = splitThreeWays(y, seed);
  const searchRows = Int32Array.from([...parts.train, ...parts.validation]);
  const ySearch = Int32Array.from(searchRows, (i) => y[i]);
  const nTrain = parts.train.length;
  const folds: Fold[] =
    cv === null
      ? [
          {
            train: Int32Array.from({ length: nTrain }, (_, k) => k),
            test: Int32Array.from(
              { length: parts.validation.length },
              (_, k) => nTrain + k,
            ),
          },
        ]
      : stratifiedKFold(ySearch, classes.length, cv, seed);
  return {
    X: raw.X,
    y,
    nClasses: classes.length,
    source: raw.source,
    parts,
    searchRows,
    folds,
  };
}

function searchData(p: Prepared): SearchData {
  const d = p.X.cols;
  const X = new Float64Array(p.searchRows.length * d);
  p.searchRows.forEach((i, r) =>
    X.set(p.X.data.subarray(i * d, i * d + d), r * d),
  );
  return {
    X: { rows: p.searchRows.length, cols: d, data: X },
    y: Int32Array.from(p.searchRows, (i) => p.y[i]),
    nClasses: p.nClasses,
    folds: p.folds,
  };
}

/**
 * A digest of the search's rows, labels and folds (FNV-1a, 32 bits, over
 * their bytes), so that a journal is not resumed on other data.
 */
export function dataFingerprint(d: SearchData): string {
  let h = 0x811c9dc5;
  const feed = (a: Float64Array | Int32Array) => {
    const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    for (let k = 0; k < bytes.length; k++) {
      h = Math.imul(h ^ bytes[k], 0x01000193) >>> 0;
    }
  };
  feed(d.X.data);
  feed(d.y);
  for (const f of d.folds) feed(f.test);
  return `${d.X.rows}x${d.X.cols}:${h.toString(16).padStart(8, "0")}`;
}

/** The candidates of successive halving: the grid, or `trials` random draws from a float space. */
function halvingCandidates(
  space: SearchSpace,
  trials: number,
  seed: number,
): Params[] {
  if (spaceSize(space) !== Infinity) return gridPoints(space);
  const rng = new Rng(seed);
  const seen = new Set<string>();
  return Array.from({ length: trials }, () => drawUnseen(space, rng, seen));
}

/**
 * The search an experiment runs.
 * @throws RangeError for options the search cannot use
 */
export function makeSearch(
  kind: SearchKind,
  space: SearchSpace,
  o: {
    trials: number;
    seed: number;
    nClasses: number;
    folds: Fold[];
    halving?: AutomlOptions["halving"];
    tpe?: AutomlOptions["tpe"];
  },
): Search {
  if (kind === "grid") return new GridSearch(space);
  if (kind === "random") return new RandomSearch(space, o.trials, o.seed);
  if (kind === "tpe")
    return new TpeSearch(space, { trials: o.trials, seed: o.seed, ...o.tpe });
  if (kind !== "halving") {
    throw new RangeError(
      `search must be one of ${SEARCH_KINDS.join(", ")}, got ${JSON.stringify(kind)}`,
    );
  }
  const h = o.halving ?? {};
  const resource = h.resource ?? "samples";
  const smallestTrain = Math.min(...o.folds.map((f) => f.train.length));
  // scikit-learn's smallest sensible rung: two rows per class and fold
  const minResource =
    h.minResource ??
    (resource === "samples" ? 2 * o.folds.length * o.nClasses : 1);
  const maxResource =
    h.maxResource ?? (resource === "samples" ? smallestTrain : 100);
  if (resource === "samples" && maxResource > smallestTrain) {
    throw new RangeError(
      `maxResource must be at most the training rows of a fold (${smallestTrain}), got ${maxResource}`,
    );
  }
  return new HalvingSearch(halvingCandidates(space, o.trials, o.seed), {
    resource,
    factor: h.factor,
    minResource,
    maxResource,
    keepTies: h.keepTies,
  });
}

/** Fits `params` on rows `train` and scores on rows `test` of the full data. */
function fitAndTest(
  p: Prepared,
  model: EstimatorName,
  params: Params,
  seed: number,
  train: Int32Array,
  backend: BackendName,
): number {
  const r = evaluateFold(p.X, p.y, {
    model,
    params,
    seed,
    backend,
    train,
    test: p.parts.test,
  });
  if (r.error) throw new DataError(`the refit failed: ${r.error}`);
  return r.score;
}

/**
 * Runs the experiment: search, then the winner refitted (on the training
 * rows with a validation split, on train + validation with cv) and tested
 * on the test rows, beside the model with its default options.
 * @throws RangeError or TypeError for bad options or space (before any
 *   fit, and before the store is opened); DataError for unusable data or
 *   when every trial fails
 */
export async function runAutoml(
  options: AutomlOptions = {},
): Promise<AutomlResult> {
  const start = performance.now();
  const search = options.search ?? "grid";
  const model = options.model ?? "forest";
  const seed = options.seed ?? 42;
  const cv = options.cv ?? null;
  const trials = options.trials ?? 18;
  const backend = options.backend ?? "wasm";
  if (!SEARCH_KINDS.includes(search)) {
    throw new RangeError(
      `search must be one of ${SEARCH_KINDS.join(", ")}, got ${JSON.stringify(search)}`,
    );
  }
  checkTrials(trials);
  if (cv !== null && (!Number.isInteger(cv) || cv < 2)) {
    throw new RangeError(`cv must be an integer >= 2, got ${cv}`);
  }
  if (!Number.isInteger(seed) || seed < 0) {
    throw new RangeError(`seed must be an integer >= 0, got ${seed}`);
  }
  const space = options.space ?? defaultSpace(model);
  checkSpaceForModel(space, model);
  if (
    search === "halving" &&
    options.halving?.resource === "trees" &&
    model !== "forest"
  ) {
    throw new RangeError(
      `halving.resource must be "samples" for ${model}, got "trees" (only forests have trees)`,
    );
  }
  const p = prepare(options, seed, cv);
  const s = makeSearch(search, space, {
    trials,
    seed,
    nClasses: p.nClasses,
    folds: p.folds,
    halving: options.halving,
    tpe: options.tpe,
  });
  const data = searchData(p);

  const config = {
    search,
    model,
    space,
    seed,
    cv,
    backend,
    halving: search === "halving" ? (options.halving ?? {}) : undefined,
    tpe:
      search === "tpe"
        ? {
            nStartup: options.tpe?.nStartup ?? DEFAULT_STARTUP,
            gamma: options.tpe?.gamma ?? 0.25,
            nCandidates: options.tpe?.nCandidates ?? 24,
            batchSize: options.tpe?.batchSize ?? 1,
          }
        : undefined,
    // the rows themselves, not the file's name: a moved file still resumes
    fingerprint: dataFingerprint(data),
  };
  const store = options.store?.(config);
  const run = await runSearch(s, data, {
    model,
    seed,
    backend,
    jobs: options.jobs,
    targetScore: options.targetScore,
    timeBudget: options.timeBudget,
    store,
    onTrial: options.onTrial,
  });

  // refit the winner and the defaults on the same rows
  const refitRows = cv === null ? p.parts.train : p.searchRows;
  const best = run.best;
  const bestParams =
    best.resource?.kind === "trees"
      ? { ...best.params, nEstimators: best.resource.amount }
      : best.params;
  const testAccuracy = fitAndTest(
    p,
    model,
    bestParams,
    seed,
    refitRows,
    backend,
  );
  const defaultAccuracy = fitAndTest(p, model, {}, seed, refitRows, backend);

  const bestScore = best.score as number;
  const noise =
    cv === null
      ? Math.sqrt((bestScore * (1 - bestScore)) / p.parts.validation.length)
      : (best.scoreStd ?? 0) / Math.sqrt(cv);
  const ranked = rankWithNoise(run.trials, best, noise);
  return {
    search,
    model,
    seed,
    cv,
    space,
    data: {
      source: p.source,
      nSamples: p.X.rows,
      nFeatures: p.X.cols,
      nClasses: p.nClasses,
      nTrain: p.parts.train.length,
      nValidation: p.parts.validation.length,
      nTest: p.parts.test.length,
    },
    trials: ranked,
    best: {
      id: best.id,
      params: bestParams,
      validationScore: bestScore,
      ...(best.scoreStd !== undefined ? { scoreStd: best.scoreStd } : {}),
      testAccuracy,
    },
    default: { testAccuracy: defaultAccuracy },
    noise,
    tiedWithBest: ranked.filter((t) => t.withinNoise).length,
    stopped: run.stopped,
    evaluated: run.evaluated,
    resumed: run.resumed,
    fits: run.trials.length,
    foldFits: run.foldFits,
    cost: run.cost,
    searchSeconds: run.seconds,
    seconds: (performance.now() - start) / 1000,
  };
}

/**
 * Trials in id order with their rank (1 = the search's best, then by
 * score, ties to the earlier trial) and whether they are within noise of
 * the best. For halving only the best's rung is compared.
 */
function rankWithNoise(
  trials: TrialRecord[],
  best: TrialRecord,
  noise: number,
): AutomlTrial[] {
  const order = [best, ...trials.filter((t) => t !== best)].sort((a, b) => {
    if (a === best) return -1;
    if (b === best) return 1;
    const sa = a.status === "ok" ? (a.score as number) : -Infinity;
    const sb = b.status === "ok" ? (b.score as number) : -Infinity;
    return (a.rung ?? 0) !== (b.rung ?? 0)
      ? (b.rung ?? 0) - (a.rung ?? 0)
      : sb - sa || a.id - b.id;
  });
  const rank = new Map(order.map((t, k) => [t.id, k + 1]));
  const top = best.score as number;
  return trials.map((t) => ({
    ...t,
    rank: rank.get(t.id) as number,
    withinNoise:
      t.status === "ok" &&
      (t.rung ?? 0) === (best.rung ?? 0) &&
      top - (t.score as number) <= noise + 1e-12,
  }));
}
