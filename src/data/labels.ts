/**
 * Class labels as models see them: the sorted distinct classes plus, for
 * each sample, the index of its class. Sorting follows numpy.unique, so
 * `classes` lists in the order scikit-learn's `classes_` would.
 */
import type { Label } from "./dataset.js";
import { DataError } from "../errors.js";
import { describe } from "./matrix.js";

/** What {@link encodeLabels} returns. */
export interface EncodedLabels {
  /** the distinct labels, sorted: numbers ascending, strings by code point */
  classes: Label[];
  /** length nSamples: `classes[indices[i]]` is the label of sample i */
  indices: Int32Array;
}

/**
 * Finds the classes of `y` and the class index of every sample.
 * Numbers and strings are both fine but not mixed in one `y`; -0 and 0 are
 * the same class. Strings sort by Unicode code point, as numpy and Python
 * compare them (this differs from JavaScript's default code-unit order
 * only for characters beyond U+FFFF against U+E000-U+FFFF).
 * @param y nSamples labels; not modified
 * @param name the parameter's name, for error messages (default "y")
 * @returns the classes and an Int32Array of length nSamples
 * @throws TypeError if `y` is not an array, holds something other than a
 *   finite number or a string, or mixes numbers with strings
 */
export function encodeLabels(y: readonly Label[], name = "y"): EncodedLabels {
  if (!Array.isArray(y)) {
    throw new TypeError(
      `${name} must be an array of labels, got ${describe(y)}`,
    );
  }
  const kind = checkLabelKinds(y, name);

  const index = new Map<Label, number>();
  for (const v of y) if (!index.has(v)) index.set(v, 0);
  const classes = [...index.keys()];
  if (kind === "number") {
    (classes as number[]).sort((a, b) => a - b);
  } else {
    (classes as string[]).sort(compareCodePoints);
  }
  classes.forEach((c, k) => index.set(c, k));

  const indices = new Int32Array(y.length);
  for (let i = 0; i < y.length; i++) indices[i] = index.get(y[i]) as number;
  return { classes, indices };
}

/**
 * Checks that there is one label per sample.
 * @param y the labels (any array-like)
 * @param nSamples the number of rows of the data matrix
 * @param name the parameter's name, for error messages (default "y")
 * @throws DataError when `y.length !== nSamples`
 */
export function checkLabelCount(
  y: ArrayLike<unknown>,
  nSamples: number,
  name = "y",
): void {
  if (y.length !== nSamples) {
    throw new DataError(
      `${name} must have one label per sample (${nSamples}), got ${y.length}`,
    );
  }
}

/** The common kind of the labels; "number" for an empty `y`. */
function checkLabelKinds(
  y: readonly Label[],
  name: string,
): "number" | "string" {
  let first = -1;
  for (let i = 0; i < y.length; i++) {
    const v = y[i] as unknown;
    if (typeof v === "number" && !Number.isFinite(v)) {
      throw new TypeError(
        `${name}[${i}] must be a finite number or a string, got ${v}`,
      );
    }
    if (typeof v !== "number" && typeof v !== "string") {
      throw new TypeError(
        `${name}[${i}] must be a number or a string, got ${describe(v)}`,
      );
    }
    if (first < 0) first = i;
    else if (typeof v !== typeof y[first]) {
      throw new TypeError(
        `${name} must hold only numbers or only strings, got ` +
          `${describe(y[first])} at index ${first} and ${describe(v)} ` +
          `at index ${i}`,
      );
    }
  }
  return first >= 0 && typeof y[first] === "string" ? "string" : "number";
}

/**
 * Orders strings by code point. UTF-16 code-unit order agrees except that
 * surrogates (U+D800-U+DFFF, which encode code points above U+FFFF) sort
 * below U+E000-U+FFFF; lifting surrogates above that block fixes it.
 */
function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let k = 0; k < n; k++) {
    const ca = a.charCodeAt(k);
    const cb = b.charCodeAt(k);
    if (ca !== cb) return liftSurrogate(ca) - liftSurrogate(cb);
  }
  return a.length - b.length;
}

function liftSurrogate(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}
