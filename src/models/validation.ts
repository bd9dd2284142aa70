/** Option checks shared by the estimators: one small helper per rule. */
import { BACKENDS, type BackendName } from "../backend.js";

/** @throws RangeError unless `value` is a finite number > 0 */
export function checkPositive(name: string, value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a finite number > 0, got ${value}`);
  }
  return value;
}

/** @throws RangeError unless `value` is a finite number >= 0 */
export function checkNonNegative(name: string, value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number >= 0, got ${value}`);
  }
  return value;
}

/** @throws RangeError unless `value` is an integer >= `min` */
export function checkInteger(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
  }
  return value;
}

/** @throws RangeError for a backend name other than "wasm" or "ts" */
export function checkBackend(value: string): BackendName {
  if (!BACKENDS.includes(value as BackendName)) {
    throw new RangeError(
      `backend must be one of ${BACKENDS.join(", ")}, got ${JSON.stringify(value)}`,
    );
  }
  return value as BackendName;
}
