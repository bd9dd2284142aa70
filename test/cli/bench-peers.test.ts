import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatComparison, formatPeers } from "../../src/cli/bench.js";
import { compareBench } from "../../src/bench/compare.js";
import { visibleWidth } from "../../src/charts/index.js";
import { runCli } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "wasmlearn-bench-"));
/** The smallest sizes for the given kernels (only options that apply to them). */
function tiny(...kernels: string[]): string[] {
  const sizes = kernels.some((k) => k === "matmul" || k === "matvec");
  const rows = kernels.some((k) => k !== "matmul" && k !== "matvec");
  return [
    ...(sizes ? ["--sizes", "8"] : []),
    ...(rows ? ["--rows", "80"] : []),
    ...(kernels.includes("forest") ? ["--trees", "2"] : []),
    "--repeat",
    "1",
    "--min-ms",
    "0",
  ];
}
const TINY = tiny("matmul");
function expectFits(text: string, width = 80): void {
  for (const line of text.split("\n"))
    expect(visibleWidth(line)).toBeLessThanOrEqual(width);
}

describe("wasmlearn bench --peers", () => {
  it("--json adds peers with time, accuracy for fits and throughput", async () => {
    const { code, stdout, stderr } = await runCli([
      "bench",
      "matmul",
      "logistic",
      ...tiny("matmul", "logistic"),
      "--peers",
      "--json",
    ]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const out = JSON.parse(stdout);
    const libraries = new Set(
      out.peers.map((p: { library: string }) => p.library),
    );
    expect([...libraries].sort()).toEqual([
      "ml-logistic-regression",
      "ml-matrix",
      "wasmlearn ts",
      "wasmlearn wasm",
    ]);
    for (const p of out.peers) {
      expect(p.ms).toBeGreaterThan(0);
      expect(p.throughput).toBeGreaterThan(0);
      if (p.kernel === "logistic-fit") {
        expect(p.size).toBe("80x20");
        expect(p.accuracy).toBeGreaterThanOrEqual(0);
        expect(p.accuracy).toBeLessThanOrEqual(1);
      } else {
        expect(p).toMatchObject({
          kernel: "matmul",
          size: "8x8x8",
          unit: "GFLOPS",
        });
        expect(p.accuracy).toBeUndefined();
      }
    }
    expect(out.peersMissing).toEqual([]);
  });

  it("prints a peers table with notes after the Wasm/TS report", async () => {
    const { code, stdout } = await runCli([
      "bench",
      "logistic",
      ...tiny("logistic"),
      "--peers",
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^peers: the same workloads/m);
    expect(stdout).toMatch(
      /^ {2}ml-logistic-regression +[\d.]+ +[01]\.\d{4} /m,
    );
    expect(stdout).toMatch(/^fits: 80 rows \(the smallest --rows\)/m);
    expectFits(stdout);
  });

  it("peers layout at width 80 (snapshot, fixed figures)", () => {
    const fit = (library: string, ms: number, accuracy: number) => ({
      library,
      kernel: "forest-fit",
      size: "1000x20, 100 trees",
      ms,
      runs: 5,
      accuracy,
      throughput: 750 / (ms / 1000),
      unit: "rows/s" as const,
    });
    const text = formatPeers(
      {
        peers: [
          fit("wasmlearn wasm", 27.1, 0.828),
          fit("wasmlearn ts", 83.4, 0.828),
          { ...fit("ml-random-forest", 4347.7, 0.824), runs: 1 },
        ],
        missing: ["ml-matrix"],
        notes: [
          "forest-fit: a note that wraps because it is rather longer " +
            "than the eighty columns of a terminal.",
        ],
      },
      1000,
      { columns: 80, color: false },
    );
    expect(text).toMatchSnapshot();
    expectFits(text);
  });
});

describe("wasmlearn bench --compare", () => {
  it("shows old against new medians and speed-ups, in text and JSON", async () => {
    const first = await runCli(["bench", "matmul", ...TINY, "--json"]);
    const old = join(dir, "old.json");
    writeFileSync(old, first.stdout);

    const text = await runCli(["bench", "matmul", ...TINY, "--compare", old]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`change against ${old}`);
    expect(text.stdout).toMatch(
      /^matmul 8x8x8 +wasm +[\d.]+ +[\d.]+ +[+-]?[\d.]+%$/m,
    );
    expect(text.stdout).toMatch(
      /^matmul 8x8x8 +[\d.]+x +[\d.]+x +[+-]?[\d.]+%$/m,
    );

    const json = await runCli([
      "bench",
      "matmul",
      ...TINY,
      "--compare",
      old,
      "--json",
    ]);
    const { compare } = JSON.parse(json.stdout);
    expect(compare.times.map((t: { backend: string }) => t.backend)).toEqual([
      "wasm",
      "ts",
    ]);
    expect(compare.ratios).toHaveLength(1);
    expect(compare.onlyOld).toEqual([]);
  });

  it("comparison layout at width 80 (snapshot, fixed figures)", () => {
    const one = (size: string, backend: "wasm" | "ts", ms: number) => ({
      kernel: "matmul",
      size,
      backend,
      medianMs: ms,
      minMs: ms,
      maxMs: ms,
      throughput: 1,
      unit: "GFLOPS" as const,
      runsPerRepeat: 1,
    });
    const run = (wasm: number, ts: number, size = "512x512x512") => ({
      results: [one(size, "wasm", wasm), one(size, "ts", ts)],
      ratios: [{ kernel: "matmul", size, wasmOverTs: ts / wasm }],
    });
    const old = run(16, 320);
    old.results.push(...run(2, 40, "256x256x256").results);
    const c = compareBench(old, run(12, 330));
    const text = formatComparison(c, "old.json", { columns: 80, color: false });
    expect(text).toMatchSnapshot();
    expectFits(text);
  });

  describe("errors: one line on stderr, exit 1, nothing on stdout", () => {
    // [what, a path or "NAME:CONTENT" of a file to write, stderr]
    const cases: [string, string, RegExp][] = [
      [
        "a missing file",
        join(dir, "nope.json"),
        /^error: --compare: path must name an existing file, got ".*nope\.json"\n$/,
      ],
      [
        "a directory",
        dir,
        /^error: --compare: path must name a file, got the directory ".*"\n$/,
      ],
      [
        "text that is not JSON",
        "bad.json:{oops",
        /^error: --compare file ".*bad\.json" is not valid JSON: .*\n$/,
      ],
      [
        "JSON without results",
        'other.json:{"ratios": []}',
        /^error: --compare file ".*other\.json" is not a `wasmlearn bench --json` output: it has no results array\n$/,
      ],
      [
        "a result without a median",
        'r.json:{"results": [{"kernel": "matmul"}]}',
        /^error: --compare file ".*r\.json": results\[0\] must have kernel, size, backend and a medianMs > 0\n$/,
      ],
    ];
    it("rejects a FIFO instead of waiting on it", async () => {
      const fifo = join(dir, "old.fifo");
      execFileSync("mkfifo", [fifo]);
      const { code, stdout, stderr } = await runCli([
        "bench",
        "matmul",
        ...TINY,
        "--compare",
        fifo,
      ]);
      expect(code).toBe(1);
      expect(stdout).toBe("");
      expect(stderr).toMatch(
        /^error: --compare: path must name a regular file/,
      );
    });

    it("rejects size options for kernels that are not run", async () => {
      for (const [argv, message] of [
        [
          ["forest", "--sizes", "100"],
          /--sizes applies to matmul, matvec only, not to forest/,
        ],
        [
          ["matmul", "--rows", "100"],
          /--rows applies to logistic, forest, diffusion only, not to matmul/,
        ],
        [
          ["logistic", "--trees", "5"],
          /--trees applies to forest only, not to logistic/,
        ],
      ] as const) {
        const { code, stdout, stderr } = await runCli(["bench", ...argv]);
        expect(code).toBe(1);
        expect(stdout).toBe("");
        expect(stderr).toMatch(message);
      }
    });

    for (const [what, spec, message] of cases) {
      it(`rejects ${what} before running anything`, async () => {
        let path = spec;
        const colon = spec.indexOf(":");
        if (colon > 0 && !spec.startsWith("/")) {
          path = join(dir, spec.slice(0, colon));
          writeFileSync(path, spec.slice(colon + 1));
        }
        const { code, stdout, stderr } = await runCli([
          "bench",
          "matmul",
          ...TINY,
          "--compare",
          path,
        ]);
        expect(code).toBe(1);
        expect(stdout).toBe("");
        expect(stderr).toMatch(message);
      });
    }
  });
});
