import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { getBackend } from "../../src/backend.js";
import { matrix } from "../../src/data/matrix.js";
import { mlpAdam, mlpParamCount } from "../../src/kernels/mlp.js";
import { Rng } from "../../src/kernels/rng.js";
import { withArena } from "../../src/wasm/memory.js";

const wasm = getBackend("wasm");
const ts = getBackend("ts");

function randomNet(seed: number, sizes: number[], n: number) {
  const rng = new Rng(seed);
  const s = Int32Array.from(sizes);
  const params = rng.fillNormal(mlpParamCount(s)).map((v) => v * 0.7);
  const X = matrix(n, sizes[0], rng.fillNormal(n * sizes[0]));
  const dOut = rng.fillNormal(n * sizes[sizes.length - 1]);
  return { sizes: s, params, X, dOut };
}

/**
 * Wasm sums in f64x2 lanes (and four rows at a time in the backward pass)
 * where the twin sums left to right, and calls AssemblyScript's exp where
 * the twin calls V8's (1 ulp apart at most): agreement within 1e-12 of the
 * magnitudes, not bit for bit.
 */
const REL = 1e-12;

function expectClose(a: Float64Array, b: Float64Array) {
  expect(a.length).toBe(b.length);
  const scale = Math.max(1, ...Array.from(b, Math.abs));
  for (let k = 0; k < a.length; k++) {
    if (Number.isNaN(b[k])) expect(a[k]).toBeNaN();
    else expect(Math.abs(a[k] - b[k])).toBeLessThanOrEqual(REL * scale);
  }
}

describe("mlpForward and mlpBackward", () => {
  it("wasm equals ts within 1e-12 relative on random shapes (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 11 }), {
          minLength: 2,
          maxLength: 5,
        }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (sizes, n, seed) => {
          const net = randomNet(seed, sizes, n);
          expectClose(
            wasm.mlpForward(net.sizes, net.params, net.X),
            ts.mlpForward(net.sizes, net.params, net.X),
          );
          expectClose(
            wasm.mlpGradient(net.sizes, net.params, net.X, net.dOut),
            ts.mlpGradient(net.sizes, net.params, net.X, net.dOut),
          );
        },
      ),
      { seed: 20240601, numRuns: 60 },
    );
  });

  it("the gradient matches central finite differences to 1e-6 relative", () => {
    // f(p) = sum(dOut * output(p)); central differences with h = 1e-6 have
    // truncation error O(h^2 f''') and rounding error O(u / h) ~ 1e-10.
    const net = randomNet(3, [6, 8, 7, 4], 5);
    const f = (p: Float64Array) => {
      const out = ts.mlpForward(net.sizes, p, net.X);
      return out.reduce((s, v, k) => s + v * net.dOut[k], 0);
    };
    for (const backend of [wasm, ts]) {
      const grad = backend.mlpGradient(net.sizes, net.params, net.X, net.dOut);
      for (let k = 0; k < net.params.length; k++) {
        const h = 1e-6;
        const up = net.params.slice();
        const down = net.params.slice();
        up[k] += h;
        down[k] -= h;
        const fd = (f(up) - f(down)) / (2 * h);
        expect(Math.abs(fd - grad[k])).toBeLessThanOrEqual(
          1e-6 * Math.max(1, Math.abs(fd)),
        );
      }
    }
  });

  it("handles special inputs: zero rows, NaN and infinities alike on both backends", () => {
    const net = randomNet(5, [4, 5, 3], 3);
    const empty = matrix(0, 4, new Float64Array(0));
    expect(wasm.mlpForward(net.sizes, net.params, empty)).toHaveLength(0);
    const X = matrix(
      3,
      4,
      Float64Array.from([
        NaN,
        0,
        -0,
        1,
        Infinity,
        1e300,
        -1e-300,
        2,
        -Infinity,
        1,
        1,
        1,
      ]),
    );
    expectClose(
      wasm.mlpForward(net.sizes, net.params, X),
      ts.mlpForward(net.sizes, net.params, X),
    );
  });

  it("rejects mismatched shapes with a RangeError naming the argument", () => {
    const net = randomNet(1, [4, 5, 3], 2);
    expect(() =>
      wasm.mlpForward(net.sizes, net.params.subarray(1), net.X),
    ).toThrow(
      new RangeError(
        `params must hold ${net.params.length} values, got ${net.params.length - 1}`,
      ),
    );
    expect(() =>
      ts.mlpGradient(net.sizes, net.params, net.X, new Float64Array(5)),
    ).toThrow("dOut must hold 6 values, got 5");
  });
});

describe("mlpAdam", () => {
  it("is bit-identical in wasm (f64x2) and ts for odd and even lengths", () => {
    for (const n of [0, 1, 2, 7, 64]) {
      const rng = new Rng(n);
      const p = rng.fillNormal(n);
      const g = rng.fillNormal(n);
      const m = rng.fillNormal(n).map((v) => v * 0.1);
      const v = rng.fillNormal(n).map((x) => x * x);
      const args = [
        1e-3,
        0.9,
        0.999,
        1e-8,
        1 - 0.9 ** 3,
        1 - 0.999 ** 3,
      ] as const;
      const out = withArena("adam", (a) => {
        const pp = a.copyIn(p);
        const gp = a.copyIn(g);
        const mp = a.copyIn(m);
        const vp = a.copyIn(v);
        a.exports.mlpAdam(pp, gp, mp, vp, n, ...args);
        return [a.copyOutF64(pp, n), a.copyOutF64(mp, n), a.copyOutF64(vp, n)];
      });
      const [p2, m2, v2] = [p.slice(), m.slice(), v.slice()];
      mlpAdam(p2, g, m2, v2, n, ...args);
      expect(out).toEqual([p2, m2, v2]);
    }
  });
});
