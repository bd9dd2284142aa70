import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { getBackend } from "../../src/backend.js";
import { matrix } from "../../src/data/matrix.js";
import { Rng } from "../../src/kernels/rng.js";

const wasm = getBackend("wasm");
const ts = getBackend("ts");

/** Objective and gradient through one backend. */
function lossGrad(
  name: "wasm" | "ts",
  X: Float64Array,
  y: Float64Array,
  n: number,
  d: number,
  nRows: number,
  w: Float64Array,
  alpha: number,
) {
  const p = getBackend(name).logisticProblem(matrix(n, d, X), y, nRows, alpha);
  try {
    const grad = new Float64Array(p.nParams);
    const loss = p.lossGrad(w, grad);
    return { loss, grad };
  } finally {
    p.dispose();
  }
}

function randomProblem(
  seed: number,
  n: number,
  d: number,
  nClasses: number,
  scale = 1,
) {
  const rng = new Rng(seed);
  const X = rng.fillNormal(n * d).map((v) => v * scale);
  const y = Float64Array.from({ length: n }, () => rng.int(nClasses));
  const nRows = nClasses === 2 ? 1 : nClasses;
  const w = rng.fillNormal(nRows * (d + 1));
  return { X, y, nRows, w };
}

/**
 * Wasm and TS sum in different orders (SIMD lanes versus left to right) and
 * use different exp/log1p implementations (AssemblyScript's libm versus
 * V8's, both within 1 ulp), so they agree to a relative 1e-12 of the
 * magnitudes involved, not bit for bit.
 */
const REL = 1e-12;

function expectClose(a: number, b: number, scale: number) {
  if (Number.isNaN(b)) return expect(a).toBeNaN();
  expect(Math.abs(a - b)).toBeLessThanOrEqual(
    REL * Math.max(1, Math.abs(scale)),
  );
}

describe("logisticLossGrad", () => {
  it("wasm equals ts within 1e-12 relative on random shapes (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.constantFrom(1e-3, 1, 30),
        (n, d, nClasses, seed, scale) => {
          const { X, y, nRows, w } = randomProblem(seed, n, d, nClasses, scale);
          const a = lossGrad("wasm", X, y, n, d, nRows, w, 0.1);
          const b = lossGrad("ts", X, y, n, d, nRows, w, 0.1);
          const mag = b.grad.reduce(
            (m, v) => Math.max(m, Math.abs(v)),
            Math.abs(b.loss),
          );
          expectClose(a.loss, b.loss, mag * scale * Math.max(d, 1));
          for (let p = 0; p < b.grad.length; p++) {
            expectClose(a.grad[p], b.grad[p], mag * scale * Math.max(d, 1));
          }
        },
      ),
      { seed: 20261204, numRuns: 200 },
    );
  });

  it("the gradient matches central finite differences", () => {
    for (const nClasses of [2, 4]) {
      const { X, y, nRows, w } = randomProblem(3, 30, 5, nClasses);
      const { grad } = lossGrad("wasm", X, y, 30, 5, nRows, w, 0.05);
      const h = 1e-6;
      for (let p = 0; p < w.length; p++) {
        const wp = Float64Array.from(w);
        const wm = Float64Array.from(w);
        wp[p] += h;
        wm[p] -= h;
        const fd =
          (lossGrad("wasm", X, y, 30, 5, nRows, wp, 0.05).loss -
            lossGrad("wasm", X, y, 30, 5, nRows, wm, 0.05).loss) /
          (2 * h);
        // truncation O(h^2) plus roundoff O(eps / h): about 1e-9 here
        expect(Math.abs(fd - grad[p])).toBeLessThan(1e-7);
      }
    }
  });

  it("stays finite for extreme decision values (no overflow in exp)", () => {
    for (const name of ["wasm", "ts"] as const) {
      for (const nClasses of [2, 3]) {
        const X = Float64Array.from([1e300, -1e300, 800, -800, 1e-300, 0]);
        const y = Float64Array.from(
          [0, 1, 1, 0, 1, 0].map((v) => v % nClasses),
        );
        const nRows = nClasses === 2 ? 1 : nClasses;
        const w = new Float64Array(nRows * 2).fill(1);
        const { loss, grad } = lossGrad(name, X, y, 6, 1, nRows, w, 0);
        // 1e300 * 1 is finite; its loss is ~1e300, not Infinity or NaN
        expect(Number.isFinite(loss)).toBe(true);
        expect(grad.every(Number.isFinite)).toBe(true);
      }
    }
  });

  it("propagates NaN in the data as NaN, in both backends", () => {
    const X = Float64Array.from([1, NaN, 2]);
    const y = Float64Array.from([0, 1, 1]);
    const w = Float64Array.from([0.5, 0]);
    expect(lossGrad("wasm", X, y, 3, 1, 1, w, 0).loss).toBeNaN();
    expect(lossGrad("ts", X, y, 3, 1, 1, w, 0).loss).toBeNaN();
  });

  it("with zero weights the loss is log(nClasses) and only the intercepts move", () => {
    const { X, y } = randomProblem(9, 50, 3, 3);
    const w = new Float64Array(3 * 4);
    const { loss } = lossGrad("wasm", X, y, 50, 3, 3, w, 1);
    expect(loss).toBeCloseTo(Math.log(3), 14);
  });

  it("handles zero samples and zero features", () => {
    for (const name of ["wasm", "ts"] as const) {
      const r0 = lossGrad(
        name,
        new Float64Array(0),
        new Float64Array(0),
        0,
        3,
        1,
        Float64Array.from([1, 2, 3, 0]),
        2,
      );
      expect(r0.loss).toBe(0.5 * 2 * 14);
      const r1 = lossGrad(
        name,
        new Float64Array(0),
        Float64Array.from([1, 0]),
        2,
        0,
        1,
        Float64Array.from([0]),
        1,
      );
      expect(r1.loss).toBeCloseTo(Math.log(2), 15);
      expect(r1.grad[0]).toBeCloseTo(0, 15);
    }
  });
});

