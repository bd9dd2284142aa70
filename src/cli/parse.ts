/** Option parsers for commander that reject bad values with a clear message. */
import { InvalidArgumentError } from "commander";

/** An integer within [min, max]. */
export function intOption(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isInteger(n) || n < min || n > max) {
      const range =
        max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
      throw new InvalidArgumentError(
        `must be an integer ${range}, got "${value}"`,
      );
    }
    return n;
  };
}

/** A finite number > 0. */
export function positiveOption(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0) {
    throw new InvalidArgumentError(`must be a number > 0, got "${value}"`);
  }
  return n;
}

/** A number in (0, 1]: a fraction of clients, a target accuracy. */
export function fractionOption(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !(n > 0 && n <= 1)) {
    throw new InvalidArgumentError(
      `must be a number in (0, 1], got "${value}"`,
    );
  }
  return n;
}

/** A test size: a fraction in (0, 1) or a whole number of rows >= 1. */
export function testSizeOption(value: string): number {
  const n = Number(value);
  const ok =
    value.trim() !== "" &&
    Number.isFinite(n) &&
    ((n > 0 && n < 1) || (Number.isInteger(n) && n >= 1));
  if (!ok) {
    throw new InvalidArgumentError(
      `must be a fraction in (0, 1) or a whole number of rows >= 1, got "${value}"`,
    );
  }
  return n;
}

/** One of a fixed set of words. */
export function choiceOption<T extends string>(choices: readonly T[]) {
  return (value: string): T => {
    if (!choices.includes(value as T)) {
      throw new InvalidArgumentError(
        `must be one of ${choices.join(", ")}, got "${value}"`,
      );
    }
    return value as T;
  };
}

/** A comma-separated list of one or more non-empty words. */
export function listOption(value: string): string[] {
  const items = value.split(",").map((s) => s.trim());
  if (items.length === 0 || items.some((s) => s === "")) {
    throw new InvalidArgumentError(
      `must be a comma-separated list, got "${value}"`,
    );
  }
  return items;
}

/** Collects repeated NAME=FILE options into a list. */
export function modalityOption(
  value: string,
  previous: { name: string; path: string }[] = [],
): { name: string; path: string }[] {
  const eq = value.indexOf("=");
  if (eq <= 0 || eq === value.length - 1) {
    throw new InvalidArgumentError(`must be NAME=FILE.csv, got "${value}"`);
  }
  return [
    ...previous,
    { name: value.slice(0, eq).trim(), path: value.slice(eq + 1).trim() },
  ];
}
