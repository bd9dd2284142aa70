/**
 * Train/test splits as row indices, with scikit-learn's train_test_split
 * semantics for the sizes: a fractional testSize takes ceil(testSize * n)
 * rows for testing, an integer takes exactly that many, and the rest train.
 */
import { Rng } from "../kernels/rng.js";
import type { Label } from "./dataset.js";
import { DataError } from "../errors.js";
import { checkLabelCount, encodeLabels, type EncodedLabels } from "./labels.js";
import { describe } from "./matrix.js";

/** Options of {@link trainTestSplit}. */
export interface SplitOptions {
  /**
   * a fraction in (0, 1) of the rows, rounded up, or an integer count in
   * [1, nSamples - 1]; default 0.25
   */
  testSize?: number;
  /** seed of the shuffle; default 0 */
  seed?: number;
  /**
   * nSamples labels (or class indices): split every class in proportion,
   * so train and test keep the class shares; needs `shuffle`
   */
  stratify?: readonly Label[] | Int32Array;
  /**
   * shuffle before splitting; default true. Without it the first nTrain
   * rows train and the rest test, in order.
   */
  shuffle?: boolean;
}

/** What {@link trainTestSplit} returns: disjoint, together all rows. */
export interface Split {
  /** nTrain row indices, in shuffled order when shuffling */
  train: Int32Array;
  /** nTest row indices, in shuffled order when shuffling */
  test: Int32Array;
}

/**
 * Splits the rows 0..nSamples-1 into train and test indices.
 *
 * Stratified splits give each class a share of the test rows proportional
 * to its size (largest remainders, ties broken at random, as scikit-learn's
 * StratifiedShuffleSplit approximately does) but never all of a class's
 * rows, so every class appears in train; the test size is exact.
 * @param nSamples the number of rows, an integer >= 2
 * @param options test size, seed, stratification labels, shuffle
 * @returns new index arrays; a seed always gives the same split
 * @throws TypeError for options of the wrong kind
 * @throws RangeError for sizes out of range (including an empty train or
 *   test set), a non-integer seed, or stratify with shuffle false
 * @throws DataError when stratify has the wrong length, a class with only
 *   one member, or more classes than train or test rows
 */
export function trainTestSplit(
  nSamples: number,
  options: SplitOptions = {},
): Split {
  const { testSize = 0.25, seed = 0, stratify, shuffle = true } = options;
  checkSplitOptions(nSamples, seed, shuffle, stratify);
  const nTest = resolveTestSize(testSize, nSamples);

  if (stratify !== undefined) {
    const { classes, indices } = encodeStratify(stratify, nSamples);
    return stratifiedSplit(indices, classes, nTest, seed);
  }
  const order = new Int32Array(nSamples);
  for (let i = 0; i < nSamples; i++) order[i] = i;
  if (!shuffle) {
    const nTrain = nSamples - nTest;
    return { train: order.slice(0, nTrain), test: order.slice(nTrain) };
  }
  new Rng(seed).shuffle(order);
  return { train: order.slice(nTest), test: order.slice(0, nTest) };
}

function checkSplitOptions(
  nSamples: number,
  seed: number,
  shuffle: boolean,
  stratify: unknown,
): void {
  if (typeof nSamples !== "number") {
    throw new TypeError(`nSamples must be a number, got ${describe(nSamples)}`);
  }
  if (!Number.isInteger(nSamples) || nSamples < 2) {
    throw new RangeError(`nSamples must be an integer >= 2, got ${nSamples}`);
  }
  if (!Number.isInteger(seed)) {
    throw new RangeError(`seed must be an integer, got ${describe(seed)}`);
  }
  if (typeof shuffle !== "boolean") {
    throw new TypeError(`shuffle must be a boolean, got ${describe(shuffle)}`);
  }
  if (stratify !== undefined && !shuffle) {
    // scikit-learn refuses this too: an unshuffled split cannot honour the
    // class shares unless the rows happen to be interleaved by class.
    throw new RangeError(
      "shuffle must be true when stratify is given, got false",
    );
  }
}

/** The number of test rows, by scikit-learn's rules. */
function resolveTestSize(testSize: number, nSamples: number): number {
  if (typeof testSize !== "number") {
    throw new TypeError(`testSize must be a number, got ${describe(testSize)}`);
  }
  if (Number.isInteger(testSize)) {
    if (testSize < 1 || testSize > nSamples - 1) {
      throw new RangeError(
        `testSize must be a fraction in (0, 1) or a count in ` +
          `[1, ${nSamples - 1}], got ${testSize}`,
      );
    }
    return testSize;
  }
  if (!(testSize > 0 && testSize < 1)) {
    throw new RangeError(
      `testSize must be a fraction in (0, 1) or a count in ` +
        `[1, ${nSamples - 1}], got ${testSize}`,
    );
  }
  const nTest = Math.ceil(testSize * nSamples);
  if (nTest >= nSamples) {
    throw new RangeError(
      `testSize must leave at least one training row, got ${testSize} ` +
        `of ${nSamples} rows (${nTest} for testing)`,
    );
  }
  return nTest;
}