describe("logistic kernel wrappers", () => {
  it("reject class indices and parameter vectors the kernels would read out of bounds", () => {
    for (const b of [wasm, ts]) {
      const X = matrix(2, 1, Float64Array.from([1, 2]));
      expect(() =>
        b.logisticProblem(X, Float64Array.from([0, 1e9]), 3, 1),
      ).toThrow(/y\[1\] must be a class index from 0 to 2, got 1000000000/);
      expect(() => b.logisticProblem(X, Float64Array.from([0]), 1, 1)).toThrow(
        /y must have 2 class indices/,
      );
      const p = b.logisticProblem(X, Float64Array.from([0, 1]), 1, 1);
      expect(() =>
        p.lossGrad(new Float64Array(1), new Float64Array(2)),
      ).toThrow(/w must be a Float64Array of 2 parameters, got length 1/);
      p.dispose();
      expect(() => b.logisticDecision(X, 1, new Float64Array(0))).toThrow(
        /w must be a Float64Array of 2 parameters/,
      );
      // a matrix whose shape claims more data than it holds: the Wasm
      // kernel would otherwise read whatever the heap held before
      const lying = { rows: 4, cols: 2, data: Float64Array.from([1, 1]) };
      expect(() =>
        b.logisticDecision(lying, 1, Float64Array.from([1, 1, 0])),
      ).toThrow(/X.data must have rows \* cols = 4 \* 2 values, got 2/);
      expect(() => b.logisticDecision(X, 0, new Float64Array(0))).toThrow(
        /nRows must be an integer >= 1, got 0/,
      );
    }
  });
});

describe("logisticDecision", () => {
  it("wasm equals ts within 1e-12 relative (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 11 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (n, d, nRows, seed) => {
          const rng = new Rng(seed);
          const X = matrix(n, d, rng.fillNormal(n * d));
          const w = rng.fillNormal(nRows * (d + 1));
          const a = wasm.logisticDecision(X, nRows, w);
          const b = ts.logisticDecision(X, nRows, w);
          expect(a.length).toBe(n * nRows);
          for (let p = 0; p < a.length; p++)
            expectClose(a[p], b[p], 10 * Math.max(d, 1));
        },
      ),
      { seed: 4242, numRuns: 100 },
    );
  });
});

describe("logisticProba", () => {
  /**
   * |a - b| <= units * 2^-52, absolute: probabilities lie in [0, 1] and
   * 1 - p is a subtraction from 1, so an ulp of 1 is the natural unit.
   */
  function expectWithin(a: Float64Array, b: Float64Array, units: number) {
    expect(a.length).toBe(b.length);
    for (let p = 0; p < a.length; p++) {
      expect(Math.abs(a[p] - b[p]), `entry ${p}`).toBeLessThanOrEqual(
        units * Number.EPSILON,
      );
    }
  }

  it("wasm equals ts within (nClasses + 4) ulp of 1 (property)", () => {
    // The Wasm kernel uses AssemblyScript's exp and the twin V8's Math.exp;
    // they differ by at most 1 ulp per call. Softmax adds K such values
    // and divides: K + 2 roundings, each at most 1 ulp, plus the exp's.
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (n, nRows, seed) => {
          const z = new Rng(seed).fillNormal(n * nRows).map((v) => v * 8);
          const a = wasm.logisticProba(z, n, nRows);
          const b = ts.logisticProba(z, n, nRows);
          expect(a.length).toBe(n * (nRows === 1 ? 2 : nRows));
          expectWithin(a, b, nRows + 4);
        },
      ),
      { seed: 77, numRuns: 100 },
    );
  });

  it("handles 0, -0, huge and infinite decision values alike", () => {
    const binary = Float64Array.of(0, -0, 800, -800, Infinity, -Infinity);
    for (const b of [wasm, ts]) {
      expect(Array.from(b.logisticProba(binary, 6, 1))).toEqual([
        0.5, 0.5, 0.5, 0.5, 0, 1, 1, 0, 0, 1, 1, 0,
      ]);
      const multi = Float64Array.of(
        ...[Infinity, 1, Infinity],
        ...[-Infinity, 0, -Infinity],
        ...[1e308, -1e308, 0],
      );
      expect(Array.from(b.logisticProba(multi, 3, 3))).toEqual([
        0.5, 0, 0.5, 0, 1, 0, 1, 0, 0,
      ]);
    }
  });

  it("rejects decision values of the wrong length", () => {
    for (const b of [wasm, ts]) {
      expect(() => b.logisticProba(new Float64Array(5), 2, 3)).toThrow(
        new RangeError("z must have nSamples * nRows = 6 values, got 5"),
      );
      expect(() => b.logisticProba(new Float64Array(0), 0, 0)).toThrow(
        /nRows must be an integer >= 1, got 0/,
      );
    }
  });
});
