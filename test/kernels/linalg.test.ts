import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { getBackend } from "../../src/backend.js";
import { Rng } from "../../src/kernels/rng.js";

const wasm = getBackend("wasm");
const ts = getBackend("ts");

// Seeded so that a failure reproduces; fast-check prints the seed and path.
const SEED = 0x5eed;

// Values where IEEE rules, not plain arithmetic, decide the result.
const SPECIALS = [
  NaN,
  Infinity,
  -Infinity,
  0,
  -0,
  1e300,
  -1e300,
  1e-300,
  -1e-300,
  5e-324, // smallest subnormal
  Number.MAX_VALUE,
];

/** Mostly ordinary values, often a special one, now and then any double. */
const anyValue = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: -100, max: 100, noNaN: true }) },
  { weight: 2, arbitrary: fc.constantFrom(...SPECIALS) },
  { weight: 1, arbitrary: fc.double() },
);

/** A Float64Array of exactly `length` values drawn from `value`. */
function arrayOf(value: fc.Arbitrary<number>, length: number) {
  return fc
    .array(value, { minLength: length, maxLength: length })
    .map((v) => Float64Array.from(v));
}

/**
 * `length` values from a seeded stream: uniform in [-1, 1) scaled by
 * 10^-3 .. 10^3, each replaced by a special value with probability
 * `specialRate`. Used for shapes too large to build through fast-check.
 */
function randomArray(seed: number, length: number, specialRate: number) {
  const rng = new Rng(seed);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    out[i] =
      rng.uniform() < specialRate
        ? SPECIALS[rng.int(SPECIALS.length)]
        : (2 * rng.uniform() - 1) * 10 ** (rng.int(7) - 3);
  }
  return out;
}

/** `length` integers uniform in [-1024, 1024], from `rng`. */
function randomIntegers(rng: Rng, length: number): Float64Array {
  return Float64Array.from({ length }, () => rng.int(2049) - 1024);
}

/**
 * The first element whose bits differ, described, or null when every
 * element is the same double (Object.is: NaN equals NaN, 0 differs from -0).
 */
function bitMismatch(actual: Float64Array, expected: Float64Array) {
  if (actual.length !== expected.length) {
    return `length ${actual.length}, expected ${expected.length}`;
  }
  for (let i = 0; i < actual.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      return `element ${i} is ${actual[i]}, expected ${expected[i]}`;
    }
  }
  return null;
}

// Dimensions on both sides of the block edges of assembly/linalg.ts
// (4 x 4 register tile, KC = 256, MC = 96, NC = 512), plus 0 and 1.
const smallDim = fc.integer({ min: 0, max: 9 });
const mDim = fc.oneof(smallDim, fc.constantFrom(63, 64, 65, 95, 96, 97, 193));
const kDim = fc.oneof(smallDim, fc.constantFrom(255, 256, 257, 512, 513));
const nDim = fc.oneof(
  smallDim,
  fc.constantFrom(31, 33, 511, 512, 513, 1024, 1029),
);

