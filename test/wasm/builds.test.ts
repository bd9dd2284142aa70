/**
 * The two builds of the Wasm core, release.wasm (SIMD) and
 * release-scalar.wasm (no SIMD), must give the same results to the bit:
 * a page that falls back to the scalar build predicts exactly what Node
 * predicts. Each kernel runs on a fresh instance of each build with the
 * same inputs, seeded random ones and special ones (empty and length-1
 * shapes, 0 and -0, NaN, ±Infinity, huge and tiny magnitudes), and the
 * outputs are compared exactly: same bits, except that any NaN equals any
 * NaN (Wasm leaves NaN payloads unspecified). Whole models are compared in
 * child processes, one per build.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import binaryen from "binaryen";
import { beforeAll, describe, expect, it } from "vitest";
import { Rng } from "../../src/kernels/rng.js";
import type { WasmExports } from "../../src/wasm/exports.js";
import {
  chooseBuild,
  compileWasm,
  instantiateWasm,
  wasmUrl,
} from "../../src/wasm/load.js";

const SPECIALS = [
  NaN,
  Infinity,
  -Infinity,
  0,
  -0,
  1,
  -1,
  1e308,
  -1e308,
  5e-324,
  1e-300,
];

/** n normal values; with `special`, about one in five is a special one. */
function values(rng: Rng, n: number, special = false): Float64Array {
  const out = rng.fillNormal(n);
  if (special) {
    for (let i = 0; i < n; i++) {
      if (rng.uniform() < 0.2) out[i] = SPECIALS[rng.int(SPECIALS.length)];
    }
  }
  return out;
}

/** Copies in and out of one instance's memory (never freed: tests only). */
class Heap {
  constructor(readonly x: WasmExports) {}

  private alloc(bytes: number): number {
    return this.x.alloc(Math.max(bytes, 16)) >>> 0;
  }
  f64(src: ArrayLike<number>): number {
    const ptr = this.alloc(src.length * 8);
    new Float64Array(this.x.memory.buffer, ptr, src.length).set(src);
    return ptr;
  }
  i32(src: ArrayLike<number>): number {
    const ptr = this.alloc(src.length * 4);
    new Int32Array(this.x.memory.buffer, ptr, src.length).set(src);
    return ptr;
  }
  zeros(n: number): number {
    return this.f64(new Float64Array(n));
  }
  read(ptr: number, n: number): Float64Array {
    return new Float64Array(this.x.memory.buffer, ptr, n).slice();
  }
  readI32(ptr: number, n: number): Float64Array {
    return Float64Array.from(new Int32Array(this.x.memory.buffer, ptr, n));
  }
}

/** Indices where a and b differ: other bits, or one NaN and one not. */
function differences(a: Float64Array, b: Float64Array): number[] {
  expect(a.length).toBe(b.length);
  const bad: number[] = [];
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) && Number.isNaN(b[i])) continue;
    if (!Object.is(a[i], b[i])) bad.push(i);
  }
  return bad;
}

let simd: WasmExports;
let scalar: WasmExports;
beforeAll(async () => {
  simd = instantiateWasm(await compileWasm(wasmUrl("simd")));
  scalar = instantiateWasm(await compileWasm(wasmUrl("scalar")));
});

/**
 * Runs `kernel` on both builds (fresh heaps, same inputs made from the
 * same seed) and expects every output to match exactly.
 */
function expectSameBits(
  seed: number,
  kernel: (heap: Heap, rng: Rng) => Float64Array[],
): void {
  const fromSimd = kernel(new Heap(simd), new Rng(seed));
  const fromScalar = kernel(new Heap(scalar), new Rng(seed));
  expect(fromScalar.length).toBe(fromSimd.length);
  fromSimd.forEach((out, k) => {
    expect(differences(out, fromScalar[k]), `output ${k}`).toEqual([]);
  });
}

