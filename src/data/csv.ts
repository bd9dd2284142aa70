/**
 * Numeric CSV tables with a header row, parsed from text, and the pairing
 * of several tables into one multi-view data set. Browser-safe: no Node
 * imports here (files.ts reads files, modalities.ts loads data sets).
 *
 * Fields follow RFC 4180 closely enough for data files: a field may be
 * quoted ("a,b" stays one field, "" is a literal quote, quoted fields may
 * span lines); unquoted fields are trimmed; CRLF, CR and LF all end a
 * record; blank lines and a leading byte-order mark are skipped.
 */
import type { Label, Modality, MultiViewDataset } from "./dataset.js";
import { DataError } from "../errors.js";
import { describe, type Matrix } from "./matrix.js";

/** Options of {@link parseCsv}. */
export interface CsvOptions {
  /** names the input in error messages, e.g. a file path; default "input" */
  source?: string;
  /** header name of the label column; without it every column is a feature */
  label?: string;
  /** one character between fields; default "," */
  delimiter?: string;
}

/** A parsed table: the feature matrix plus, when asked for, the labels. */
export interface CsvTable {
  /** the `source` option, so that later messages can name the input */
  source: string;
  /** every column name, in file order, trimmed */
  header: string[];
  /** nSamples x nFeatures: every column except the label, in file order */
  X: Matrix;
  /** the nFeatures column names of `X` */
  featureNames: string[];
  /**
   * nSamples labels when `label` was given: numbers if every label cell is
   * a finite decimal number, otherwise the trimmed strings
   */
  y?: Label[];
}

/** One record of the file: its cells and the line it starts on. */
interface CsvRecord {
  line: number;
  cells: string[];
}

/**
 * A finite or infinite decimal number, as written in data files. Narrower
 * than `Number()`, which would also take "0x1f", "" and " " (as 0).
 */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parses CSV text with a header row into a feature matrix and, optionally,
 * labels. Line numbers in messages are 1-based physical lines of the text
 * (the header is line 1 unless blank lines precede it).
 * @param text the whole file
 * @param options source name, label column, delimiter
 * @returns a new table; nothing refers back to `text`
 * @throws TypeError when `text` is not a string or an option has the wrong
 *   type
 * @throws RangeError for a delimiter that is not one character, or is a
 *   quote or line break
 * @throws DataError for empty input, no data rows, empty or duplicate
 *   column names, a label column that is not in the header, a row whose
 *   cell count differs from the header's, a feature cell that is not a
 *   finite decimal number (empty, "NaN", "Infinity", "abc"), an empty label
 *   cell, or an unclosed quote
 */
export function parseCsv(text: string, options: CsvOptions = {}): CsvTable {
  const { source = "input", label, delimiter = "," } = options;
  checkOptions(text, source, label, delimiter);

  const records = splitRecords(text, delimiter, source);
  if (records.length === 0) {
    throw new DataError(`${source} must have a header row, got empty input`);
  }
  const header = checkHeader(records[0], source);
  if (records.length === 1) {
    throw new DataError(
      `${source} must have at least one data row after the header, got 0`,
    );
  }
  const labelColumn = findLabel(header, label, source);

  const rows = records.slice(1);
  const X = readFeatures(rows, header, labelColumn, source);
  const featureNames = header.filter((_, j) => j !== labelColumn);
  if (labelColumn < 0) return { source, header, X, featureNames };
  const y = readLabels(rows, header[labelColumn], labelColumn, source);
  return { source, header, X, featureNames, y };
}

