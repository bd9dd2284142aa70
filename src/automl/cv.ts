/**
 * How trials are scored: folds of row indices (a validation split or
 * stratified k-fold cross-validation) and, for successive halving over
 * samples, training rows ordered so that every prefix keeps the class
 * shares. Runtime-independent.
 */
import { Rng } from "../kernels/rng.js";

/** One train/score split: row indices into the search's data. */
export interface Fold {
  train: Int32Array;
  test: Int32Array;
}

/** Rows of each class, in row order. */
function byClass(y: ArrayLike<number>, nClasses: number): number[][] {
  const rows: number[][] = Array.from({ length: nClasses }, () => []);
  for (let i = 0; i < y.length; i++) rows[y[i]].push(i);
  return rows;
}

/**
 * Stratified k-fold: each class's rows are shuffled and dealt to the
 * folds in turn, continuing where the previous class stopped, so that
 * fold sizes differ by at most one and every fold keeps the class shares
 * to within one row per class. Each row is scored in exactly one fold.
 * @param y class indices in [0, nClasses)
 * @throws RangeError unless 2 <= k and every class has at least k rows
 */
export function stratifiedKFold(
  y: ArrayLike<number>,
  nClasses: number,
  k: number,
  seed: number,
): Fold[] {
  if (!Number.isInteger(k) || k < 2) {
    throw new RangeError(`cv must be an integer >= 2, got ${k}`);
  }
  const classes = byClass(y, nClasses);
  const smallest = Math.min(...classes.map((c) => c.length));
  if (smallest < k) {
    throw new RangeError(
      `cv must be at most the size of the smallest class (${smallest}), got ${k}`,
    );
  }
  const rng = new Rng(seed);
  const foldOf = new Int32Array(y.length);
  let next = 0;
  for (const rows of classes) {
    rng.shuffle(rows);
    for (const i of rows) {
      foldOf[i] = next;
      next = (next + 1) % k;
    }
  }
  return Array.from({ length: k }, (_, f) => {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < y.length; i++) (foldOf[i] === f ? test : train).push(i);
    return { train: Int32Array.from(train), test: Int32Array.from(test) };
  });
}

/**
 * The rows of `index` reordered so that every prefix is (nearly)
 * stratified: within each class a seeded shuffle, then the classes merged
 * by the position (rank + 0.5) / classSize, ties to the smaller class
 * index. Successive halving trains on prefixes of this order, so a
 * larger rung's rows contain the smaller rung's.
 */
export function stratifiedOrder(
  index: Int32Array,
  y: ArrayLike<number>,
  nClasses: number,
  seed: number,
): Int32Array {
  const rng = new Rng(seed);
  const classes: number[][] = Array.from({ length: nClasses }, () => []);
  for (const i of index) classes[y[i]].push(i);
  const keyed: { row: number; key: number; c: number }[] = [];
  classes.forEach((rows, c) => {
    rng.shuffle(rows);
    rows.forEach((row, r) =>
      keyed.push({ row, key: (r + 0.5) / rows.length, c }),
    );
  });
  keyed.sort((a, b) => a.key - b.key || a.c - b.c);
  return Int32Array.from(keyed, (e) => e.row);
}
