/**
 * 1-D signals for diffusion: the course's noisy sine, a family of random
 * sines to train on, and the user's own signals from CSV text.
 */
import { DataError } from "../errors.js";
import { matrix, type Matrix } from "../data/matrix.js";
import { Rng } from "../kernels/rng.js";
import { checkInteger } from "../models/validation.js";

/** Values per signal in the course's demo and the default training family. */
export const SIGNAL_LENGTH = 100;

/**
 * The course's signal: sin(x) at `length` points evenly spaced over
 * [0, 4π], plus 0.1 N(0, 1) noise from our generator (so seed 42 gives
 * other noise than numpy's seed 42; the same distribution).
 */
export function courseSignal(seed = 42, length = SIGNAL_LENGTH): Float64Array {
  checkInteger("length", length, 2);
  const noise = new Rng(seed).fillNormal(length);
  const out = new Float64Array(length);
  for (let j = 0; j < length; j++) {
    out[j] = Math.sin((4 * Math.PI * j) / (length - 1)) + 0.1 * noise[j];
  }
  return out;
}

/** Ranges of the random sine family. */
export const SINE_FAMILY = {
  /** amplitude A, uniform */
  amplitude: [0.5, 1.5],
  /** cycles over the whole signal f, uniform (the course's sine has 2) */
  cycles: [1, 3],
} as const;

/**
 * `nSignals` sines A sin(2π f j / (length - 1) + φ), j = 0..length-1, with
 * A, f uniform over {@link SINE_FAMILY} and φ uniform on [0, 2π); one
 * signal per row of the returned nSignals x length matrix.
 */
export function makeSines(
  nSignals: number,
  seed = 0,
  length = SIGNAL_LENGTH,
): Matrix {
  checkInteger("nSignals", nSignals, 1);
  checkInteger("length", length, 2);
  const rng = new Rng(seed);
  const X = matrix(nSignals, length);
  const [aLo, aHi] = SINE_FAMILY.amplitude;
  const [fLo, fHi] = SINE_FAMILY.cycles;
  for (let i = 0; i < nSignals; i++) {
    const a = aLo + (aHi - aLo) * rng.uniform();
    const f = fLo + (fHi - fLo) * rng.uniform();
    const phase = 2 * Math.PI * rng.uniform();
    for (let j = 0; j < length; j++) {
      X.data[i * length + j] =
        a * Math.sin((2 * Math.PI * f * j) / (length - 1) + phase);
    }
  }
  return X;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Signals from CSV text, one signal per row, every row the same length
 * (at least 2 values). A first row that is not all numbers is taken as a
 * header and skipped; blank lines are skipped.
 * @throws DataError for no signals, a ragged row, or a cell that is not a
 *   finite number, naming `source` and the line
 */
export function parseSignalsCsv(text: string, source = "input"): Matrix {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  const rows: number[][] = [];
  let width = -1;
  for (let n = 0; n < lines.length; n++) {
    if (lines[n].trim() === "") continue;
    const cells = lines[n].split(",").map((c) => c.trim());
    const numeric = cells.every((c) => NUMBER.test(c));
    if (!numeric && rows.length === 0 && width < 0) {
      width = cells.length; // a header
      continue;
    }
    const bad = cells.findIndex(
      (c) => !NUMBER.test(c) || !Number.isFinite(Number(c)),
    );
    if (bad >= 0) {
      throw new DataError(
        `${source} line ${n + 1}: value ${bad + 1} must be a finite number, got ${JSON.stringify(cells[bad])}`,
      );
    }
    if (width >= 0 && cells.length !== width) {
      throw new DataError(
        `${source} line ${n + 1}: every signal must have ${width} values, got ${cells.length}`,
      );
    }
    width = cells.length;
    rows.push(cells.map(Number));
  }
  if (rows.length === 0)
    throw new DataError(`${source} must hold at least 1 signal, got none`);
  if (width < 2)
    throw new DataError(
      `${source}: signals must have at least 2 values, got ${width}`,
    );
  return matrix(rows.length, width, Float64Array.from(rows.flat()));
}