describe("the scalar build", () => {
  it("reports itself as scalar, the SIMD build as simd", () => {
    expect(simd.buildSimd()).toBe(1);
    expect(scalar.buildSimd()).toBe(0);
  });

  it("is compiled without SIMD and contains no SIMD instruction", () => {
    const config = JSON.parse(
      readFileSync(new URL("../../asconfig.json", import.meta.url), "utf8"),
    );
    const target = { ...config.options, ...config.targets["release-scalar"] };
    expect(target.enable ?? []).not.toContain("simd");
    expect(config.targets.release.enable).toContain("simd");

    // binaryen (the compiler's own back end) prints the module as text.
    const text = (file: string) => {
      const bytes = readFileSync(new URL(file, import.meta.url));
      expect(WebAssembly.validate(bytes)).toBe(true);
      const module = binaryen.readBinary(bytes);
      try {
        return module.emitText();
      } finally {
        module.dispose();
      }
    };
    const simdOps = /\b(v128|[if](8x16|16x8|32x4|64x2))\./g;
    expect(text("../../build/release-scalar.wasm").match(simdOps)).toBeNull();
    expect(
      text("../../build/release.wasm").match(simdOps)?.length,
    ).toBeGreaterThan(100);
  });

  it("exports the same functions as the SIMD build", () => {
    const names = (x: WasmExports) => Object.keys(x).sort();
    expect(names(scalar)).toEqual(names(simd));
  });
});

