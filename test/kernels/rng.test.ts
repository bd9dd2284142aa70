import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  fdlibmLog,
  Rng,
  rngNormal,
  rngSeed,
  rngU32,
  rngUniform,
} from "../../src/kernels/rng.js";
import { withArena } from "../../src/wasm/memory.js";
import { wasm } from "../../src/wasm/load.js";

function wasmStream(
  kind: "rngU32" | "rngUniform" | "rngNormal",
  seed: number,
  n: number,
): number[] {
  return withArena("rng", (arena) => {
    const ex = arena.exports;
    const state = arena.alloc(16);
    const width = kind === "rngU32" ? 4 : 8;
    const out = arena.alloc(Math.max(n, 1) * width);
    ex.rngSeed(state, seed);
    ex[kind](state, out, n);
    return kind === "rngU32"
      ? Array.from(arena.u32(out, n))
      : Array.from(arena.f64(out, n));
  });
}

function tsStream(
  kind: "rngU32" | "rngUniform" | "rngNormal",
  seed: number,
  n: number,
): number[] {
  const state = new Uint32Array(4);
  rngSeed(state, seed);
  if (kind === "rngU32") {
    const out = new Uint32Array(n);
    rngU32(state, out, n);
    return Array.from(out);
  }
  const out = new Float64Array(n);
  (kind === "rngUniform" ? rngUniform : rngNormal)(state, out, n);
  return Array.from(out);
}

describe("rng", () => {
  const seeds = [0, 1, 42, 0x7fffffff, 0xffffffff, 123456789];
  for (const kind of ["rngU32", "rngUniform", "rngNormal"] as const) {
    it(`${kind} gives bit-identical streams in wasm and ts`, () => {
      for (const seed of seeds) {
        for (const n of [0, 1, 2, 3, 1001]) {
          expect(wasmStream(kind, seed, n)).toEqual(tsStream(kind, seed, n));
        }
      }
    });
  }

  it("fdlibmLog gives the same bits in wasm and ts, within 1 ulp of Math.log", () => {
    const wasmLog = wasm().fdlibmLog;
    const special = [
      0,
      -0,
      -1,
      NaN,
      Infinity,
      -Infinity,
      1,
      2,
      0.5,
      Math.E,
      5e-324,
      2.2250738585072014e-308,
      1e-310,
      Number.MAX_VALUE,
      1 + 2 ** -52,
      1 - 2 ** -53,
      Math.SQRT2,
      Math.SQRT1_2,
    ];
    const bits = fc
      .tuple(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
      )
      .map(([lo, hi]) => new Float64Array(new Uint32Array([lo, hi]).buffer)[0]);
    const inputs = fc.oneof(
      fc.constantFrom(...special),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 1 - 1e-5, max: 1 + 1e-5, noNaN: true }),
      bits,
    );
    fc.assert(
      fc.property(inputs, (x) => {
        const ts = fdlibmLog(x);
        expect(Object.is(wasmLog(x), ts)).toBe(true);
        const ref = Math.log(x);
        if (!Number.isFinite(ref) || Number.isNaN(ref)) {
          expect(Object.is(ts, ref)).toBe(true);
        } else {
          // within one unit in the last place of the engine's log
          const ulp = Math.max(Math.abs(ref) * 2 ** -52, 5e-324);
          expect(Math.abs(ts - ref)).toBeLessThanOrEqual(ulp);
        }
      }),
      { numRuns: 20_000, seed: 7 },
    );
  });

  it("uniforms lie in [0, 1) with mean 1/2 and variance 1/12", () => {
    const u = tsStream("rngUniform", 7, 200_000);
    const mean = u.reduce((a, b) => a + b, 0) / u.length;
    const variance = u.reduce((a, b) => a + (b - mean) ** 2, 0) / u.length;
    expect(u.every((v) => v >= 0 && v < 1)).toBe(true);
    // standard error of the mean is sqrt(1/12 / 2e5) = 6.5e-4
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.004);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
  });

  it("normals have mean 0, variance 1 and normal tails", () => {
    const z = tsStream("rngNormal", 11, 200_000);
    const mean = z.reduce((a, b) => a + b, 0) / z.length;
    const variance = z.reduce((a, b) => a + (b - mean) ** 2, 0) / z.length;
    const beyond2 = z.filter((v) => Math.abs(v) > 2).length / z.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
    expect(Math.abs(beyond2 - 0.0455)).toBeLessThan(0.003); // P(|Z| > 2)
  });

  it("different seeds give different streams; the same seed repeats", () => {
    expect(tsStream("rngU32", 1, 8)).not.toEqual(tsStream("rngU32", 2, 8));
    const a = new Rng(5);
    const b = new Rng(5);
    expect(Array.from(a.fillNormal(10))).toEqual(Array.from(b.fillNormal(10)));
    expect(a.int(1000)).toBe(b.int(1000));
  });

  it("shuffle is a seeded permutation", () => {
    const p = new Rng(3).shuffle(Array.from({ length: 50 }, (_, i) => i));
    expect([...p].sort((x, y) => x - y)).toEqual(
      Array.from({ length: 50 }, (_, i) => i),
    );
    expect(p).toEqual(
      new Rng(3).shuffle(Array.from({ length: 50 }, (_, i) => i)),
    );
  });
});
