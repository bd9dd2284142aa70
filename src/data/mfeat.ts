/**
 * The real data sets shipped in data/ (see data/README.md for sources,
 * licences and citations). Node only: the files are read through
 * files.ts, located relative to this module, which sits two folders below
 * the package root both as src/data/mfeat.ts and as dist/data/mfeat.js.
 */
import type { Label, MultiViewDataset } from "./dataset.js";
import { DataError } from "../errors.js";
import { readCsvFile } from "./files.js";
import { describe, type Matrix } from "./matrix.js";
import { loadModalities } from "./modalities.js";

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

/** What {@link loadWdbc} returns. */
export interface WdbcData {
  /** 569 x 30 */
  X: Matrix;
  /** 569 labels: 1 benign (357 rows), 2 malignant (212 rows) */
  y: number[];
  /** "V1".."V30", as in the OpenML file */
  featureNames: string[];
}

/**
 * Loads handwritten digits '0'-'9' from UCI Multiple Features: 2,000 rows
 * (200 per digit) with one modality per view, named as the view. Labels
 * are the file's `class` column, 1..10, i.e. digit + 1 (kept as shipped
 * so results match other tools reading the OpenML files). Rows are sorted
 * by class, so shuffle before splitting (trainTestSplit does by default).
 * @param views names of {@link MFEAT_VIEWS}, in the order wanted, no
 *   repeats; default factors, karhunen, zernike
 * @returns a data set named "mfeat"; reads and parses the files each call
 * @throws TypeError when `views` is not an array of strings
 * @throws RangeError for no views, an unknown or repeated view (listing
 *   the valid ones)
 * @throws DataError if a shipped file is damaged (wrong feature count,
 *   misaligned labels)
 */
export function loadMfeat(
  views: readonly string[] = MFEAT_DEFAULT_VIEWS,
): MultiViewDataset {
  checkViews(views);
  const specs = views.map((name) => ({
    name,
    path: new URL(`../../data/mfeat/${name}.csv.gz`, import.meta.url),
  }));
  const data = loadModalities(specs, { label: "class", name: "mfeat" });
  for (const m of data.modalities) {
    const expected = MFEAT_VIEWS[m.name as MfeatView];
    if (m.X.cols !== expected) {
      throw new DataError(
        `data/mfeat/${m.name}.csv.gz must have ${expected} features, ` +
          `got ${m.X.cols}`,
      );
    }
  }
  return data;
}

/**
 * Loads Breast Cancer Wisconsin (Diagnostic) from data/wdbc.csv.gz:
 * 569 rows, 30 features, label column "Class".
 * @returns a new copy on each call
 * @throws DataError if the shipped file is damaged
 */
export function loadWdbc(): WdbcData {
  const path = new URL("../../data/wdbc.csv.gz", import.meta.url);
  const { X, y, featureNames } = readCsvFile(path, { label: "Class" });
  if (!isNumbers(y)) {
    throw new DataError("data/wdbc.csv.gz must have numeric labels");
  }
  return { X, y, featureNames };
}

function checkViews(views: readonly string[]): void {
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

function isNumbers(y: readonly Label[] | undefined): y is number[] {
  return y !== undefined && y.every((v) => typeof v === "number");
}
