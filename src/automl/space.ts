/**
 * Search spaces: what each hyper-parameter may be. Runtime-independent
 * (no Node imports), so searches can run in a browser too.
 *
 * A space maps option names (the estimator's own, e.g. `maxDepth`) to a
 * dimension: a categorical list (any JSON scalar, `null` included), or an
 * integer or float range, optionally on a log scale. In JSON a bare array
 * is a categorical list:
 *
 * ```json
 * { "maxDepth": [3, 5, 7, null],
 *   "minSamplesSplit": { "type": "int", "low": 2, "high": 20 },
 *   "maxFeatures": { "type": "float", "low": 0.1, "high": 0.9 } }
 * ```
 */
import type { Rng } from "../kernels/rng.js";

/** A hyper-parameter value: any JSON scalar. */
export type ParamValue = number | string | boolean | null;

/** One configuration: option name to value. */
export type Params = Record<string, ParamValue>;

/** A list of values, tried as they are. */
export interface CategoricalDimension {
  type: "categorical";
  values: ParamValue[];
}

/** Integers (`int`) or reals (`float`) in [low, high]. */
export interface RangeDimension {
  type: "int" | "float";
  low: number;
  high: number;
  /** draw uniformly in log(value); needs low > 0; default false */
  log?: boolean;
}

export type Dimension = CategoricalDimension | RangeDimension;

/** Option name to dimension; names keep their insertion order. */
export type SearchSpace = Record<string, Dimension>;

/** A grid larger than this is a mistake, not a search. */
export const MAX_GRID_SIZE = 100_000;

function fail(name: string, message: string): never {
  throw new RangeError(`space.${name} ${message}`);
}

function isScalar(v: unknown): v is ParamValue {
  return (
    v === null ||
    typeof v === "string" ||
    typeof v === "boolean" ||
    (typeof v === "number" && Number.isFinite(v))
  );
}

/** Checks one dimension written as JSON (a bare array or an object). */
function parseDimension(name: string, raw: unknown): Dimension {
  if (Array.isArray(raw))
    return parseDimension(name, { type: "categorical", values: raw });
  if (typeof raw !== "object" || raw === null) {
    fail(
      name,
      `must be a list of values or a range object, got ${JSON.stringify(raw)}`,
    );
  }
  const d = raw as Record<string, unknown>;
  if (d.type === "categorical") {
    const values = d.values;
    if (!Array.isArray(values) || values.length === 0) {
      fail(name, "must list at least one value, got an empty list");
    }
    for (const v of values) {
      if (!isScalar(v)) {
        fail(
          name,
          `values must be numbers, strings, booleans or null, got ${JSON.stringify(v)}`,
        );
      }
    }
    const keys = values.map((v) => JSON.stringify(v));
    if (new Set(keys).size !== keys.length) {
      fail(name, `must not list a value twice, got ${JSON.stringify(values)}`);
    }
    return { type: "categorical", values: [...(values as ParamValue[])] };
  }
  if (d.type !== "int" && d.type !== "float") {
    fail(
      name,
      `type must be "categorical", "int" or "float", got ${JSON.stringify(d.type)}`,
    );
  }
  const { low, high } = d;
  const log = d.log ?? false;
  if (typeof low !== "number" || !Number.isFinite(low)) {
    fail(name, `low must be a finite number, got ${JSON.stringify(low)}`);
  }
  if (typeof high !== "number" || !Number.isFinite(high)) {
    fail(name, `high must be a finite number, got ${JSON.stringify(high)}`);
  }
  if (d.type === "int" && (!Number.isInteger(low) || !Number.isInteger(high))) {
    fail(name, `must have integer bounds, got low ${low} and high ${high}`);
  }
  if (!(low <= high))
    fail(name, `must have low <= high, got low ${low} and high ${high}`);
  if (typeof log !== "boolean")
    fail(name, `log must be true or false, got ${JSON.stringify(log)}`);
  if (log && low <= 0)
    fail(name, `must have low > 0 on a log scale, got low ${low}`);
  for (const key of Object.keys(d)) {
    if (!["type", "low", "high", "log"].includes(key)) {
      fail(
        name,
        `must have only the fields type, low, high and log, got ${JSON.stringify(key)}`,
      );
    }
  }
  return { type: d.type, low, high, log };
}

