/**
 * Grid, random and successive-halving searches as ask-and-tell objects:
 * the runner asks `next(done)` for a batch of trials, evaluates it, and
 * asks again with every finished trial, until `next` returns null.
 * Runtime-independent; TPE is in tpe.ts.
 */
import { Rng } from "../kernels/rng.js";
import {
  gridPoints,
  paramsKey,
  sampleParams,
  spaceSize,
  type Params,
  type SearchSpace,
} from "./space.js";
import {
  rankScore,
  rankTrials,
  type TrialRecord,
  type TrialRequest,
  type TrialResource,
} from "./trial.js";

export type SearchKind = "grid" | "random" | "tpe" | "halving";

export const SEARCH_KINDS: readonly SearchKind[] = [
  "grid",
  "random",
  "tpe",
  "halving",
];

/** A search: batches of trials to evaluate, then its best trial. */
export interface Search {
  readonly kind: SearchKind;
  /** trials it will ask for in all, when known in advance */
  readonly total: number;
  /**
   * The next batch (ids continue from the last batch), or null when the
   * search is over.
   * @param done every finished trial so far, in id order
   */
  next(done: readonly TrialRecord[]): TrialRequest[] | null;
  /** The trial the search picks, from the finished ones (ties: earliest). */
  best(done: readonly TrialRecord[]): TrialRecord;
}

function firstRanked(done: readonly TrialRecord[]): TrialRecord {
  if (done.length === 0) throw new RangeError("trials must not be empty");
  return rankTrials(done)[0];
}

/** Every point of the space exactly once, in one batch. */
export class GridSearch implements Search {
  readonly kind = "grid";
  readonly total: number;
  private readonly points: Params[];
  private asked = false;

  /** @throws RangeError for a float range or too many points */
  constructor(space: SearchSpace) {
    this.points = gridPoints(space);
    this.total = this.points.length;
  }

  next(): TrialRequest[] | null {
    if (this.asked) return null;
    this.asked = true;
    return this.points.map((params, id) => ({ id, params }));
  }

  best(done: readonly TrialRecord[]): TrialRecord {
    return firstRanked(done);
  }
}

/**
 * Draws a configuration not in `seen` when the space is finite and not
 * exhausted (rejection, then the first unseen grid point); otherwise any.
 */
export function drawUnseen(
  space: SearchSpace,
  rng: Rng,
  seen: Set<string>,
): Params {
  const finite = spaceSize(space) !== Infinity;
  let p = sampleParams(space, rng);
  if (!finite) return p;
  for (let tries = 0; tries < 200 && seen.has(paramsKey(p)); tries++) {
    p = sampleParams(space, rng);
  }
  if (!seen.has(paramsKey(p)) || seen.size >= spaceSize(space)) return p;
  return gridPoints(space).find((q) => !seen.has(paramsKey(q))) ?? p;
}

/**
 * `trials` configurations drawn independently, in one batch; from a
 * finite space without repeats (as scikit-learn's ParameterSampler), at
 * most its size.
 */
export class RandomSearch implements Search {
  readonly kind = "random";
  readonly total: number;
  private readonly requests: TrialRequest[];
  private asked = false;

  constructor(space: SearchSpace, trials: number, seed: number) {
    checkTrials(trials);
    const rng = new Rng(seed);
    const seen = new Set<string>();
    const n = Math.min(trials, spaceSize(space));
    this.requests = Array.from({ length: n }, (_, id) => {
      const params = drawUnseen(space, rng, seen);
      seen.add(paramsKey(params));
      return { id, params };
    });
    this.total = n;
  }

  next(): TrialRequest[] | null {
    if (this.asked) return null;
    this.asked = true;
    return this.requests;
  }

  best(done: readonly TrialRecord[]): TrialRecord {
    return firstRanked(done);
  }
}

/** @throws RangeError unless an integer >= 1 */
export function checkTrials(trials: number): void {
  if (!Number.isInteger(trials) || trials < 1) {
    throw new RangeError(`trials must be an integer >= 1, got ${trials}`);
  }
}

/** One rung of successive halving. */
export interface Rung {
  /** rows or trees each candidate gets */
  resource: number;
  candidates: number;
}

/**
 * Rungs of successive halving, in integer arithmetic, with scikit-learn's
 * HalvingGridSearchCV counts: candidates ceil(n / factor^i), and as many
 * rungs as needed to get down to one candidate (1 + floor(log_factor n)),
 * but no more than the resources allow (min * factor^(rungs-1) <= max).
 * Unlike scikit-learn's `min_resources="exhaust"`, the resources are
 * counted down from the top, floor(max / factor^(last - i)), so the last
 * rung always gets exactly `maxResource`, and its scores are full-data
 * scores.
 * @throws RangeError for factor < 2, minResource < 1 or > maxResource
 */
