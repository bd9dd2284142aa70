/** Option checks shared by the estimators: one small helper per rule. */
import { BACKENDS, type BackendName } from "../backend.js";
import { describe } from "../data/matrix.js";

/** @throws TypeError unless `value` is a number */
export function checkNumber(name: string, value: unknown): number {
  if (typeof value !== "number") {
    throw new TypeError(`${name} must be a number, got ${describe(value)}`);
  }
  return value;
}

/** @throws TypeError unless `value` is a boolean */
export function checkBoolean(name: string, value: unknown): boolean {
  if (typeof value !== "boolean") {
    throw new TypeError(
      `${name} must be true or false, got ${describe(value)}`,
    );
  }
  return value;
}

/**
 * Checks that `options` is a plain object whose keys are all known.
 * @throws TypeError for a non-object or an unknown key (a misspelt option
 *   would otherwise be silently ignored)
 */
export function checkOptions(
  name: string,
  options: unknown,
  known: readonly string[],
): Record<string, unknown> {
  if (options === undefined) return {};
  if (
    typeof options !== "object" ||
    options === null ||
    Array.isArray(options)
  ) {
    throw new TypeError(`${name} must be an object, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TypeError(
        `${name} has no option ${JSON.stringify(key)}; the options are ${known.join(", ")}`,
      );
    }
  }
  return options as Record<string, unknown>;
}

/** @throws RangeError unless `value` is a finite number > 0 */
export function checkPositive(name: string, value: number): number {
  checkNumber(name, value);
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a finite number > 0, got ${value}`);
  }
  return value;
}

/** @throws RangeError unless `value` is a finite number >= 0 */
export function checkNonNegative(name: string, value: number): number {
  checkNumber(name, value);
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number >= 0, got ${value}`);
  }
  return value;
}

/** @throws RangeError unless `value` is an integer >= `min` */
export function checkInteger(name: string, value: number, min: number): number {
  checkNumber(name, value);
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
  }
  return value;
}

/** @throws RangeError for a backend name other than "wasm" or "ts" */
export function checkBackend(value: string): BackendName {
  if (typeof value !== "string") {
    throw new TypeError(
      `backend must be "wasm" or "ts", got ${describe(value)}`,
    );
  }
  if (!BACKENDS.includes(value as BackendName)) {
    throw new RangeError(
      `backend must be one of ${BACKENDS.join(", ")}, got ${JSON.stringify(value)}`,
    );
  }
  return value as BackendName;
}
