import { describe, expect, it } from "vitest";
import { formatBench } from "../../src/cli/bench.js";
import { runCli } from "./helpers.js";

describe("wasmlearn bench", () => {
  it("--json has env, results and ratios for every chosen kernel", async () => {
    const { code, stdout, stderr } = await runCli([
      "bench",
      "matmul",
      "matvec",
      "logistic",
      "forest",
      "--sizes",
      "8,16",
      "--rows",
      "200",
      "--trees",
      "3",
      "--repeat",
      "1",
      "--min-ms",
      "0",
      "--json",
    ]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.env).toMatchObject({ simd: true });
    expect(typeof out.env.cores).toBe("number");
    const kernels = [
      ...new Set(out.ratios.map((r: { kernel: string }) => r.kernel)),
    ];
    expect(kernels).toEqual([
      "matmul",
      "matvec",
      "logistic-gradient",
      "logistic-fit",
      "tree-grow",
      "forest-fit",
    ]);
    expect(out.results).toHaveLength(2 * out.ratios.length);
    for (const r of out.results) {
      expect(r).toMatchObject({
        backend: expect.stringMatching(/^(wasm|ts)$/),
      });
      expect(r.minMs).toBeLessThanOrEqual(r.medianMs);
      expect(r.medianMs).toBeLessThanOrEqual(r.maxMs);
      expect(r.throughput).toBeGreaterThan(0);
    }
    for (const r of out.ratios) expect(r.wasmOverTs).toBeGreaterThan(0);
  });

  it("rejects an unknown kernel and sizes out of range", async () => {
    const a = await runCli(["bench", "fft"]);
    expect(a.code).toBe(1);
    expect(a.stderr).toBe(
      'error: kernel must be one of matmul, matvec, logistic, forest, diffusion, got "fft"\n',
    );
    const b = await runCli(["bench", "matmul", "--sizes", "5000"]);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/must be an integer from 1 to 4096, got "5000"/);
  });

  it("report layout at width 80 (snapshot, fixed figures)", () => {
    const result = (backend: "wasm" | "ts", ms: number) => ({
      kernel: "matmul",
      size: "512x512x512",
      backend,
      medianMs: ms,
      minMs: ms * 0.9,
      maxMs: ms * 1.2,
      throughput: 0.268435456 / (ms / 1000),
      unit: "GFLOPS" as const,
      runsPerRepeat: 1,
    });
    const text = formatBench(
      {
        results: [result("wasm", 12.6), result("ts", 280)],
        ratios: [
          { kernel: "matmul", size: "512x512x512", wasmOverTs: 280 / 12.6 },
        ],
      },
      { node: "v20.20.2", simd: true, cores: 2 },
      { columns: 80, color: false },
      1.5,
    );
    expect(text).toMatchSnapshot();
    for (const line of text.split("\n"))
      expect([...line].length).toBeLessThanOrEqual(80);
  });
});