export function halvingRungs(
  nCandidates: number,
  factor: number,
  minResource: number,
  maxResource: number,
): Rung[] {
  if (!Number.isInteger(factor) || factor < 2) {
    throw new RangeError(`factor must be an integer >= 2, got ${factor}`);
  }
  if (!Number.isInteger(minResource) || minResource < 1) {
    throw new RangeError(
      `minResource must be an integer >= 1, got ${minResource}`,
    );
  }
  if (!Number.isInteger(maxResource) || maxResource < minResource) {
    throw new RangeError(
      `maxResource must be an integer >= minResource (${minResource}), got ${maxResource}`,
    );
  }
  let required = 1;
  for (let p = factor; p <= nCandidates; p *= factor) required++;
  let possible = 1;
  for (let r = minResource * factor; r <= maxResource; r *= factor) possible++;
  const n = Math.min(required, possible);
  const rungs: Rung[] = [];
  let candidates = nCandidates;
  for (let i = 0; i < n; i++) {
    const divisor = factor ** (n - 1 - i);
    rungs.push({ resource: Math.floor(maxResource / divisor), candidates });
    candidates = Math.ceil(candidates / factor);
  }
  return rungs;
}

/** Options of {@link HalvingSearch}. */
export interface HalvingOptions {
  /** "samples": training rows; "trees": the forest's nEstimators */
  resource: "samples" | "trees";
  /** keep 1 / factor of the candidates each rung; default 3 */
  factor?: number;
  minResource: number;
  maxResource: number;
  /**
   * also promote every candidate whose score is within the standard
   * error (scoreStd / sqrt(folds)) of the last promoted one's, up to twice
   * the rung's count (and never more than the previous rung's); default
   * false. The last rung then has no fixed size.
   */
  keepTies?: boolean;
}

/**
 * The candidates promoted from one rung: the best `keep` (ties: earlier
 * trial) and, with `keepTies`, every further one whose score is at least
 * the `keep`-th's minus that trial's standard error over its folds, at
 * most `2 * keep`. Without fold scores (one split) only exact ties count.
 */
export function promote(
  previous: readonly TrialRecord[],
  keep: number,
  keepTies: boolean,
): TrialRecord[] {
  const ranked = rankTrials(previous);
  let n = Math.min(keep, ranked.length);
  if (keepTies && n > 0 && n < ranked.length) {
    const cut = ranked[n - 1];
    if (cut.status === "ok" && cut.score !== null) {
      const se = (cut.scoreStd ?? 0) / Math.sqrt(cut.scores.length);
      const limit = Math.min(2 * keep, ranked.length);
      while (n < limit && rankScore(ranked[n]) >= cut.score - se - 1e-12) n++;
    }
  }
  return ranked.slice(0, n);
}

/**
 * Successive halving: every candidate on the smallest resource, then the
 * best 1 / factor of them (ties: earlier trial; with `keepTies` also
 * those within noise of the cut) on factor times more, until the last
 * rung; the search's best is the last rung's best.
 */
export class HalvingSearch implements Search {
  readonly kind = "halving";
  readonly total: number;
  readonly rungs: Rung[];
  private readonly candidates: Params[];
  private readonly resource: "samples" | "trees";
  private readonly keepTies: boolean;
  private rung = 0;
  private nextId = 0;
  private lastBatch: TrialRequest[] = [];

  /** @throws RangeError for bad rung options, or trees as resource with nEstimators in the space */
  constructor(candidates: Params[], options: HalvingOptions) {
    if (candidates.length === 0) {
      throw new RangeError("candidates must not be empty");
    }
    if (
      options.resource === "trees" &&
      candidates.some((p) => "nEstimators" in p)
    ) {
      throw new RangeError(
        "space must not hold nEstimators when halving over trees, got it",
      );
    }
    this.candidates = candidates;
    this.resource = options.resource;
    this.rungs = halvingRungs(
      candidates.length,
      options.factor ?? 3,
      options.minResource,
      options.maxResource,
    );
    this.keepTies = options.keepTies ?? false;
    // with ties kept, an upper bound: each rung at most twice its count
    let bound = candidates.length;
    this.total = this.rungs.reduce((a, r, i) => {
      if (i > 0)
        bound = Math.min(bound, (this.keepTies ? 2 : 1) * r.candidates);
      return a + (this.keepTies ? bound : r.candidates);
    }, 0);
  }

  private resourceOf(i: number): TrialResource {
    const last = this.rungs[this.rungs.length - 1].resource;
    return { kind: this.resource, amount: this.rungs[i].resource, max: last };
  }

  next(done: readonly TrialRecord[]): TrialRequest[] | null {
    if (this.rung >= this.rungs.length) return null;
    let params: Params[];
    if (this.rung === 0) params = this.candidates;
    else {
      const ids = new Set(this.lastBatch.map((t) => t.id));
      const previous = done.filter((t) => ids.has(t.id));
      if (previous.length < ids.size) return null; // stopped early
      const keep = this.rungs[this.rung].candidates;
      params = promote(previous, keep, this.keepTies).map((t) => t.params);
    }
    const rung = this.rung++;
    const resource = this.resourceOf(rung);
    this.lastBatch = params.map((p) => ({
      id: this.nextId++,
      params: p,
      rung,
      resource,
    }));
    return this.lastBatch;
  }

  best(done: readonly TrialRecord[]): TrialRecord {
    const top = Math.max(...done.map((t) => t.rung ?? 0));
    return firstRanked(done.filter((t) => (t.rung ?? 0) === top));
  }
}