/**
 * Checks a space written as JSON (e.g. a `--space` file).
 * @throws TypeError when it is not an object; RangeError naming the
 *   dimension for an empty list, a bad range or an unknown field
 */
export function parseSpace(raw: unknown): SearchSpace {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new TypeError(
      `space must be an object of parameters, got ${JSON.stringify(raw)}`,
    );
  }
  const names = Object.keys(raw);
  if (names.length === 0)
    throw new RangeError("space must name at least one parameter, got {}");
  const space: SearchSpace = {};
  for (const name of names) {
    // defined, not assigned: a key "__proto__" stays a key (and is later
    // refused as an unknown option) instead of replacing the prototype
    Object.defineProperty(space, name, {
      value: parseDimension(name, (raw as Record<string, unknown>)[name]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return space;
}

/** The values a grid tries for one dimension, or null for a float range. */
function gridValues(d: Dimension): ParamValue[] | null {
  if (d.type === "categorical") return d.values;
  if (d.type === "float") return null;
  const out: number[] = [];
  for (let v = d.low; v <= d.high && out.length <= MAX_GRID_SIZE; v++)
    out.push(v);
  return out;
}

/**
 * The number of configurations of a space whose dimensions are all
 * categorical or integer, or Infinity when it has a float range.
 */
export function spaceSize(space: SearchSpace): number {
  let n = 1;
  for (const d of Object.values(space)) {
    if (d.type === "float") return Infinity;
    n *= d.type === "categorical" ? d.values.length : d.high - d.low + 1;
  }
  return n;
}

/**
 * Every configuration, in the order of nested loops over the dimensions
 * (the last name varies fastest, as scikit-learn's ParameterGrid with
 * the names in the given order). Integer ranges give every integer.
 * @throws RangeError for a float range, or more than MAX_GRID_SIZE points
 */
export function gridPoints(space: SearchSpace): Params[] {
  const names = Object.keys(space);
  const lists = names.map((name) => {
    const values = gridValues(space[name]);
    if (!values) {
      fail(
        name,
        "must be a list of values or an integer range for a grid, got a float range",
      );
    }
    return values;
  });
  const size = spaceSize(space);
  if (size > MAX_GRID_SIZE) {
    throw new RangeError(
      `space must have at most ${MAX_GRID_SIZE} grid points, got ${size}`,
    );
  }
  let points: Params[] = [{}];
  names.forEach((name, d) => {
    points = points.flatMap((p) => lists[d].map((v) => ({ ...p, [name]: v })));
  });
  return points;
}

/** One value of a dimension drawn uniformly (log-uniformly on a log scale). */
export function sampleDimension(d: Dimension, rng: Rng): ParamValue {
  if (d.type === "categorical") return d.values[rng.int(d.values.length)];
  if (d.type === "float") {
    const u = rng.uniform();
    if (!d.log) return d.low + u * (d.high - d.low);
    return Math.min(
      d.high,
      Math.exp(Math.log(d.low) + u * (Math.log(d.high) - Math.log(d.low))),
    );
  }
  if (!d.log) return d.low + rng.int(d.high - d.low + 1);
  // log-uniform on [low, high + 1), floored: each integer gets the mass of
  // its unit interval in log space
  const a = Math.log(d.low);
  const b = Math.log(d.high + 1);
  return Math.min(d.high, Math.floor(Math.exp(a + rng.uniform() * (b - a))));
}

/** A configuration drawn dimension by dimension, in the space's order. */
export function sampleParams(space: SearchSpace, rng: Rng): Params {
  const p: Params = {};
  for (const [name, d] of Object.entries(space))
    p[name] = sampleDimension(d, rng);
  return p;
}

/** A canonical string of a configuration: equal for equal values, any key order. */
export function paramsKey(params: Params): string {
  return JSON.stringify(
    Object.keys(params)
      .sort()
      .map((k) => [k, params[k]]),
  );
}
