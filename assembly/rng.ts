// Seeded random numbers: xoshiro128** (Blackman & Vigna, 2018) seeded through
// splitmix32. Only u32 arithmetic is used, so the stream is bit-identical to
// the TypeScript twin in src/kernels/rng.ts. The generator state is four u32
// words at `statePtr`, owned by the caller.

// Math.log of the host (V8), so that normals match the TS twin bit for bit;
// AssemblyScript's own log differs from V8's by an ulp on some inputs.
@external("env", "Math.log")
declare function hostLog(x: f64): f64;

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
    const f = Math.sqrt((-2.0 * hostLog(s)) / s);
    store<f64>(outPtr + (<usize>i << 3), u * f);
    i++;
    if (i < n) {
      store<f64>(outPtr + (<usize>i << 3), v * f);
      i++;
    }
  }
}
