/**
 * Seeded random numbers, the TypeScript twin of assembly/rng.ts:
 * xoshiro128** (Blackman & Vigna, 2018) seeded through splitmix32.
 *
 * Only 32-bit integer arithmetic (`Math.imul`, `>>> 0`) is used, so the
 * stream is bit-identical to the Wasm kernel's. The state is four u32 words.
 */

const GOLDEN_GAMMA = 0x9e3779b9; // splitmix32 increment
const TWO_POW_M53 = 1.1102230246251565e-16; // 2^-53

/** Fills the four state words from `seed` (any u32; other numbers are taken modulo 2^32). */
export function rngSeed(state: Uint32Array, seed: number): void {
  let s = seed >>> 0;
  for (let i = 0; i < 4; i++) {
    s = (s + GOLDEN_GAMMA) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    z = (z ^ (z >>> 16)) >>> 0;
    state[i] = z;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

function nextU32(state: Uint32Array): number {
  const s0 = state[0];
  const s1 = state[1];
  const s2 = state[2];
  const s3 = state[3];
  const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
  const t = (s1 << 9) >>> 0;
  let n2 = (s2 ^ s0) >>> 0;
  let n3 = (s3 ^ s1) >>> 0;
  const n1 = (s1 ^ n2) >>> 0;
  const n0 = (s0 ^ n3) >>> 0;
  n2 = (n2 ^ t) >>> 0;
  n3 = rotl(n3, 11);
  state[0] = n0;
  state[1] = n1;
  state[2] = n2;
  state[3] = n3;
  return result;
}

function nextUniform(state: Uint32Array): number {
  const a = nextU32(state) >>> 5; // 27 bits
  const b = nextU32(state) >>> 6; // 26 bits
  return (a * 67108864 + b) * TWO_POW_M53;
}

/** Writes `n` raw u32 draws to `out`. */
export function rngU32(state: Uint32Array, out: Uint32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = nextU32(state);
}

/** Writes `n` uniform doubles in [0, 1) to `out`. */
export function rngUniform(
  state: Uint32Array,
  out: Float64Array,
  n: number,
): void {
  for (let i = 0; i < n; i++) out[i] = nextUniform(state);
}

/**
 * Writes `n` standard normals to `out` by Marsaglia's polar method (pairs;
 * for odd `n` the last spare is dropped), exactly as assembly/rng.ts does.
 */
export function rngNormal(
  state: Uint32Array,
  out: Float64Array,
  n: number,
): void {
  let i = 0;
  while (i < n) {
    const u = 2 * nextUniform(state) - 1;
    const v = 2 * nextUniform(state) - 1;
    const s = u * u + v * v;
    if (s >= 1 || s === 0) continue;
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    out[i++] = u * f;
    if (i < n) out[i++] = v * f;
  }
}

/**
 * A seeded generator for TypeScript-side randomness (data generation,
 * shuffles, splits). `fillNormal` and `fillUniform` follow the kernel stream
 * exactly; the scalar draws share the same state.
 */
export class Rng {
  private readonly state = new Uint32Array(4);

  /** @param seed any integer; taken modulo 2^32 */
  constructor(seed: number) {
    rngSeed(this.state, seed);
  }

  /** Uniform double in [0, 1). */
  uniform(): number {
    return nextUniform(this.state);
  }

  /** Uniform integer in [0, n) for 1 <= n <= 2^32. */
  int(n: number): number {
    return Math.floor(nextUniform(this.state) * n);
  }

  /** A new array of `n` standard normals. */
  fillNormal(n: number): Float64Array {
    const out = new Float64Array(n);
    rngNormal(this.state, out, n);
    return out;
  }

  /** A new array of `n` uniforms in [0, 1). */
  fillUniform(n: number): Float64Array {
    const out = new Float64Array(n);
    rngUniform(this.state, out, n);
    return out;
  }

  /** Fisher-Yates shuffle of `a` in place; returns `a`. */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}