describe("scalar and SIMD builds give the same bits", () => {
  // Shapes around the blocking of matmul (MR = NR = 4, KC = 256, MC = 96,
  // NC = 512) and the 2- and 4-wide SIMD loops.
  const SHAPES: [number, number, number][] = [
    [0, 3, 2],
    [3, 0, 2],
    [2, 3, 0],
    [1, 1, 1],
    [1, 7, 1],
    [4, 4, 4],
    [5, 3, 7],
    [9, 13, 6],
    [13, 300, 9],
    [97, 5, 6],
    [3, 4, 515],
  ];

  it.each(SHAPES)("matmul for m, k, n = %i, %i, %i", (m, k, n) => {
    for (const special of [false, true]) {
      expectSameBits(m * 1000 + k * 10 + n, (h, rng) => {
        const a = h.f64(values(rng, m * k, special));
        const b = h.f64(values(rng, k * n, special));
        const c = h.zeros(m * n);
        const s = h.zeros(h.x.matmulScratchLength(m, k, n));
        h.x.matmul(a, b, c, m, k, n, s);
        return [h.read(c, m * n)];
      });
    }
  });

  it("matvec for 0 to 9 rows and 0 to 7 columns", () => {
    for (let m = 0; m <= 9; m++) {
      for (const n of [0, 1, 2, 3, 4, 5, 7]) {
        for (const special of [false, true]) {
          expectSameBits(m * 100 + n, (h, rng) => {
            const a = h.f64(values(rng, m * n, special));
            const x = h.f64(values(rng, n, special));
            const y = h.zeros(m);
            h.x.matvec(a, x, y, m, n);
            return [h.read(y, m)];
          });
        }
      }
    }
  });

  it("logistic loss, gradient and decision values, binary and multinomial", () => {
    for (const nRows of [1, 3]) {
      for (const nFeatures of [0, 1, 3, 4, 5, 9]) {
        for (const nSamples of [0, 1, 7]) {
          for (const special of [false, true]) {
            expectSameBits(
              nRows * 1000 + nFeatures * 10 + nSamples,
              (h, rng) => {
                const d = nFeatures;
                const X = h.f64(values(rng, nSamples * d, special));
                const labels = Array.from({ length: nSamples }, () =>
                  rng.int(nRows === 1 ? 2 : nRows),
                );
                const y = h.f64(labels);
                const w = h.f64(values(rng, nRows * (d + 1), special));
                const grad = h.zeros(nRows * (d + 1));
                const z = h.zeros(nRows);
                const loss = h.x.logisticLossGrad(
                  X,
                  y,
                  nSamples,
                  d,
                  nRows,
                  w,
                  grad,
                  0.1,
                  z,
                );
                const out = h.zeros(nSamples * nRows);
                h.x.logisticDecision(X, nSamples, d, nRows, w, out);
                return [
                  Float64Array.of(loss),
                  h.read(grad, nRows * (d + 1)),
                  h.read(out, nSamples * nRows),
                ];
              },
            );
          }
        }
      }
    }
  });

  const NETWORKS = [
    [1, 1],
    [3, 5, 2],
    [7, 9, 4, 1],
    [5, 8, 8, 3],
  ];

  it.each(NETWORKS.map((s) => [s.join("-"), s] as const))(
    "mlp forward, backward, Adam and training step for widths %s",
    (_, sizes) => {
      const nLayers = sizes.length - 1;
      let nParams = 0;
      let nActs = 0;
      for (let l = 0; l < nLayers; l++)
        nParams += sizes[l + 1] * (sizes[l] + 1);
      for (const nSamples of [0, 1, 2, 5]) {
        for (const special of [false, true]) {
          expectSameBits(nParams * 10 + nSamples, (h, rng) => {
            nActs = 0;
            for (let l = 1; l <= nLayers; l++) nActs += 2 * nSamples * sizes[l];
            const nOut = sizes[nLayers];
            const maxWidth = Math.max(...sizes);
            const sizesPtr = h.i32(sizes);
            const params = h.f64(values(rng, nParams).map((v) => v * 0.3));
            const X = h.f64(values(rng, nSamples * sizes[0], special));
            const acts = h.zeros(nActs);
            h.x.mlpForward(params, sizesPtr, nLayers, X, nSamples, acts);
            const forward = h.read(acts, nActs);

            const dOut = h.f64(values(rng, nSamples * nOut, special));
            const grad = h.zeros(nParams);
            const scratch = h.zeros(2 * nSamples * maxWidth);
            h.x.mlpBackward(
              params,
              sizesPtr,
              nLayers,
              X,
              nSamples,
              acts,
              dOut,
              grad,
              scratch,
            );
            const backward = h.read(grad, nParams);

            const m = h.f64(values(rng, nParams, special));
            const v = h.f64(values(rng, nParams).map(Math.abs));
            h.x.mlpAdam(
              params,
              grad,
              m,
              v,
              nParams,
              1e-3,
              0.9,
              0.999,
              1e-8,
              0.1,
              0.001,
            );
            const adam = [
              h.read(params, nParams),
              h.read(m, nParams),
              h.read(v, nParams),
            ];

            const target = h.f64(values(rng, nSamples * nOut));
            const losses: number[] = [];
            for (let step = 1; step <= 3; step++) {
              losses.push(
                h.x.mlpTrainStep(
                  params,
                  sizesPtr,
                  nLayers,
                  nParams,
                  X,
                  target,
                  nSamples,
                  acts,
                  dOut,
                  grad,
                  scratch,
                  m,
                  v,
                  1e-2,
                  0.9,
                  0.999,
                  1e-8,
                  1 - 0.9 ** step,
                  1 - 0.999 ** step,
                ),
              );
            }
            return [
              forward,
              backward,
              ...adam,
              Float64Array.from(losses),
              h.read(params, nParams),
            ];
          });
        }
      }
    },
  );

  it("diffusion forward process, reverse steps and training batches", () => {
    const nTimesteps = 10;
    for (const length of [0, 1, 2, 3, 8, 9]) {
      for (const special of [false, true]) {
        expectSameBits(length + 1, (h, rng) => {
          const nSamples = 4;
          const n = nSamples * length;
          const abar = Array.from(
            { length: nTimesteps },
            (_, t) => 0.99 ** (t + 1),
          );
          const sa = h.f64(abar.map(Math.sqrt));
          const sb = h.f64(abar.map((a) => Math.sqrt(1 - a)));
          const ts = h.i32(
            Array.from({ length: nSamples }, () => rng.int(nTimesteps)),
          );
          const x0 = h.f64(values(rng, n, special));
          const noise = h.f64(values(rng, n, special));
          const xt = h.zeros(n);
          h.x.diffusionQSample(x0, ts, noise, sa, sb, nSamples, length, xt);
          const oracle = h.zeros(n);
          h.x.diffusionOracleNoise(xt, x0, n, 0.8, 0.6, oracle);

          const outs = [h.read(xt, n), h.read(oracle, n)];
          const eps = h.f64(values(rng, n, special));
          const z = h.f64(values(rng, n, special));
          for (const clip of [Infinity, 1]) {
            const ddpm = h.zeros(n);
            h.x.diffusionDdpmStep(
              xt,
              eps,
              z,
              n,
              0.8,
              0.6,
              0.5,
              0.4,
              0.1,
              clip,
              ddpm,
            );
            const ddim = h.zeros(n);
            h.x.diffusionDdimStep(
              xt,
              eps,
              z,
              n,
              0.8,
              0.6,
              0.7,
              0.3,
              0.1,
              clip,
              ddim,
            );
            outs.push(h.read(ddpm, n), h.read(ddim, n));
          }

          const embedDim = 3;
          const nData = 5;
          const batch = 6;
          const data = h.f64(values(rng, nData * length, special));
          const embed = h.f64(values(rng, nTimesteps * embedDim));
          const indices = h.i32(
            Array.from({ length: batch }, () => rng.int(nData)),
          );
          const state = h.zeros(2);
          h.x.rngSeed(state, 12345);
          const tOut = h.i32(new Array(batch).fill(0));
          const uniform = h.zeros(batch);
          const batchNoise = h.zeros(batch * length);
          const input = h.zeros(batch * (length + embedDim));
          h.x.diffusionTrainBatch(
            data,
            length,
            indices,
            batch,
            nTimesteps,
            sa,
            sb,
            embed,
            embedDim,
            state,
            tOut,
            uniform,
            batchNoise,
            input,
          );
          outs.push(
            h.readI32(tOut, batch),
            h.read(batchNoise, batch * length),
            h.read(input, batch * (length + embedDim)),
          );
          return outs;
        });
      }
    }
  });
});

