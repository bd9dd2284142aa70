/**
 * Do TPE and successive halving find what the grid finds, for less? On
 * the course's problem, seed by seed (data, folds, forests and searches
 * all seeded by it), the grid's best cross-validated score is the bar;
 * TPE and random search get a budget of half the grid's fits, halving
 * runs its rungs, and each is scored by how many fits it needed to reach
 * the bar. Every search scores a configuration on the same folds with the
 * same forest seed, so a configuration gets the same score in each.
 * Runtime-independent.
 */
import type { BackendName } from "../backend.js";
import { defaultSpace } from "./estimators.js";
import { courseData, makeSearch, splitThreeWays } from "./experiment.js";
import { encodeLabels } from "../data/labels.js";
import { stratifiedKFold } from "./cv.js";
import { HalvingSearch } from "./searches.js";
import { runSearch, type SearchData, type SearchRun } from "./runner.js";
import { gridPoints, paramsKey, type Params } from "./space.js";
import { meanStd, type TrialRecord } from "./trial.js";

/** Options of {@link compareSearches}. */
export interface CompareOptions {
  /** seeds 0 .. seeds - 1; default 5 */
  seeds?: number;
  /** folds; default 5 */
  cv?: number;
  /** trials of TPE and random search; default half the grid (18) */
  budget?: number;
  jobs?: number;
  backend?: BackendName;
  /** successive halving's factor (3), first rung's rows (2 x folds x classes), ties kept */
  halving?: { factor?: number; minResource?: number; keepTies?: boolean };
  /** after each search of each seed */
  onProgress?: (seed: number, search: string) => void;
}

/** How a budgeted search did against the grid's best. */
export interface BudgetedOutcome {
  /** trials run: the whole budget (the search does not know the bar) */
  fits: number;
  bestScore: number;
  /** 1-based trial at which the best so far first reached the grid's best; null if never */
  fitsToReach: number | null;
  /** the same for reaching within the grid best's standard error */
  fitsToWithinNoise: number | null;
}

/** One seed's comparison. */
export interface CompareSeed {
  seed: number;
  grid: {
    fits: number;
    bestScore: number;
    bestStd: number;
    /** the best's standard error over the folds, std / sqrt(k) */
    noise: number;
    bestParams: Params;
    /** configurations scoring exactly the best */
    tiedAtBest: number;
    seconds: number;
  };
  tpe: BudgetedOutcome & { seconds: number };
  random: BudgetedOutcome & { seconds: number };
  halving: {
    /** trials in all rungs (each a k-fold evaluation at its rung's rows) */
    evaluations: number;
    /** the same in full-fit equivalents: each trial weighs rows / all rows */
    cost: number;
    /** the planned rungs (with ties kept, the counts promoted at the least; see `evaluations`) */
    rungs: { rows: number; candidates: number }[];
    bestParams: Params;
    /** the pick's score on the last rung, which has every row: its grid score */
    bestScore: number;
    reached: boolean;
    withinNoise: boolean;
    seconds: number;
  };
}

/** What {@link compareSearches} returns. */
export interface CompareResult {
  cv: number;
  /** halving's factor */
  factor: number;
  /** whether halving promoted ties within noise */
  keepTies: boolean;
  budget: number;
  gridSize: number;
  seeds: CompareSeed[];
  summary: {
    tpeReached: number;
    tpeMeanFitsWhenReached: number | null;
    randomReached: number;
    randomMeanFitsWhenReached: number | null;
    halvingReached: number;
    halvingMeanCost: number;
    halvingMeanEvaluations: number;
  };
  seconds: number;
}

const EPS = 1e-12;

function budgeted(run: SearchRun, bar: number, noise: number): BudgetedOutcome {
  let best = -Infinity;
  let reach: number | null = null;
  let near: number | null = null;
  run.trials.forEach((t: TrialRecord, k) => {
    if (t.score !== null) best = Math.max(best, t.score);
    if (reach === null && best >= bar - EPS) reach = k + 1;
    if (near === null && best >= bar - noise - EPS) near = k + 1;
  });
  return {
    fits: run.trials.length,
    bestScore: best,
    fitsToReach: reach,
    fitsToWithinNoise: near,
  };
}