/** Classes and class index per row, from labels or class indices. */
function encodeStratify(
  stratify: readonly Label[] | Int32Array,
  nSamples: number,
): EncodedLabels {
  if (stratify instanceof Int32Array) {
    checkLabelCount(stratify, nSamples, "stratify");
    return encodeLabels(Array.from(stratify), "stratify");
  }
  if (!Array.isArray(stratify)) {
    throw new TypeError(
      `stratify must be an array of labels or an Int32Array, got ` +
        describe(stratify),
    );
  }
  checkLabelCount(stratify, nSamples, "stratify");
  return encodeLabels(stratify, "stratify");
}

/** Shuffles each class, cuts it at its test share, then shuffles both. */
function stratifiedSplit(
  y: Int32Array,
  classes: readonly Label[],
  nTest: number,
  seed: number,
): Split {
  const members = groupByClass(y, classes.length);
  const nClasses = members.length;
  const nSamples = y.length;
  checkClassCounts(members, classes, nTest, nSamples);

  const rng = new Rng(seed);
  const counts = members.map((m) => m.length);
  const testCounts = allocate(counts, nTest, rng);
  const train = new Int32Array(nSamples - nTest);
  const test = new Int32Array(nTest);
  let nTrainSoFar = 0;
  let nTestSoFar = 0;
  for (let c = 0; c < nClasses; c++) {
    const rows = rng.shuffle(members[c]);
    const t = testCounts[c];
    test.set(rows.subarray(0, t), nTestSoFar);
    train.set(rows.subarray(t), nTrainSoFar);
    nTestSoFar += t;
    nTrainSoFar += rows.length - t;
  }
  return { train: rng.shuffle(train), test: rng.shuffle(test) };
}

/** The rows of each class, classes in index order. */
function groupByClass(y: Int32Array, nClasses: number): Int32Array[] {
  const counts = new Int32Array(nClasses);
  for (const c of y) counts[c]++;
  const members = Array.from(counts, (n) => new Int32Array(n));
  const filled = new Int32Array(nClasses);
  for (let i = 0; i < y.length; i++) members[y[i]][filled[y[i]]++] = i;
  return members;
}

/** scikit-learn's StratifiedShuffleSplit preconditions. */
function checkClassCounts(
  members: readonly Int32Array[],
  classes: readonly Label[],
  nTest: number,
  nSamples: number,
): void {
  const lonely = members.findIndex((m) => m.length < 2);
  if (lonely >= 0) {
    // The opening words are scikit-learn's, so the error is recognisable.
    throw new DataError(
      "the least populated class in y has only 1 member, which is too " +
        "few: stratify must have at least 2 rows per class, got 1 for " +
        `class ${describe(classes[lonely])}`,
    );
  }
  const nClasses = members.length;
  if (nSamples - nTest < nClasses) {
    throw new DataError(
      `the train size must be at least the number of classes ` +
        `(${nClasses}), got ${nSamples - nTest}`,
    );
  }
  if (nTest < nClasses) {
    throw new DataError(
      `the test size must be at least the number of classes ` +
        `(${nClasses}), got ${nTest}`,
    );
  }
}

/**
 * Test rows per class: floor(count * nTest / n) each, then one more to the
 * classes with the largest remainders (random among ties) until nTest is
 * reached, never giving a class all its rows. The cap is feasible because
 * nTest <= n - nClasses, and every class has >= 2 rows so its floor share
 * count * nTest / n < count never reaches the cap on its own.
 */
function allocate(
  counts: readonly number[],
  nTest: number,
  rng: Rng,
): Int32Array {
  const n = counts.reduce((a, b) => a + b, 0);
  const share = counts.map((c) => (c * nTest) / n);
  const out = Int32Array.from(share, Math.floor);
  let need = nTest - out.reduce((a, b) => a + b, 0);

  const ties = rng.fillUniform(counts.length);
  const order = counts.map((_, c) => c);
  order.sort((a, b) => {
    const ra = share[a] - out[a];
    const rb = share[b] - out[b];
    return rb - ra || ties[a] - ties[b];
  });
  while (need > 0) {
    for (const c of order) {
      if (need === 0) break;
      if (out[c] < counts[c] - 1) {
        out[c]++;
        need--;
      }
    }
  }
  return out;
}
