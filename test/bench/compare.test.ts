import { describe, expect, it } from "vitest";
import { compareBench, parseBenchJson } from "../../src/bench/compare.js";
import { DataError } from "../../src/errors.js";

const result = (
  kernel: string,
  size: string,
  backend: "wasm" | "ts",
  medianMs: number,
) => ({
  kernel,
  size,
  backend,
  medianMs,
  minMs: medianMs,
  maxMs: medianMs,
  throughput: 1,
  unit: "GFLOPS" as const,
  runsPerRepeat: 1,
});

describe("compareBench", () => {
  it("gives the change in percent of each median and speed-up", () => {
    const old = {
      results: [
        result("matmul", "8", "wasm", 2),
        result("matmul", "8", "ts", 10),
      ],
      ratios: [{ kernel: "matmul", size: "8", wasmOverTs: 5 }],
    };
    const now = {
      results: [
        result("matmul", "8", "wasm", 1.5),
        result("matmul", "8", "ts", 12),
      ],
      ratios: [{ kernel: "matmul", size: "8", wasmOverTs: 8 }],
    };
    const c = compareBench(old, now);
    expect(c.times.map((t) => t.changePct)).toEqual([-25, 20]);
    expect(c.ratios).toEqual([
      {
        kernel: "matmul",
        size: "8",
        oldWasmOverTs: 5,
        newWasmOverTs: 8,
        changePct: 60,
      },
    ]);
  });

  it("lists the cases only one run has", () => {
    const old = { results: [result("a", "1", "wasm", 1)], ratios: [] };
    const now = { results: [result("b", "1", "wasm", 1)], ratios: [] };
    expect(compareBench(old, now)).toMatchObject({
      times: [],
      onlyOld: ["a 1"],
      onlyNew: ["b 1"],
    });
  });
});

describe("parseBenchJson", () => {
  it("reads a bench --json output; ratios are optional", () => {
    const text = JSON.stringify({
      env: {},
      results: [result("a", "1", "ts", 3)],
    });
    expect(parseBenchJson(text, "f")).toMatchObject({ ratios: [] });
  });

  it("rejects what is not a bench output with the file's name", () => {
    expect(() => parseBenchJson("[]", "f.json")).toThrow(
      new DataError(
        "f.json is not a `wasmlearn bench --json` output: it has no results array",
      ),
    );
    expect(() => parseBenchJson("nope", "f.json")).toThrow(
      /^f\.json is not valid JSON: /,
    );
    const zero = JSON.stringify({ results: [result("a", "1", "ts", 0)] });
    expect(() => parseBenchJson(zero, "f.json")).toThrow(
      new DataError(
        "f.json: results[0] must have kernel, size, backend and a medianMs > 0",
      ),
    );
    const badRatio = JSON.stringify({ results: [], ratios: [{ kernel: "a" }] });
    expect(() => parseBenchJson(badRatio, "f.json")).toThrow(
      /ratios\[0\] must have/,
    );
  });
});