function checkOptions(
  text: unknown,
  source: unknown,
  label: unknown,
  delimiter: unknown,
): void {
  if (typeof text !== "string") {
    throw new TypeError(`text must be a string, got ${describe(text)}`);
  }
  if (typeof source !== "string") {
    throw new TypeError(`source must be a string, got ${describe(source)}`);
  }
  if (label !== undefined && typeof label !== "string") {
    throw new TypeError(`label must be a string, got ${describe(label)}`);
  }
  if (typeof delimiter !== "string") {
    throw new TypeError(
      `delimiter must be a string, got ${describe(delimiter)}`,
    );
  }
  if (delimiter.length !== 1 || /["\r\n]/.test(delimiter)) {
    throw new RangeError(
      "delimiter must be one character other than a quote or line break, " +
        `got ${JSON.stringify(delimiter)}`,
    );
  }
}

/**
 * Splits the text into records of raw cells. Unquoted cells are trimmed;
 * quoted cells keep their inner text verbatim. Whitespace-only lines are
 * dropped, since they hold no data and often end hand-edited files.
 */
function splitRecords(
  text: string,
  delimiter: string,
  source: string,
): CsvRecord[] {
  const records: CsvRecord[] = [];
  const n = text.length;
  const sep = delimiter.charCodeAt(0);
  let p = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;

  while (p < n) {
    const start = line;
    const cells: string[] = [];
    let anyQuoted = false;
    for (;;) {
      p = skipBlanks(text, p, sep);
      let cell: string;
      if (text.charCodeAt(p) === QUOTE) {
        const q = readQuoted(text, p, line, source);
        cell = q.cell;
        line = q.line;
        p = skipBlanks(text, q.end, sep);
        anyQuoted = true;
        if (p < n && !isFieldEnd(text.charCodeAt(p), sep)) {
          throw new DataError(
            `${source} line ${line}, field ${cells.length + 1} must end at ` +
              `its closing quote, got ${describe(text.slice(p, p + 20))} ` +
              "after it",
          );
        }
      } else {
        const from = p;
        while (p < n && !isFieldEnd(text.charCodeAt(p), sep)) p++;
        cell = text.slice(from, p).trim();
      }
      cells.push(cell);
      if (p < n && text.charCodeAt(p) === sep) {
        p++;
        continue;
      }
      p = skipLineBreak(text, p);
      line++;
      break;
    }
    const blank = cells.length === 1 && cells[0] === "" && !anyQuoted;
    if (!blank) records.push({ line: start, cells });
  }
  return records;
}

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

function isFieldEnd(c: number, sep: number): boolean {
  return c === sep || c === CR || c === LF;
}

/** Skips spaces, and tabs unless the tab is the delimiter. */
function skipBlanks(text: string, p: number, sep: number): number {
  for (;;) {
    const c = text.charCodeAt(p);
    if (c === 0x20 || (c === 0x09 && sep !== 0x09)) p++;
    else return p;
  }
}

function skipLineBreak(text: string, p: number): number {
  if (text.charCodeAt(p) === CR) p++;
  if (text.charCodeAt(p) === LF) p++;
  return p;
}

/** Reads the quoted field opening at `p`; `line` advances over newlines. */
function readQuoted(
  text: string,
  p: number,
  line: number,
  source: string,
): { cell: string; end: number; line: number } {
  const startLine = line;
  let cell = "";
  let from = p + 1;
  for (let k = from; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === LF || (c === CR && text.charCodeAt(k + 1) !== LF)) line++;
    if (c !== QUOTE) continue;
    cell += text.slice(from, k);
    if (text.charCodeAt(k + 1) !== QUOTE) return { cell, end: k + 1, line };
    cell += '"';
    from = ++k + 1;
  }
  throw new DataError(
    `${source} line ${startLine}: quoted field must be closed by a quote, ` +
      "got end of input",
  );
}

/** The trimmed column names; rejects empty and repeated ones. */
function checkHeader(record: CsvRecord, source: string): string[] {
  const header = record.cells.map((c) => c.trim());
  const seen = new Map<string, number>();
  for (const [j, name] of header.entries()) {
    if (name === "") {
      throw new DataError(
        `${source} line ${record.line}: column names must be non-empty, ` +
          `got "" in column ${j + 1}`,
      );
    }
    const before = seen.get(name);
    if (before !== undefined) {
      throw new DataError(
        `${source} line ${record.line}: column names must be unique, got ` +
          `${JSON.stringify(name)} in columns ${before + 1} and ${j + 1}`,
      );
    }
    seen.set(name, j);
  }
  return header;
}

/** The index of the label column, or -1 when no label was asked for. */
function findLabel(
  header: readonly string[],
  label: string | undefined,
  source: string,
): number {
  if (label === undefined) return -1;
  const j = header.indexOf(label.trim());
  if (j < 0) {
    const shown = header.slice(0, 12).map((h) => JSON.stringify(h));
    if (header.length > 12) shown.push(`... (${header.length} in all)`);
    const names = shown.join(", ");
    throw new DataError(
      `${source}: label must name a column, got ${JSON.stringify(label)}; ` +
        `the columns are ${names}`,
    );
  }
  return j;
}

function checkWidth(record: CsvRecord, width: number, source: string): void {
  if (record.cells.length !== width) {
    throw new DataError(
      `${source} line ${record.line} must have ${width} cells like the ` +
        `header, got ${record.cells.length}`,
    );
  }
}

function readFeatures(
  rows: readonly CsvRecord[],
  header: readonly string[],
  labelColumn: number,
  source: string,
): Matrix {
  const cols = header.length - (labelColumn < 0 ? 0 : 1);
  const data = new Float64Array(rows.length * cols);
  let p = 0;
  for (const r of rows) {
    checkWidth(r, header.length, source);
    for (let j = 0; j < header.length; j++) {
      if (j === labelColumn) continue;
      const v = parseFinite(r.cells[j]);
      if (v === undefined) {
        throw new DataError(
          `${source} line ${r.line}, column ${JSON.stringify(header[j])} ` +
            `must be a finite number, got ${describeCell(r.cells[j])}`,
        );
      }
      data[p++] = v;
    }
  }
  return { data, rows: rows.length, cols };
}

/**
 * The label column: numbers when every cell is a finite decimal number
 * (so "1" and "1.0" are one class), otherwise the trimmed strings.
 */
