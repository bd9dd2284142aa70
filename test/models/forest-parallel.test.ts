import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { makeClassification } from "../../src/data/make-classification.js";
import {
  RandomForestClassifier,
  checkForestMemory,
  destroyWorkerPool,
  forestFitBytes,
  type RandomForestOptions,
} from "../../src/models/forest.js";
import {
  forestWorkerUrl,
  resolveJobs,
  workerCount,
} from "../../src/parallel/pool.js";
import { WasmMemoryError } from "../../src/wasm/memory.js";

const { X, y } = makeClassification({
  nSamples: 600,
  nFeatures: 8,
  nClasses: 3,
  nInformative: 4,
  randomState: 2,
});

afterAll(() => destroyWorkerPool());

/** The same bytes: Float64Array equality that tells 0 from -0 and NaN from NaN. */
function bits(a: Float64Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

describe("RandomForestClassifier with nJobs (worker threads)", () => {
  const options: RandomForestOptions = {
    nEstimators: 13,
    randomState: 7,
    oobScore: true,
  };
  const serial = new RandomForestClassifier(options).fit(X, y);

  for (const nJobs of [1, 2, 3]) {
    it(`grows the serial forest node for node with nJobs ${nJobs}`, async () => {
      const f = await new RandomForestClassifier({
        ...options,
        nJobs,
      }).fitAsync(X, y);
      expect(f.trees).toHaveLength(13);
      f.trees.forEach((t, k) => expect(t).toEqual(serial.trees[k]));
      expect(bits(f.predictProba(X).data)).toEqual(
        bits(serial.predictProba(X).data),
      );
      expect(bits(f.oobDecisionFunction.data)).toEqual(
        bits(serial.oobDecisionFunction.data),
      );
      expect(f.oobScore).toBe(serial.oobScore);
      expect(bits(f.featureImportances)).toEqual(
        bits(serial.featureImportances),
      );
      if (nJobs > 1) expect(workerCount()).toBeGreaterThanOrEqual(nJobs);
    });
  }

  it("grows the same forest with the TS backend in the workers", async () => {
    const o = { nEstimators: 4, randomState: 3, backend: "ts" as const };
    const a = new RandomForestClassifier(o).fit(X, y);
    const b = await new RandomForestClassifier({ ...o, nJobs: 2 }).fitAsync(
      X,
      y,
    );
    b.trees.forEach((t, k) => expect(t).toEqual(a.trees[k]));
  });

  it("reuses the pool across fits and after it is destroyed", async () => {
    const o = { nEstimators: 4, randomState: 1, nJobs: 2 };
    const a = await new RandomForestClassifier(o).fitAsync(X, y);
    await destroyWorkerPool();
    expect(workerCount()).toBe(0);
    const b = await new RandomForestClassifier(o).fitAsync(X, y);
    expect(workerCount()).toBe(2);
    b.trees.forEach((t, k) => expect(t).toEqual(a.trees[k]));
  });

  it("when fit (synchronous) gets nJobs other than 1 then it points to fitAsync", () => {
    expect(() => new RandomForestClassifier({ nJobs: 2 }).fit(X, y)).toThrow(
      new RangeError(
        "nJobs must be 1 for fit, got 2: use await fitAsync(X, y) to grow " +
          "trees in worker threads",
      ),
    );
  });

  it("rejects nJobs 0 and fractions; resolves -1 to every core", () => {
    expect(() => new RandomForestClassifier({ nJobs: 0 })).toThrow(
      new RangeError("nJobs must be a nonzero integer, got 0"),
    );
    expect(() => new RandomForestClassifier({ nJobs: 1.5 })).toThrow(
      RangeError,
    );
    expect(resolveJobs(-1)).toBeGreaterThanOrEqual(1);
    expect(resolveJobs(-1000)).toBe(1);
    expect(resolveJobs(3)).toBe(3);
  });

  it("rejects bad data before starting workers", async () => {
    await expect(
      new RandomForestClassifier({ nJobs: 2 }).fitAsync([[1], [NaN]], [0, 1]),
    ).rejects.toThrow(/X must/);
  });

  it("runs the worker from the compiled dist/ script when loaded from sources", () => {
    expect(fileURLToPath(forestWorkerUrl())).toMatch(
      /dist\/models\/forest-worker\.js$/,
    );
  });
});

describe("forest fits and Wasm memory", () => {
  it("estimates about 477 MB for 1M rows x 20 features, within the limits", () => {
    const { total, largestBlock } = forestFitBytes(1_000_000, 20, 2);
    expect(total / 1e6).toBeCloseTo(477, 0);
    expect(largestBlock).toBe(8 * 20 * 1_000_000);
    expect(() => checkForestMemory(1_000_000, 20, 2)).not.toThrow();
  });

  it("when the data cannot fit then fit fails up front", async () => {
    // a Matrix that only claims 10M x 20: the check runs on the shape before
    // the data is read, so no gigabytes are allocated to test it
    const huge = { rows: 10_000_000, cols: 20, data: new Float64Array(0) };
    const message =
      "a forest on 10000000 x 20 needs 4.4 GiB of wasm memory, more than the " +
      "4 GiB limit: use fewer rows or features";
    expect(() => new RandomForestClassifier().fit(huge, [])).toThrow(
      new WasmMemoryError(message),
    );
    const parallel = new RandomForestClassifier({ nJobs: 2 });
    await expect(parallel.fitAsync(huge, [])).rejects.toThrow(WasmMemoryError);
    expect(() => checkForestMemory(7_000_000, 20, 2)).toThrow(
      /one block of 1\.0 GiB/,
    );
  });

  it("leaves the TS backend, which has no such limit, to the data checks", () => {
    const huge = { rows: 10_000_000, cols: 20, data: new Float64Array(0) };
    expect(() =>
      new RandomForestClassifier({ backend: "ts" }).fit(huge, []),
    ).toThrow(/X.data length must be rows \* cols/);
  });
});

describe("the worker pool's lifecycle", () => {
  it("when a script is done with a parallel fit then the process exits at once", () => {
    // idle workers are unreferenced; without that this child would live
    // until the pool's idle timeout (10 s)
    const index = new URL("../../dist/index.js", import.meta.url).href;
    const script = `
      import * as wl from ${JSON.stringify(index)};
      const { X, y } = wl.makeClassification({ nSamples: 300, randomState: 0 });
      const o = { nEstimators: 6, nJobs: 2, randomState: 0 };
      const f = await new wl.RandomForestClassifier(o).fitAsync(X, y);
      console.log(f.nodeCount);
    `;
    const t0 = performance.now();
    const r = spawnSync(
      process.execPath,
      ["--input-type=module", "-e", script],
      {
        encoding: "utf8",
        timeout: 8_000,
      },
    );
    const ms = performance.now() - t0;
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(Number(r.stdout)).toBeGreaterThan(6);
    expect(ms).toBeLessThan(5_000);
  });
});
