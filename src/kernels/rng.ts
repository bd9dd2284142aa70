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
    const f = Math.sqrt((-2 * fdlibmLog(s)) / s);
    out[i++] = u * f;
    if (i < n) out[i++] = v * f;
  }
}

// fdlibm's log (e_log.c), the twin of assembly/rng.ts `fdlibmLog`: the
// same steps, so the same bits in every engine, where engines' own
// Math.log differ in the last bit on some inputs. Node 20's Math.log is
// this algorithm, so the normal streams are the ones Node always gave.
const LN2_HI = 6.9314718036912381649e-1; // 0x3fe62e42fee00000
const LN2_LO = 1.90821492927058770002e-10; // 0x3dea39ef35793c76
const TWO_POW_54 = 1.8014398509481984e16; // 2^54
const LG1 = 6.66666666666673513e-1; // 0x3fe5555555555593
const LG2 = 3.999999999940941908e-1; // 0x3fd999999997fa04
const LG3 = 2.857142874366239149e-1; // 0x3fd2492494229359
const LG4 = 2.222219843214978396e-1; // 0x3fcc71c51d8e78af
const LG5 = 1.818357216161805012e-1; // 0x3fc7466496cb03de
const LG6 = 1.531383769920937332e-1; // 0x3fc39a09d078c69f
const LG7 = 1.479819860511658591e-1; // 0x3fc2f112df3e5244

/** Reinterprets one double as two u32 words, little-endian: [low, high]. */
const logF64 = new Float64Array(1);
const logU32 = new Uint32Array(logF64.buffer);
const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const [LO, HI] = LITTLE ? [0, 1] : [1, 0];

/**
 * ln x as fdlibm computes it: x = 2^k (1 + f) with 1 + f in
 * [sqrt(2)/2, sqrt(2)), ln(1 + f) = 2 atanh(f / (2 + f)) by a minimax
 * polynomial; error below 1 ulp.
 */
export function fdlibmLog(x: number): number {
  logF64[0] = x;
  let hi = logU32[HI] | 0;
  const lo = logU32[LO];
  let k = 0;

  // zero, negative, subnormal, infinite or NaN
  if (hi < 0x00100000) {
    if (((hi & 0x7fffffff) | lo) === 0) return -Infinity;
    if (hi < 0) return NaN;
    k -= 54;
    x *= TWO_POW_54;
    logF64[0] = x;
    hi = logU32[HI] | 0;
  }
  if (hi >= 0x7ff00000) return x + x;

  // x = 2^k m with m in [sqrt(2)/2, sqrt(2)); f = m - 1
  k += (hi >> 20) - 1023;
  hi &= 0x000fffff;
  const i = (hi + 0x95f64) & 0x100000;
  logU32[HI] = hi | (i ^ 0x3ff00000);
  const m = logF64[0];
  k += i >> 20;
  const f = m - 1;
  const dk = k;

  // |f| < 2^-20: two terms of the series suffice
  if ((0x000fffff & (2 + hi)) < 3) {
    if (f === 0) return k === 0 ? 0 : dk * LN2_HI + dk * LN2_LO;
    const r = f * f * (0.5 - 0.33333333333333333 * f);
    return k === 0 ? f - r : dk * LN2_HI - (r - dk * LN2_LO - f);
  }

  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const r = t2 + t1;
  if (((hi - 0x6147a) | (0x6b851 - hi)) > 0) {
    const hfsq = 0.5 * f * f;
    if (k === 0) return f - (hfsq - s * (hfsq + r));
    return dk * LN2_HI - (hfsq - (s * (hfsq + r) + dk * LN2_LO) - f);
  }
  if (k === 0) return f - s * (f - r);
  return dk * LN2_HI - (s * (f - r) - dk * LN2_LO - f);
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
