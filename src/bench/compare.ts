/**
 * Compare two benchmark runs: an earlier `wasmlearn bench --json` output
 * against the current one, case by case. Reads no files; the CLI does.
 */
import { DataError } from "../errors.js";
import type { BenchRatio, BenchReport, BenchResult } from "./harness.js";

/** The median time of one case on one backend, before and after. */
export interface TimeChange {
  readonly kernel: string;
  readonly size: string;
  readonly backend: string;
  readonly oldMedianMs: number;
  readonly newMedianMs: number;
  /** (new - old) / old in percent: negative is faster */
  readonly changePct: number;
}

/** The Wasm speed-up over TS of one case, before and after. */
export interface RatioChange {
  readonly kernel: string;
  readonly size: string;
  readonly oldWasmOverTs: number;
  readonly newWasmOverTs: number;
  /** (new - old) / old in percent: positive is a larger speed-up */
  readonly changePct: number;
}

/** What {@link compareBench} returns. */
export interface BenchComparison {
  /** cases in both runs, in the order of the new run */
  readonly times: TimeChange[];
  readonly ratios: RatioChange[];
  /** "kernel size" of cases that only one of the runs has */
  readonly onlyOld: string[];
  readonly onlyNew: string[];
}

/** The parts of a `bench --json` output that a comparison reads. */
export type SavedBench = Pick<BenchReport, "results" | "ratios">;

/**
 * Parses the text of a `bench --json` output.
 * @param name - how to call the file in messages, e.g. its path
 * @throws DataError naming `name` if the text is not JSON or lacks results
 */
export function parseBenchJson(text: string, name: string): SavedBench {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new DataError(`${name} is not valid JSON: ${(err as Error).message}`);
  }
  const d = data as { results?: unknown; ratios?: unknown };
  if (typeof d !== "object" || d === null || !Array.isArray(d.results)) {
    throw new DataError(
      `${name} is not a \`wasmlearn bench --json\` output: it has no results array`,
    );
  }
  d.results.forEach((r: Partial<BenchResult>, i) => {
    const ok =
      typeof r === "object" &&
      r !== null &&
      typeof r.kernel === "string" &&
      typeof r.size === "string" &&
      typeof r.backend === "string" &&
      isPositive(r.medianMs);
    if (!ok) {
      throw new DataError(
        `${name}: results[${i}] must have kernel, size, backend and a medianMs > 0`,
      );
    }
  });
  const ratios = Array.isArray(d.ratios) ? d.ratios : [];
  ratios.forEach((r: Partial<BenchRatio>, i) => {
    const ok =
      typeof r === "object" &&
      r !== null &&
      typeof r.kernel === "string" &&
      typeof r.size === "string" &&
      isPositive(r.wasmOverTs);
    if (!ok) {
      throw new DataError(
        `${name}: ratios[${i}] must have kernel, size and a wasmOverTs > 0`,
      );
    }
  });
  return {
    results: d.results as BenchResult[],
    ratios: ratios as BenchRatio[],
  };
}

/** Matches the cases of two runs by kernel, size and backend. */
export function compareBench(
  old: SavedBench,
  now: SavedBench,
): BenchComparison {
  const key = (r: { kernel: string; size: string }) => `${r.kernel} ${r.size}`;
  const oldTimes = new Map(
    old.results.map((r) => [`${key(r)}/${r.backend}`, r]),
  );
  const oldRatios = new Map(old.ratios.map((r) => [key(r), r]));

  const times: TimeChange[] = [];
  for (const r of now.results) {
    const before = oldTimes.get(`${key(r)}/${r.backend}`);
    if (before === undefined) continue;
    times.push({
      kernel: r.kernel,
      size: r.size,
      backend: r.backend,
      oldMedianMs: before.medianMs,
      newMedianMs: r.medianMs,
      changePct: percentChange(before.medianMs, r.medianMs),
    });
  }
  const ratios: RatioChange[] = [];
  for (const r of now.ratios) {
    const before = oldRatios.get(key(r));
    if (before === undefined) continue;
    ratios.push({
      kernel: r.kernel,
      size: r.size,
      oldWasmOverTs: before.wasmOverTs,
      newWasmOverTs: r.wasmOverTs,
      changePct: percentChange(before.wasmOverTs, r.wasmOverTs),
    });
  }

  const oldKeys = new Set(old.results.map(key));
  const newKeys = new Set(now.results.map(key));
  return {
    times,
    ratios,
    onlyOld: [...oldKeys].filter((k) => !newKeys.has(k)),
    onlyNew: [...newKeys].filter((k) => !oldKeys.has(k)),
  };
}

function percentChange(before: number, after: number): number {
  return ((after - before) / before) * 100;
}

function isPositive(x: unknown): x is number {
  return typeof x === "number" && Number.isFinite(x) && x > 0;
}
