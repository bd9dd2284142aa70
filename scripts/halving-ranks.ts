/**
 * Why successive halving misses the grid's best on the course's problem:
 * scores every configuration of the default forest grid on every row
 * count successive halving can use (640 / d training rows of each fold,
 * d = 1, 2, 3, 4, 6, 8, 9, 27, 32; five folds, seeds 0 .. seeds - 1, the
 * folds and forest seeds of `wasmlearn automl compare`), then prints
 *
 * - per seed, the rank of the grid's best configuration(s) among all 36
 *   at each row count (a halving rung must keep at least that many of the
 *   36, or fewer if some were dropped before, to keep it), and
 * - the cheapest plain top-k schedule (2 to 4 rungs ending on all 640
 *   rows, any number kept per rung) that reaches the grid's best in every
 *   seed, chosen with hindsight: a lower bound on the cost of any halving
 *   with this promotion rule, however its counts are set.
 *
 *   npx tsx scripts/halving-ranks.ts [seeds=10] [jobs=2]
 *
 * Takes about 2 minutes for 10 seeds with 2 jobs on a shared 2-core machine.
 */
import { seedData } from "../src/automl/compare.js";
import { defaultSpace } from "../src/automl/estimators.js";
import { runSearch } from "../src/automl/runner.js";
import type { Search } from "../src/automl/searches.js";
import { gridPoints } from "../src/automl/space.js";
import { destroyTrialPool } from "../src/automl/workers.js";

const nSeeds = Number(process.argv[2] ?? 10);
const jobs = Number(process.argv[3] ?? 2);
const MAX = 640;
const ROWS = [20, 23, 40, 71, 80, 106, 160, 213, 320, 640];
const points = gridPoints(defaultSpace("forest"));

/** Mean CV score of every grid point on `rows` rows of each fold. */
async function scoresAt(seed: number, rows: number): Promise<number[]> {
  const data = seedData(seed, 5);
  const max = Math.min(...data.folds.map((f) => f.train.length));
  if (max !== MAX) throw new Error(`expected ${MAX} rows per fold, got ${max}`);
  let asked = false;
  const search: Search = {
    kind: "halving",
    total: points.length,
    next: () => {
      if (asked) return null;
      asked = true;
      return points.map((params, id) => ({
        id,
        params,
        rung: 0,
        resource: { kind: "samples" as const, amount: rows, max },
      }));
    },
    best: (done) => done[0],
  };
  const run = await runSearch(search, data, { model: "forest", seed, jobs });
  return run.trials.map((t) => t.score ?? -Infinity);
}

/** Rank (1 = best, ties to the earlier point) of point `i` by `s`. */
const rankOf = (s: number[], i: number) =>
  1 + s.filter((v, j) => v > s[i] || (v === s[i] && j < i)).length;

const table: Record<number, number[]>[] = [];
for (let seed = 0; seed < nSeeds; seed++) {
  const bySize: Record<number, number[]> = {};
  for (const rows of ROWS) bySize[rows] = await scoresAt(seed, rows);
  table.push(bySize);
  const full = bySize[MAX];
  const bar = Math.max(...full);
  const best = full.flatMap((v, i) => (v >= bar - 1e-12 ? [i] : []));
  const ranks = ROWS.map(
    (r) => `${r}:${best.map((i) => rankOf(bySize[r], i)).join("/")}`,
  );
  console.log(
    `seed ${seed}: best ${bar.toFixed(4)} (${best.length} tied); ` +
      `its rank of 36 on rows ${ranks.join(" ")}`,
  );
}
destroyTrialPool();

/** Whether keeping ks[i] candidates on rung i (rows[i]) keeps a best to the end. */
function reaches(
  bySize: Record<number, number[]>,
  rows: number[],
  ks: number[],
) {
  const bar = Math.max(...bySize[MAX]);
  let cand = points.map((_, i) => i);
  for (let r = 0; r < rows.length; r++) {
    const s = bySize[rows[r]];
    cand = cand
      .map((c, k) => ({ c, k }))
      .sort((a, b) => s[b.c] - s[a.c] || a.k - b.k)
      .map((e) => e.c);
    if (r === rows.length - 1) return bySize[MAX][cand[0]] >= bar - 1e-12;
    cand = cand.slice(0, ks[r + 1]);
  }
  return false;
}

let best: { cost: number; rows: number[]; ks: number[] } | null = null;
const smaller = ROWS.slice(0, -1);
for (let mask = 1; mask < 1 << smaller.length; mask++) {
  const pre = smaller.filter((_, i) => mask & (1 << i));
  if (pre.length > 3) continue;
  const rows = [...pre, MAX];
  const search = (r: number, ks: number[], cost: number): void => {
    if (best && cost >= best.cost) return;
    if (r === rows.length) {
      if (table.every((t) => reaches(t, rows, ks)))
        best = { cost, rows, ks: [...ks] };
      return;
    }
    for (let k = 1; k <= ks[r - 1]; k++) {
      const c = cost + (k * rows[r]) / MAX;
      if (best && c >= best.cost) break;
      search(r + 1, [...ks, k], c);
    }
  };
  search(1, [points.length], (points.length * rows[0]) / MAX);
}
if (best) {
  const b = best as { cost: number; rows: number[]; ks: number[] };
  console.log(
    `cheapest plain schedule reaching the grid's best in all ${nSeeds} seeds, with hindsight: ` +
      b.rows.map((r, i) => `${b.ks[i]} x ${r}`).join(", ") +
      ` rows, ${b.cost.toFixed(2)} full-fit equivalents (the grid: ${points.length})`,
  );
}
