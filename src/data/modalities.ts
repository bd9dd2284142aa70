/**
 * Multi-view data sets from one CSV file per modality. Node only, through
 * files.ts; browser code should import `alignModalities` from csv.ts,
 * where it lives so that it can be used without node:fs.
 */
import type { MultiViewDataset } from "./dataset.js";
import {
  alignModalities,
  checkModalityNames,
  type ParsedModality,
} from "./csv.js";
import { readCsvFile } from "./files.js";
import { describe } from "./matrix.js";

export {
  alignModalities,
  checkModalityNames,
  type AlignOptions,
  type ParsedModality,
} from "./csv.js";

/** One file of {@link loadModalities}. */
export interface ModalitySpec {
  /** the modality's name: non-empty, unique within the data set */
  name: string;
  /** the CSV file, plain or gzip-compressed */
  path: string | URL;
}

/** Options of {@link loadModalities}. */
export interface LoadModalitiesOptions {
  /** header name of the label column, required in every file */
  label: string;
  /** the data set's name; default "dataset" */
  name?: string;
  /** one character between fields; default "," */
  delimiter?: string;
}

/**
 * Reads one CSV file per modality and pairs them with alignModalities:
 * each file must have the label column, and all files the same number of
 * rows and the same label on every row. Every column but the label is a
 * feature.
 * @param specs the modalities' names and files, in the data set's order
 * @param options the label column (required), data set name, delimiter
 * @returns the data set; `y` comes from the first file
 * @throws TypeError for specs or a label of the wrong kind
 * @throws RangeError for no specs, an empty or repeated name (checked
 *   before any file is read), or a missing file
 * @throws DataError naming the file for anything readCsvFile rejects, and
 *   naming both files when two do not line up
 */
export function loadModalities(
  specs: readonly ModalitySpec[],
  options: LoadModalitiesOptions,
): MultiViewDataset {
  const { label, name, delimiter } = options;
  if (!Array.isArray(specs)) {
    throw new TypeError(`specs must be an array, got ${describe(specs)}`);
  }
  if (typeof label !== "string") {
    throw new TypeError(`label must be a string, got ${describe(label)}`);
  }
  checkModalityNames(specs.map((s) => s.name));

  const parts: ParsedModality[] = specs.map((s) => ({
    name: s.name,
    ...readCsvFile(s.path, { label, delimiter }),
  }));
  return alignModalities(parts, { name });
}