describe("whole models on each build", () => {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const run = promisify(execFile);

  /** The shared scenario (test/browser/pages/scenario.js) in a child Node. */
  async function scenarioIn(build: "simd" | "scalar"): Promise<string> {
    const script =
      'import * as wl from "./dist/index.js";' +
      'import * as s from "./test/browser/pages/scenario.js";' +
      "await wl.ready();" +
      "const result = await s.scenario(wl, 7, s.makeDatasets(wl, 7));" +
      "console.log(JSON.stringify({ build: wl.capabilities().build, result }));";
    const { stdout } = await run(
      process.execPath,
      ["--input-type=module", "-e", script],
      { cwd: root, env: { ...process.env, WASMLEARN_WASM_BUILD: build } },
    );
    return stdout;
  }

  it("fit and predict to the same bits (logistic, forest, fusion)", async () => {
    const [fromSimd, fromScalar] = await Promise.all([
      scenarioIn("simd"),
      scenarioIn("scalar"),
    ]);
    const a = JSON.parse(fromSimd);
    const b = JSON.parse(fromScalar);
    expect([a.build, b.build]).toEqual(["simd", "scalar"]);
    expect(b.result).toEqual(a.result);
    expect(a.result.logistic.proba.length).toBeGreaterThan(0);
  });

  it("WASMLEARN_WASM_BUILD picks the build and rejects other values", () => {
    const saved = process.env.WASMLEARN_WASM_BUILD;
    try {
      process.env.WASMLEARN_WASM_BUILD = "scalar";
      expect(chooseBuild()).toBe("scalar");
      expect(chooseBuild("simd")).toBe("simd");
      process.env.WASMLEARN_WASM_BUILD = "";
      expect(chooseBuild()).toBe("simd");
      process.env.WASMLEARN_WASM_BUILD = "fast";
      expect(() => chooseBuild()).toThrow(
        new RangeError(
          'WASMLEARN_WASM_BUILD must be "simd" or "scalar", got "fast"',
        ),
      );
    } finally {
      if (saved === undefined) delete process.env.WASMLEARN_WASM_BUILD;
      else process.env.WASMLEARN_WASM_BUILD = saved;
    }
  });
});
