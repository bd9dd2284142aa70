/**
 * The views of the shipped mfeat data set (see data/README.md), for both
 * loaders: loadMfeat (Node, from disk) and fetchMfeat (any runtime with
 * fetch). No Node imports.
 */
import { describe } from "./matrix.js";

/**
 * The five views of UCI Multiple Features shipped in data/mfeat/, with
 * their feature counts, in the order the CLI lists them.
 */
export const MFEAT_VIEWS = {
  factors: 216, // profile correlations
  karhunen: 64, // Karhunen-Loeve coefficients
  zernike: 47, // Zernike moments
  pixel: 240, // pixel averages in 2 x 3 windows
  morphological: 6, // morphological features
} as const;

/** The name of a view of {@link MFEAT_VIEWS}. */
export type MfeatView = keyof typeof MFEAT_VIEWS;

/** The views {@link loadMfeat} loads by default. */
export const MFEAT_DEFAULT_VIEWS: readonly MfeatView[] = [
  "factors",
  "karhunen",
  "zernike",
];

/**
 * Checks a list of mfeat view names.
 * @throws TypeError when `views` is not an array of strings
 * @throws RangeError for no views, an unknown or repeated view (listing
 *   the valid ones)
 */
export function checkMfeatViews(views: readonly string[]): void {
  if (!Array.isArray(views)) {
    throw new TypeError(`views must be an array, got ${describe(views)}`);
  }
  if (views.length === 0) {
    throw new RangeError("views must name at least one view, got none");
  }
  const valid = Object.keys(MFEAT_VIEWS);
  for (const [k, v] of views.entries()) {
    if (typeof v !== "string") {
      throw new TypeError(`views[${k}] must be a string, got ${describe(v)}`);
    }
    if (!Object.hasOwn(MFEAT_VIEWS, v)) {
      throw new RangeError(
        `views[${k}] must be one of ${valid.join(", ")}, got ${describe(v)}`,
      );
    }
    if (views.indexOf(v) !== k) {
      throw new RangeError(`views must not repeat, got ${describe(v)} twice`);
    }
  }
}