/** The search rows and folds of the course's problem for one seed, as the comparison uses them. */
export function seedData(seed: number, cv: number): SearchData {
  const raw = courseData(seed);
  const { classes, indices: y } = encodeLabels(raw.y);
  const parts = splitThreeWays(y, seed);
  const rows = Int32Array.from([...parts.train, ...parts.validation]);
  const d = raw.X.cols;
  const X = new Float64Array(rows.length * d);
  rows.forEach((i, r) => X.set(raw.X.data.subarray(i * d, i * d + d), r * d));
  const ySearch = Int32Array.from(rows, (i) => y[i]);
  return {
    X: { rows: rows.length, cols: d, data: X },
    y: ySearch,
    nClasses: classes.length,
    folds: stratifiedKFold(ySearch, classes.length, cv, seed),
  };
}

const meanOf = (xs: number[]) =>
  xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;

/**
 * Runs the comparison on the forest's default space (the course's grid).
 * Takes about (36 + 2 x budget + halving) x cv forest fits per seed.
 */
export async function compareSearches(
  options: CompareOptions = {},
): Promise<CompareResult> {
  const start = performance.now();
  const nSeeds = options.seeds ?? 5;
  const cv = options.cv ?? 5;
  const space = defaultSpace("forest");
  const gridSize = gridPoints(space).length;
  const budget = options.budget ?? Math.floor(gridSize / 2);
  const seeds: CompareSeed[] = [];
  for (let seed = 0; seed < nSeeds; seed++) {
    const data = seedData(seed, cv);
    const run = async (kind: "grid" | "tpe" | "random" | "halving") => {
      const t0 = performance.now();
      const s = makeSearch(kind, space, {
        trials: budget,
        seed,
        nClasses: data.nClasses,
        folds: data.folds,
        halving: options.halving,
      });
      const r = await runSearch(s, data, {
        model: "forest",
        seed,
        backend: options.backend,
        jobs: options.jobs,
      });
      options.onProgress?.(seed, kind);
      return { r, seconds: (performance.now() - t0) / 1000, s };
    };
    const grid = await run("grid");
    const bar = grid.r.best.score as number;
    const bestStd = grid.r.best.scoreStd ?? 0;
    const noise = bestStd / Math.sqrt(cv);
    const gridScore = new Map(
      grid.r.trials.map((t) => [paramsKey(t.params), t.score]),
    );
    const tpe = await run("tpe");
    const random = await run("random");
    const halving = await run("halving");
    const hBest = halving.r.best;
    const hScore = hBest.score as number;
    if (gridScore.get(paramsKey(hBest.params)) !== hScore) {
      throw new Error(
        "halving's last rung must score its pick as the grid does",
      );
    }
    seeds.push({
      seed,
      grid: {
        fits: grid.r.trials.length,
        bestScore: bar,
        bestStd,
        noise,
        bestParams: grid.r.best.params,
        tiedAtBest: grid.r.trials.filter(
          (t) => t.score !== null && t.score >= bar - EPS,
        ).length,
        seconds: grid.seconds,
      },
      tpe: { ...budgeted(tpe.r, bar, noise), seconds: tpe.seconds },
      random: { ...budgeted(random.r, bar, noise), seconds: random.seconds },
      halving: {
        evaluations: halving.r.trials.length,
        cost: halving.r.cost,
        rungs: (halving.s instanceof HalvingSearch ? halving.s.rungs : []).map(
          (g) => ({ rows: g.resource, candidates: g.candidates }),
        ),
        bestParams: hBest.params,
        bestScore: hScore,
        reached: hScore >= bar - EPS,
        withinNoise: hScore >= bar - noise - EPS,
        seconds: halving.seconds,
      },
    });
  }
  const reachedFits = (pick: (s: CompareSeed) => BudgetedOutcome) =>
    seeds
      .map(pick)
      .filter((o) => o.fitsToReach !== null)
      .map((o) => o.fitsToReach as number);
  return {
    cv,
    factor: options.halving?.factor ?? 3,
    keepTies: options.halving?.keepTies ?? false,
    budget,
    gridSize,
    seeds,
    summary: {
      tpeReached: reachedFits((s) => s.tpe).length,
      tpeMeanFitsWhenReached: meanOf(reachedFits((s) => s.tpe)),
      randomReached: reachedFits((s) => s.random).length,
      randomMeanFitsWhenReached: meanOf(reachedFits((s) => s.random)),
      halvingReached: seeds.filter((s) => s.halving.reached).length,
      halvingMeanCost: meanStd(seeds.map((s) => s.halving.cost)).mean,
      halvingMeanEvaluations: meanStd(seeds.map((s) => s.halving.evaluations))
        .mean,
    },
    seconds: (performance.now() - start) / 1000,
  };
}
