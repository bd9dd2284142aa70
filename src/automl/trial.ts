/**
 * Trials: what a search asks for and what the runner records, and how
 * trials rank. Runtime-independent.
 */
import type { Params } from "./space.js";

/** The resource a successive-halving trial gets. */
export interface TrialResource {
  /** training rows (a share of each fold's) or trees of the forest */
  kind: "samples" | "trees";
  /** rows or trees at this rung */
  amount: number;
  /** the last rung's amount: all rows, or the most trees */
  max: number;
}

/** A configuration a search wants evaluated. */
export interface TrialRequest {
  /** 0, 1, 2, ... in the order the search asks; the journal's key */
  id: number;
  params: Params;
  /** successive halving: the rung (0 = first) and its resource */
  rung?: number;
  resource?: TrialResource;
}

/** A finished trial. */
export interface TrialRecord extends TrialRequest {
  /** mean accuracy over the folds; null when the trial failed */
  score: number | null;
  /** accuracy per fold (one entry for a validation split) */
  scores: number[];
  /** population standard deviation of `scores` (with two folds or more) */
  scoreStd?: number;
  /** seconds spent fitting, summed over the folds */
  fitSeconds: number;
  status: "ok" | "failed";
  /** why it failed */
  error?: string;
}

/** A trial's rank key: failed trials below every score. */
export function rankScore(t: TrialRecord): number {
  return t.status === "ok" && t.score !== null ? t.score : -Infinity;
}

/**
 * Trials best first: by score, failed last, ties to the earlier trial
 * (smaller id). Returns a new array.
 */
export function rankTrials(trials: readonly TrialRecord[]): TrialRecord[] {
  return [...trials].sort((a, b) => rankScore(b) - rankScore(a) || a.id - b.id);
}

/** Mean and population standard deviation (as scikit-learn's std_test_score). */
export function meanStd(xs: readonly number[]): { mean: number; std: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.reduce((a, b) => a + (b - mean) * (b - mean), 0) / xs.length;
  return { mean, std: Math.sqrt(v) };
}
