/**
 * The real data sets shipped in data/ (see data/README.md for sources,
 * licences and citations). Node only: the files are read through
 * files.ts, located relative to this module, which sits two folders below
 * the package root both as src/data/mfeat.ts and as dist/data/mfeat.js.
 */
import type { Label, MultiViewDataset } from "./dataset.js";
import { DataError } from "../errors.js";
import { readCsvFile } from "./files.js";
import type { Matrix } from "./matrix.js";
import { loadModalities } from "./modalities.js";
import {
  checkMfeatViews,
  MFEAT_DEFAULT_VIEWS,
  MFEAT_VIEWS,
  type MfeatView,
} from "./mfeat-views.js";

export {
  checkMfeatViews,
  MFEAT_DEFAULT_VIEWS,
  MFEAT_VIEWS,
  type MfeatView,
} from "./mfeat-views.js";

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
  checkMfeatViews(views);
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

function isNumbers(y: readonly Label[] | undefined): y is number[] {
  return y !== undefined && y.every((v) => typeof v === "number");
}
