// Seeded random numbers: xoshiro128** (Blackman & Vigna, 2018) seeded through
// splitmix32. Only u32 arithmetic is used, so the stream is bit-identical to
// the TypeScript twin in src/kernels/rng.ts. The generator state is four u32
// words at `statePtr`, owned by the caller.

// The natural log of the normals is computed here, not imported from the
// host: engines' Math.log differ in the last bit (Node 20's V8 against
// Chromium 156's, say), and a seeded stream must be the same everywhere.
// fdlibmLog below follows fdlibm's e_log.c, which is what Node 20's
// Math.log computes, so the streams are those Node always produced.

const GOLDEN_GAMMA: u32 = 0x9e3779b9; // splitmix32 increment
const TWO_POW_M53: f64 = 1.1102230246251565e-16; // 2^-53

/** Fills the four state words from `seed`; see src/kernels/rng.ts `rngSeed`. */
export function rngSeed(statePtr: usize, seed: u32): void {
  let s = seed;
  for (let i: usize = 0; i < 4; i++) {
    s += GOLDEN_GAMMA;
    let z = s;
    z = (z ^ (z >>> 16)) * 0x85ebca6b;
    z = (z ^ (z >>> 13)) * 0xc2b2ae35;
    z ^= z >>> 16;
    store<u32>(statePtr + (i << 2), z);
  }
}

/** Next 32-bit output of xoshiro128**; advances the state. */
@inline
function nextU32(statePtr: usize): u32 {
  const s0 = load<u32>(statePtr);
  const s1 = load<u32>(statePtr, 4);
  const s2 = load<u32>(statePtr, 8);
  const s3 = load<u32>(statePtr, 12);
  const result = rotl<u32>(s1 * 5, 7) * 9;
  const t = s1 << 9;
  let n2 = s2 ^ s0;
  let n3 = s3 ^ s1;
  const n1 = s1 ^ n2;
  const n0 = s0 ^ n3;
  n2 ^= t;
  n3 = rotl<u32>(n3, 11);
  store<u32>(statePtr, n0);
  store<u32>(statePtr, n1, 4);
  store<u32>(statePtr, n2, 8);
  store<u32>(statePtr, n3, 12);
  return result;
}

/** Uniform double in [0, 1) with 53 random bits (two u32 draws). */
@inline
function nextUniform(statePtr: usize): f64 {
  const a = nextU32(statePtr) >>> 5; // 27 bits
  const b = nextU32(statePtr) >>> 6; // 26 bits
  return (<f64>a * 67108864.0 + <f64>b) * TWO_POW_M53;
}

/** Writes `n` raw u32 draws to `outPtr`. */
export function rngU32(statePtr: usize, outPtr: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    store<u32>(outPtr + (<usize>i << 2), nextU32(statePtr));
  }
}

/** Writes `n` uniform doubles in [0, 1) to `outPtr`. */
export function rngUniform(statePtr: usize, outPtr: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    store<f64>(outPtr + (<usize>i << 3), nextUniform(statePtr));
  }
}

/**
 * Writes `n` standard normal doubles to `outPtr` by Marsaglia's polar method:
 * u, v uniform on (-1, 1), s = u^2 + v^2 accepted in (0, 1), then
 * u * sqrt(-2 ln s / s) and v * sqrt(-2 ln s / s) are independent N(0, 1).
 * Normals come in pairs; for odd `n` the last spare is dropped.
 */
export function rngNormal(statePtr: usize, outPtr: usize, n: i32): void {
  let i = 0;
  while (i < n) {
    const u = 2.0 * nextUniform(statePtr) - 1.0;
    const v = 2.0 * nextUniform(statePtr) - 1.0;
    const s = u * u + v * v;
    if (s >= 1.0 || s == 0.0) continue;
    const f = Math.sqrt((-2.0 * fdlibmLog(s)) / s);
    store<f64>(outPtr + (<usize>i << 3), u * f);
    i++;
    if (i < n) {
      store<f64>(outPtr + (<usize>i << 3), v * f);
      i++;
    }
  }
}

// fdlibm's log: x = 2^k (1 + f) with 1 + f in [sqrt(2)/2, sqrt(2)), then
// ln(1 + f) = 2 atanh(s), s = f / (2 + f), with the odd series in s
// replaced by a minimax polynomial in z = s^2 (error below 2^-58.45).
const LN2_HI: f64 = 6.93147180369123816490e-1; // 0x3fe62e42fee00000
const LN2_LO: f64 = 1.90821492927058770002e-10; // 0x3dea39ef35793c76
const TWO_POW_54: f64 = 1.8014398509481984e16; // 2^54
const LG1: f64 = 6.666666666666735130e-1; // 0x3fe5555555555593
const LG2: f64 = 3.999999999940941908e-1; // 0x3fd999999997fa04
const LG3: f64 = 2.857142874366239149e-1; // 0x3fd2492494229359
const LG4: f64 = 2.222219843214978396e-1; // 0x3fcc71c51d8e78af
const LG5: f64 = 1.818357216161805012e-1; // 0x3fc7466496cb03de
const LG6: f64 = 1.531383769920937332e-1; // 0x3fc39a09d078c69f
const LG7: f64 = 1.479819860511658591e-1; // 0x3fc2f112df3e5244

/** ln x as fdlibm computes it; see `fdlibmLog` in src/kernels/rng.ts. */
export function fdlibmLog(x: f64): f64 {
  let bits = reinterpret<u64>(x);
  let hi = <i32>(bits >>> 32);
  const lo = <u32>bits;
  let k: i32 = 0;

  // zero, negative, subnormal, infinite or NaN
  if (hi < 0x00100000) {
    if (((hi & 0x7fffffff) | lo) == 0) return -Infinity;
    if (hi < 0) return NaN;
    k -= 54;
    x *= TWO_POW_54;
    bits = reinterpret<u64>(x);
    hi = <i32>(bits >>> 32);
  }
  if (hi >= 0x7ff00000) return x + x;

  // x = 2^k m with m in [sqrt(2)/2, sqrt(2)); f = m - 1
  k += (hi >> 20) - 1023;
  hi &= 0x000fffff;
  const i = (hi + 0x95f64) & 0x100000;
  const m = reinterpret<f64>(
    (<u64>(<u32>(hi | (i ^ 0x3ff00000))) << 32) | (bits & 0xffffffff),
  );
  k += i >> 20;
  const f = m - 1.0;
  const dk = <f64>k;

  // |f| < 2^-20: two terms of the series suffice
  if ((0x000fffff & (2 + hi)) < 3) {
    if (f == 0.0) return k == 0 ? 0.0 : dk * LN2_HI + dk * LN2_LO;
    const r = f * f * (0.5 - 0.33333333333333333 * f);
    return k == 0 ? f - r : dk * LN2_HI - (r - dk * LN2_LO - f);
  }

  const s = f / (2.0 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const r = t2 + t1;
  if (((hi - 0x6147a) | (0x6b851 - hi)) > 0) {
    const hfsq = 0.5 * f * f;
    if (k == 0) return f - (hfsq - s * (hfsq + r));
    return dk * LN2_HI - (hfsq - (s * (hfsq + r) + dk * LN2_LO) - f);
  }
  if (k == 0) return f - s * (f - r);
  return dk * LN2_HI - (s * (f - r) - dk * LN2_LO - f);
}
