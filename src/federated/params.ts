/**
 * Model parameters as they travel between clients and the coordinator:
 * named arrays with a shape, so that aggregation can check that every
 * client sends the same model. Plain data (no classes), so the same
 * objects cross worker boundaries and, as JSON, WebSockets.
 */
import { describe } from "../data/matrix.js";

/** One named array: `values.length` is the product of `shape`. */
export interface Tensor {
  shape: number[];
  values: Float64Array;
}

/** A model's parameters (or an update to them) by name. */
export type NamedParams = Record<string, Tensor>;

/** The JSON form of {@link NamedParams}: plain number arrays. */
export type NamedParamsJSON = Record<
  string,
  { shape: number[]; values: number[] }
>;

/** Product of a shape's dimensions (1 for a scalar's empty shape). */
export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Whether two shapes are the same, dimension by dimension. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * The parameters of a logistic-regression model from the backend's flat
 * layout (nRows x nFeatures weights, then nRows intercepts): "coef"
 * [nRows, nFeatures] and "intercept" [nRows]. The arrays are copies.
 */
export function logisticParams(
  w: Float64Array,
  nRows: number,
  nFeatures: number,
): NamedParams {
  return {
    coef: { shape: [nRows, nFeatures], values: w.slice(0, nRows * nFeatures) },
    intercept: { shape: [nRows], values: w.slice(nRows * nFeatures) },
  };
}

/**
 * The backend's flat layout from {@link logisticParams}' form.
 * @throws RangeError when "coef" or "intercept" is missing or misshapen
 */
export function flatLogistic(
  params: NamedParams,
  nRows: number,
  nFeatures: number,
): Float64Array {
  const coef = params.coef;
  const intercept = params.intercept;
  if (!coef || !sameShape(coef.shape, [nRows, nFeatures])) {
    throw new RangeError(
      `parameter "coef" must have shape [${nRows}, ${nFeatures}], got ${coef ? `[${coef.shape}]` : "none"}`,
    );
  }
  if (!intercept || !sameShape(intercept.shape, [nRows])) {
    throw new RangeError(
      `parameter "intercept" must have shape [${nRows}], got ${intercept ? `[${intercept.shape}]` : "none"}`,
    );
  }
  const w = new Float64Array(nRows * (nFeatures + 1));
  w.set(coef.values);
  w.set(intercept.values, nRows * nFeatures);
  return w;
}

/** A deep copy, with every array of the same shape. */
export function cloneParams(params: NamedParams): NamedParams {
  const out: NamedParams = {};
  for (const [name, t] of Object.entries(params)) {
    out[name] = { shape: [...t.shape], values: t.values.slice() };
  }
  return out;
}

/** The JSON form: typed arrays become number arrays (doubles round-trip exactly). */
export function paramsToJSON(params: NamedParams): NamedParamsJSON {
  const out: NamedParamsJSON = {};
  for (const [name, t] of Object.entries(params)) {
    out[name] = { shape: [...t.shape], values: Array.from(t.values) };
  }
  return out;
}

/**
 * Checks and converts the JSON form back; `name` prefixes error messages.
 * @throws TypeError or RangeError for anything but named, finite,
 *   correctly sized arrays
 */
export function paramsFromJSON(json: unknown, name = "params"): NamedParams {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new TypeError(
      `${name} must be an object of named arrays, got ${describe(json)}`,
    );
  }
  const out: NamedParams = {};
  for (const [key, t] of Object.entries(json as Record<string, unknown>)) {
    const where = `${name}.${key}`;
    const { shape, values } = (t ?? {}) as {
      shape?: unknown;
      values?: unknown;
    };
    const dims = Array.isArray(shape) ? shape : [];
    if (
      !Array.isArray(shape) ||
      !dims.every((d) => Number.isInteger(d) && d >= 0)
    ) {
      throw new TypeError(
        `${where}.shape must be an array of integers >= 0, got ${describe(shape)}`,
      );
    }
    if (!Array.isArray(values) || values.length !== shapeSize(dims)) {
      throw new RangeError(
        `${where}.values must hold ${shapeSize(dims)} numbers, got ${describe(values)}`,
      );
    }
    if (!values.every((v) => typeof v === "number" && Number.isFinite(v))) {
      throw new TypeError(`${where}.values must be finite numbers`);
    }
    out[key] = {
      shape: [...dims] as number[],
      values: Float64Array.from(values as number[]),
    };
  }
  return out;
}

/** Euclidean norm over every array together. */
export function paramsNorm(params: NamedParams): number {
  let s = 0;
  for (const t of Object.values(params)) for (const v of t.values) s += v * v;
  return Math.sqrt(s);
}

/** Largest absolute difference between two parameter sets of the same names and shapes. */
export function maxAbsDiff(a: NamedParams, b: NamedParams): number {
  let m = 0;
  for (const [name, t] of Object.entries(a)) {
    const u = b[name];
    if (!u || u.values.length !== t.values.length) return Infinity;
    for (let k = 0; k < t.values.length; k++) {
      m = Math.max(m, Math.abs(t.values[k] - u.values[k]));
    }
  }
  return m;
}
