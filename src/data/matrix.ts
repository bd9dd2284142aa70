/**
 * The dense matrix used throughout: row-major `Float64Array` with its shape.
 * Public methods also accept `number[][]`, converted (and checked) here.
 */
import { DataError } from "../errors.js";

/** A row-major matrix: element (i, j) is `data[i * cols + j]`. */
export interface Matrix {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

/** What public APIs accept as a data matrix. */
export type MatrixLike = Matrix | readonly (readonly number[])[];

/** A new zero matrix, or one over `data` (not copied) when given. */
export function matrix(
  rows: number,
  cols: number,
  data?: Float64Array,
): Matrix {
  if (!Number.isInteger(rows) || rows < 0) {
    throw new RangeError(`rows must be an integer >= 0, got ${rows}`);
  }
  if (!Number.isInteger(cols) || cols < 0) {
    throw new RangeError(`cols must be an integer >= 0, got ${cols}`);
  }
  const d = data ?? new Float64Array(rows * cols);
  if (d.length !== rows * cols) {
    throw new RangeError(
      `data length must be rows * cols = ${rows * cols}, got ${d.length}`,
    );
  }
  return { data: d, rows, cols };
}

/** True for a `Matrix` object (as opposed to an array of rows). */
export function isMatrix(x: unknown): x is Matrix {
  return (
    typeof x === "object" &&
    x !== null &&
    (x as Matrix).data instanceof Float64Array &&
    typeof (x as Matrix).rows === "number" &&
    typeof (x as Matrix).cols === "number"
  );
}

/**
 * Converts and validates a data matrix. Arrays of rows are copied; a
 * `Matrix` is used as it is (not copied).
 * @param name the parameter's name, for error messages
 * @param allowNonFinite accept NaN and ±Infinity (default false)
 * @throws TypeError for something that is not a matrix or has non-numbers
 * @throws DataError for ragged rows or non-finite values
 */
export function toMatrix(
  x: MatrixLike,
  name = "X",
  allowNonFinite = false,
): Matrix {
  let m: Matrix;
  if (isMatrix(x)) {
    if (x.data.length !== x.rows * x.cols) {
      throw new RangeError(
        `${name}.data length must be rows * cols = ${x.rows * x.cols}, got ${x.data.length}`,
      );
    }
    m = x;
  } else if (Array.isArray(x)) {
    m = fromRows(x, name);
  } else {
    throw new TypeError(
      `${name} must be a Matrix or an array of rows, got ${describe(x)}`,
    );
  }
  if (!allowNonFinite) assertFinite(m, name);
  return m;
}

function fromRows(rows: readonly (readonly number[])[], name: string): Matrix {
  const nRows = rows.length;
  const nCols = nRows > 0 && Array.isArray(rows[0]) ? rows[0].length : 0;
  const data = new Float64Array(nRows * nCols);
  for (let i = 0; i < nRows; i++) {
    const row = rows[i];
    if (!Array.isArray(row) && !ArrayBuffer.isView(row)) {
      throw new TypeError(
        `${name}[${i}] must be an array, got ${describe(row)}`,
      );
    }
    if (row.length !== nCols) {
      throw new DataError(
        `${name} is ragged: row 0 has ${nCols} values, row ${i} has ${row.length}`,
      );
    }
    for (let j = 0; j < nCols; j++) {
      const v = row[j];
      if (typeof v !== "number") {
        throw new TypeError(
          `${name}[${i}][${j}] must be a number, got ${describe(v)}`,
        );
      }
      data[i * nCols + j] = v;
    }
  }
  return { data, rows: nRows, cols: nCols };
}

/** @throws DataError naming the first NaN or infinite entry */
export function assertFinite(m: Matrix, name = "X"): void {
  const d = m.data;
  for (let p = 0; p < d.length; p++) {
    if (!Number.isFinite(d[p])) {
      const i = Math.floor(p / m.cols);
      const j = p - i * m.cols;
      throw new DataError(
        `${name} must contain only finite numbers, got ${d[p]} at row ${i}, column ${j}`,
      );
    }
  }
}

/** A short description of a value for error messages. */
export function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === "string")
    return JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v);
  if (typeof v === "object")
    return (v as object).constructor?.name ?? "an object";
  return String(v);
}

/** The rows of `m` at `index`, in that order, as a new matrix. */
export function takeRows(m: Matrix, index: ArrayLike<number>): Matrix {
  const out = new Float64Array(index.length * m.cols);
  for (let r = 0; r < index.length; r++) {
    const i = index[r];
    out.set(m.data.subarray(i * m.cols, (i + 1) * m.cols), r * m.cols);
  }
  return { data: out, rows: index.length, cols: m.cols };
}

/** The first `k` columns of `m` (all of them if it has fewer). */
export function takeColumns(m: Matrix, k: number): Matrix {
  const cols = Math.min(k, m.cols);
  const out = new Float64Array(m.rows * cols);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < cols; j++) out[i * cols + j] = m.data[i * m.cols + j];
  }
  return { data: out, rows: m.rows, cols };
}

/** Side-by-side concatenation; every part must have the same rows. */
export function hstack(parts: readonly Matrix[]): Matrix {
  if (parts.length === 0)
    throw new RangeError("hstack needs at least one matrix");
  const rows = parts[0].rows;
  let cols = 0;
  for (const [p, m] of parts.entries()) {
    if (m.rows !== rows) {
      throw new DataError(
        `hstack: part 0 has ${rows} rows, part ${p} has ${m.rows}`,
      );
    }
    cols += m.cols;
  }
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    let offset = i * cols;
    for (const m of parts) {
      out.set(m.data.subarray(i * m.cols, (i + 1) * m.cols), offset);
      offset += m.cols;
    }
  }
  return { data: out, rows, cols };
}

/** Element-wise product of two matrices of the same shape. */
export function multiply(a: Matrix, b: Matrix): Matrix {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new RangeError(
      `multiply needs equal shapes, got ${a.rows}x${a.cols} and ${b.rows}x${b.cols}`,
    );
  }
  const out = new Float64Array(a.data.length);
  for (let p = 0; p < out.length; p++) out[p] = a.data[p] * b.data[p];
  return { data: out, rows: a.rows, cols: a.cols };
}