describe("matmul", () => {
  it("is bit-identical to the twin for small shapes and any values", () => {
    const problem = fc.tuple(smallDim, smallDim, smallDim).chain(([m, k, n]) =>
      fc.record({
        m: fc.constant(m),
        k: fc.constant(k),
        n: fc.constant(n),
        A: arrayOf(anyValue, m * k),
        B: arrayOf(anyValue, k * n),
      }),
    );
    fc.assert(
      fc.property(problem, ({ m, k, n, A, B }) => {
        const C = wasm.matmul(A, B, m, k, n);
        expect(bitMismatch(C, ts.matmul(A, B, m, k, n))).toBeNull();
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it("is bit-identical to the twin for shapes crossing block edges", () => {
    const problem = fc.record({
      shape: fc.tuple(mDim, kDim, nDim).filter(([m, k, n]) => m * k * n <= 4e6),
      seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      specialRate: fc.constantFrom(0, 0.001, 0.05),
    });
    fc.assert(
      fc.property(problem, ({ shape: [m, k, n], seed, specialRate }) => {
        const A = randomArray(seed, m * k, specialRate);
        const B = randomArray(seed + 1, k * n, specialRate);
        const C = wasm.matmul(A, B, m, k, n);
        expect(bitMismatch(C, ts.matmul(A, B, m, k, n))).toBeNull();
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it("when k = 0 then C is all +0", () => {
    for (const [m, n] of [
      [3, 5],
      [1, 1],
      [0, 4],
      [4, 0],
      [97, 1030],
    ]) {
      const C = wasm.matmul(new Float64Array(0), new Float64Array(0), m, 0, n);
      expect(C.length).toBe(m * n);
      expect(C.every((v) => Object.is(v, 0))).toBe(true);
    }
  });

  it("when every product is -0 then C is +0, as 0 + -0 = +0", () => {
    const pairs = [
      [-0, 5],
      [-1, 0],
      [1e-300, -1e-300],
      [-0, 0],
    ];
    for (const [a, b] of pairs) {
      const A = Float64Array.of(a);
      const B = Float64Array.of(b);
      expect(Object.is(wasm.matmul(A, B, 1, 1, 1)[0], 0)).toBe(true);
      expect(Object.is(ts.matmul(A, B, 1, 1, 1)[0], 0)).toBe(true);
      expect(Object.is(wasm.matvec(A, B, 1, 1)[0], 0)).toBe(true);
    }
  });

  it("keeps the order of the sum in k across the KC = 256 block edge", () => {
    // Sequentially, 2^53 + 1 rounds back to 2^53 and the sum ends at 0;
    // any regrouping of the three terms at p = 255, 256, 257 gives 1 or 2.
    const m = 5;
    const k = 258;
    const n = 6;
    const A = new Float64Array(m * k).fill(1);
    const B = new Float64Array(k * n);
    for (let j = 0; j < n; j++) {
      B[255 * n + j] = 2 ** 53;
      B[256 * n + j] = 1;
      B[257 * n + j] = -(2 ** 53);
    }
    const C = wasm.matmul(A, B, m, k, n);
    expect(Array.from(C)).toEqual(new Array(m * n).fill(0));
    expect(bitMismatch(C, ts.matmul(A, B, m, k, n))).toBeNull();
  });

  it("follows IEEE rules for overflow, NaN and underflow", () => {
    // rows of A against a column B; expected value of the one product
    const cases: [number[], number[], number][] = [
      [[Infinity], [0], NaN],
      [[1e300], [1e300], Infinity],
      [[1e300, 1e300], [1e300, -1e300], NaN], // Infinity + -Infinity
      [[NaN, 1], [1, 1], NaN],
      [[1e-300], [1e-300], 0],
      [[-1e-300], [1e-300], 0], // -0 product, +0 start
      [[Number.MAX_VALUE, Number.MAX_VALUE], [1, -1], 0],
    ];
    for (const [a, b, expected] of cases) {
      const A = Float64Array.from(a);
      const B = Float64Array.from(b);
      expect(wasm.matmul(A, B, 1, a.length, 1)[0]).toBe(expected);
      expect(wasm.matvec(A, B, 1, a.length)[0]).toBe(expected);
    }
  });

  it("is exact on small integer matrices, against a j-p-i reference", () => {
    // |entries| <= 2^10 and k <= 300 keep every partial sum below 2^53,
    // so any summation order gives the exact integer.
    const problem = fc.record({
      shape: fc.tuple(mDim, fc.integer({ min: 0, max: 300 }), nDim),
      seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    });
    fc.assert(
      fc.property(problem, ({ shape: [m, k, n], seed }) => {
        const rng = new Rng(seed);
        const A = randomIntegers(rng, m * k);
        const B = randomIntegers(rng, k * n);
        const expected = new Float64Array(m * n);
        for (let j = 0; j < n; j++) {
          for (let p = k - 1; p >= 0; p--) {
            for (let i = 0; i < m; i++) {
              expected[i * n + j] += A[i * k + p] * B[p * n + j];
            }
          }
        }
        expect(bitMismatch(wasm.matmul(A, B, m, k, n), expected)).toBeNull();
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it("when a shape does not match the data then it throws RangeError", () => {
    const a = new Float64Array(6);
    expect(() => wasm.matmul(a, a, 2, 3, 1)).toThrow(
      new RangeError("b length must be k * n = 3, got 6"),
    );
    expect(() => wasm.matmul(a, a, 3, 3, 2)).toThrow(
      new RangeError("a length must be m * k = 9, got 6"),
    );
    expect(() => wasm.matmul(a, a, 2, 3, 1.5)).toThrow(
      new RangeError("n must be an integer in [0, 2^31), got 1.5"),
    );
    expect(() => wasm.matmul(a, a, -2, -3, 1)).toThrow(
      new RangeError("m must be an integer in [0, 2^31), got -2"),
    );
  });
});

// Error bounds from N. J. Higham, Accuracy and Stability of Numerical
// Algorithms, 2nd ed., SIAM 2002 ("Higham 2002" below).
//
// Exact dot products. A finite double is an integer multiple of 2^-1074, so
// a product of two is an integer multiple of 2^-2148 and a sum of products
// is exact as a BigInt count of 2^-2148 units.
const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);

/** v * 2^1074 as an exact BigInt (v finite). */
function scaled(v: number): bigint {
  F64[0] = v;
  const bits = U64[0];
  const exponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  const magnitude =
    exponent === 0
      ? fraction
      : (fraction | (1n << 52n)) << BigInt(exponent - 1);
  return bits >> 63n ? -magnitude : magnitude;
}

/** x * 2^-2148 as a double (to about 2^-60 relative, less if subnormal). */
function unscale(x: bigint): number {
  const negative = x < 0n;
  const abs = negative ? -x : x;
  const shift = Math.max(0, abs.toString(2).length - 62);
  let v = Number(abs >> BigInt(shift));
  // times 2^(shift - 2148), in steps that cannot overflow or underflow early
  let e = shift - 2148;
  for (; e > 1000; e -= 1000) v *= 2 ** 1000;
  for (; e < -1000; e += 1000) v *= 2 ** -1000;
  v *= 2 ** e;
  return negative ? -v : v;
}

const U = 2 ** -53; // unit roundoff of f64

/** gamma_n = n u / (1 - n u), Higham 2002, Lemma 3.1. */
function gamma(n: number): number {
  return (n * U) / (1 - n * U);
}

describe("matvec", () => {
  it("is within gamma_n sum_j |a_ij x_j| of the exact product", () => {
    // Higham 2002, sec. 3.1: a recursive sum of n products has
    // |error| <= gamma_n sum_j |a_ij x_j| when nothing underflows; each
    // product that underflows adds at most 2^-1075, hence the n 2^-1074
    // term. |values| <= 1e150 keeps every sum finite for n <= 1000.
    const finite = fc.oneof(
      { weight: 6, arbitrary: fc.double({ min: -1e3, max: 1e3, noNaN: true }) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(0, -0, 1e150, -1e150, 1e-300, 5e-324),
      },
    );
    const problem = fc
      .tuple(
        fc.oneof(smallDim, fc.constantFrom(63, 64, 65)),
        fc.oneof(smallDim, fc.constantFrom(255, 256, 257, 1000)),
      )
      .filter(([m, n]) => m * n <= 20_000)
      .chain(([m, n]) =>
        fc.record({
          m: fc.constant(m),
          n: fc.constant(n),
          A: arrayOf(finite, m * n),
          x: arrayOf(finite, n),
        }),
      );
    fc.assert(
      fc.property(problem, ({ m, n, A, x }) => {
        const y = wasm.matvec(A, x, m, n);
        for (let i = 0; i < m; i++) {
          let exact = 0n;
          let absSum = 0n;
          for (let j = 0; j < n; j++) {
            const t = scaled(A[i * n + j]) * scaled(x[j]);
            exact += t;
            absSum += t < 0n ? -t : t;
          }
          const error = Math.abs(unscale((scaled(y[i]) << 1074n) - exact));
          const bound = gamma(n) * unscale(absSum) + n * 2 ** -1074;
          expect(error).toBeLessThanOrEqual(bound);
        }
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it("keeps the twin's summation order, so results are bit-identical", () => {
    const problem = fc.record({
      shape: fc.tuple(
        fc.oneof(smallDim, fc.constantFrom(63, 64, 65, 1001)),
        fc.oneof(smallDim, fc.constantFrom(255, 256, 257, 1001)),
      ),
      seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      specialRate: fc.constantFrom(0, 0.001, 0.05),
    });
    fc.assert(
      fc.property(problem, ({ shape: [m, n], seed, specialRate }) => {
        const A = randomArray(seed, m * n, specialRate);
        const x = randomArray(seed + 1, n, specialRate);
        expect(
          bitMismatch(wasm.matvec(A, x, m, n), ts.matvec(A, x, m, n)),
        ).toBeNull();
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it("is bit-identical to the twin for small shapes and any values", () => {
    const problem = fc.tuple(smallDim, smallDim).chain(([m, n]) =>
      fc.record({
        m: fc.constant(m),
        n: fc.constant(n),
        A: arrayOf(anyValue, m * n),
        x: arrayOf(anyValue, n),
      }),
    );
    fc.assert(
      fc.property(problem, ({ m, n, A, x }) => {
        expect(
          bitMismatch(wasm.matvec(A, x, m, n), ts.matvec(A, x, m, n)),
        ).toBeNull();
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it("is exact on small integer matrices", () => {
    // |entries| <= 2^10 and n <= 1000 keep every partial sum below 2^53.
    for (const [m, n] of [
      [0, 3],
      [3, 0],
      [1, 1],
      [7, 5],
      [65, 1000],
    ]) {
      const rng = new Rng(m * 7919 + n);
      const A = randomIntegers(rng, m * n);
      const x = randomIntegers(rng, n);
      const expected = new Float64Array(m);
      for (let i = 0; i < m; i++) {
        for (let j = n - 1; j >= 0; j--) expected[i] += A[i * n + j] * x[j];
      }
      expect(bitMismatch(wasm.matvec(A, x, m, n), expected)).toBeNull();
    }
  });

  it("when a shape does not match the data then it throws RangeError", () => {
    const a = new Float64Array(6);
    expect(() => wasm.matvec(a, new Float64Array(2), 2, 3)).toThrow(
      new RangeError("x length must be n = 3, got 2"),
    );
    expect(() => wasm.matvec(a, new Float64Array(3), 3, 3)).toThrow(
      new RangeError("a length must be m * n = 9, got 6"),
    );
  });
});