function readLabels(
  rows: readonly CsvRecord[],
  name: string,
  labelColumn: number,
  source: string,
): Label[] {
  const cells = rows.map((r) => r.cells[labelColumn].trim());
  const empty = cells.indexOf("");
  if (empty >= 0) {
    throw new DataError(
      `${source} line ${rows[empty].line}, column ${JSON.stringify(name)} ` +
        "must be a non-empty label, got an empty cell",
    );
  }
  const numbers = cells.map(parseFinite);
  if (numbers.every((v) => v !== undefined)) return numbers as number[];
  return cells;
}

/** The cell's value, or undefined unless it is a finite decimal number. */
function parseFinite(cell: string): number | undefined {
  const s = cell.trim();
  if (!DECIMAL.test(s)) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

function describeCell(cell: string): string {
  return cell.trim() === "" ? "an empty cell" : describe(cell);
}

// Pairing parsed tables into one data set lives here rather than in
// modalities.ts so that browsers can use it without pulling in node:fs.

/** One parsed view, e.g. `{ name: "pixel", ...parseCsv(text, { label }) }`. */
export interface ParsedModality {
  /** the modality's name: non-empty, unique within a data set */
  name: string;
  /** nSamples x nFeatures */
  X: Matrix;
  /** nSamples labels, the same in every modality */
  y?: readonly Label[];
  /** names the input in error messages; default: the modality's name */
  source?: string;
}

/** Options of {@link alignModalities}. */
export interface AlignOptions {
  /** the data set's name; default "dataset" */
  name?: string;
}

/**
 * Pairs parsed views into one data set after checking that they line up:
 * the same number of rows and, row by row, the same labels. The matrices
 * are shared with the inputs (not copied); `y` is a copy of the first
 * view's labels.
 * @param parts one entry per modality, in the order the data set keeps
 * @param options the data set's name
 * @throws TypeError when `parts` is not an array or a name is not a string
 * @throws RangeError when `parts` is empty or a name is empty or repeated
 * @throws DataError naming both sources when a view has no labels, a
 *   different row count, or a different label at some row (the first such
 *   row, 0-based, is named)
 */
export function alignModalities(
  parts: readonly ParsedModality[],
  options: AlignOptions = {},
): MultiViewDataset {
  const { name = "dataset" } = options;
  if (!Array.isArray(parts)) {
    throw new TypeError(`modalities must be an array, got ${describe(parts)}`);
  }
  checkModalityNames(parts.map((p) => p.name));

  const [first] = parts;
  const firstSource = first.source ?? first.name;
  const y = labelsOf(first);
  for (const part of parts.slice(1)) {
    const source = part.source ?? part.name;
    checkAligned(labelsOf(part), source, part.X, y, firstSource);
  }
  const modalities: Modality[] = parts.map((p) => ({ name: p.name, X: p.X }));
  return { name, modalities, y: y.slice() };
}

/**
 * Checks the names of a data set's modalities.
 * @param names one per modality
 * @throws TypeError when a name is not a string
 * @throws RangeError when there are no names, or one is empty (or only
 *   whitespace) or repeated
 */
export function checkModalityNames(names: readonly unknown[]): void {
  if (names.length === 0) {
    throw new RangeError("modalities must have at least one entry, got 0");
  }
  const seen = new Set<string>();
  for (const [k, name] of names.entries()) {
    if (typeof name !== "string") {
      throw new TypeError(
        `modalities[${k}].name must be a string, got ${describe(name)}`,
      );
    }
    if (name.trim() === "") {
      throw new RangeError(
        `modalities[${k}].name must be non-empty, got ${describe(name)}`,
      );
    }
    if (seen.has(name)) {
      throw new RangeError(
        `modality names must be unique, got ${describe(name)} twice`,
      );
    }
    seen.add(name);
  }
}

function labelsOf(part: ParsedModality): readonly Label[] {
  const source = part.source ?? part.name;
  if (part.y === undefined) {
    throw new DataError(`${source} must have labels, got none`);
  }
  if (part.y.length !== part.X.rows) {
    throw new DataError(
      `${source} must have one label per row (${part.X.rows}), ` +
        `got ${part.y.length}`,
    );
  }
  return part.y;
}

/** Same rows, same labels in the same order as the first view. */
function checkAligned(
  y: readonly Label[],
  source: string,
  X: Matrix,
  yFirst: readonly Label[],
  firstSource: string,
): void {
  if (X.rows !== yFirst.length) {
    throw new DataError(
      `${source} must have ${yFirst.length} rows like ${firstSource}, ` +
        `got ${X.rows}`,
    );
  }
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== yFirst[i]) {
      throw new DataError(
        `${source} must have the same labels as ${firstSource} row by ` +
          `row, got ${describe(y[i])} instead of ${describe(yFirst[i])} ` +
          `at row ${i} (0-based)`,
      );
    }
  }
}
