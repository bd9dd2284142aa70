/** `wasmlearn bench`: Wasm kernels against their TypeScript twins, in one run. */
import { Command } from "commander";
import { barChart, formatTable } from "../charts/index.js";
import type { BenchCase, BenchReport } from "../bench/harness.js";
import { progress, UsageError, type CliIO } from "./io.js";
import { intOption } from "./parse.js";

/** Kernel families `bench` knows, in the order they run. */
export const BENCH_KERNELS = ["matmul", "matvec", "logistic", "forest"] as const;
type BenchKernel = (typeof BENCH_KERNELS)[number];

interface BenchFlags {
  trees: number;
  sizes?: number[];
  rows?: number[];
  repeat: number;
  minMs: number;
  json: boolean;
  verbose: boolean;
}

const EXAMPLES = `
Examples:
  $ wasmlearn bench                       every kernel at default sizes
  $ wasmlearn bench matmul --sizes 256,512
  $ wasmlearn bench logistic --rows 1000,10000 --json
  $ wasmlearn bench forest --rows 1000,10000 --trees 50
`;

/** A comma-separated list of integers in [1, max]. */
function sizeList(max: number) {
  const parse = intOption(1, max);
  return (value: string): number[] => value.split(",").map((v) => parse(v.trim()));
}

/** Defines the command; `io` receives all output. */
export function benchCommand(io: CliIO, setExit: (code: number) => void): Command {
  return new Command("bench")
    .description("time every Wasm kernel against its TypeScript twin")
    .argument("[kernel...]", `kernels to run: ${BENCH_KERNELS.join(", ")} (default all)`)
    .option(
      "--sizes <list>",
      "matrix sizes n, up to 4096: matmul n x n x n (default 128,256,512,1024), matvec n x n (default 1000 and 4000 x 1000)",
      sizeList(4096),
    )
    .option(
      "--rows <list>",
      "rows of the logistic and forest problems, 20 features, up to 10^7 (default 1000,10000,100000)",
      sizeList(10_000_000),
    )
    .option("--trees <n>", "trees per forest fit", intOption(1, 10_000), 100)
    .option("--repeat <n>", "timed repeats per backend", intOption(1, 1000), 5)
    .option("--min-ms <ms>", "each repeat lasts at least this long", intOption(0, 60_000), 50)
    .option("--json", "print results as JSON", false)
    .option("-v, --verbose", "progress on stderr", false)
    .addHelpText("after", EXAMPLES)
    .action(async (kernels: string[], flags: BenchFlags) => {
      const chosen = checkKernels(kernels);
      const { benchEnv, runBench } = await import("../bench/harness.js");
      const cases = await buildCases(chosen, flags);
      const report = progress(io, flags.verbose);
      const t0 = performance.now();
      const result = runBench(cases, {
        repeat: flags.repeat,
        minMs: flags.minMs,
        onProgress: report.report,
      });
      report.done();
      const env = benchEnv();
      const seconds = (performance.now() - t0) / 1000;
      if (flags.json) {
        io.stdout(JSON.stringify({ env, ...result, seconds }, null, 2) + "\n");
      } else {
        io.stdout(formatBench(result, env, io, seconds));
      }
      setExit(0);
    });
}

function checkKernels(kernels: string[]): BenchKernel[] {
  for (const k of kernels) {
    if (!BENCH_KERNELS.includes(k as BenchKernel)) {
      throw new UsageError(
        `kernel must be one of ${BENCH_KERNELS.join(", ")}, got "${k}"`,
      );
    }
  }
  return kernels.length === 0 ? [...BENCH_KERNELS] : (kernels as BenchKernel[]);
}

async function buildCases(kernels: BenchKernel[], flags: BenchFlags): Promise<BenchCase[]> {
  const cases: BenchCase[] = [];
  if (kernels.includes("matmul") || kernels.includes("matvec")) {
    const { linalgCases } = await import("../bench/linalg.js");
    const linalg = linalgCases(flags.sizes, {
      matvecShapes: flags.sizes?.map((n) => [n, n] as const),
    });
    cases.push(...linalg.filter((c) => kernels.includes(c.kernel as BenchKernel)));
  }
  if (kernels.includes("logistic")) {
    const { logisticCases } = await import("../bench/logistic.js");
    cases.push(...logisticCases(flags.rows));
  }
  if (kernels.includes("forest")) {
    const { forestCases } = await import("../bench/forest.js");
    cases.push(...forestCases(flags.rows, flags.trees));
  }
  return cases;
}

function formatMs(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(4);
}

function formatThroughput(v: number, unit: string): string {
  if (unit === "GFLOPS") return `${v.toFixed(2)} ${unit}`;
  if (v >= 1e6) return `${(v / 1e6).toFixed(2)}M ${unit}`;
  if (v >= 1e3) return `${(v / 1e3).toFixed(1)}k ${unit}`;
  return `${v.toFixed(1)} ${unit}`;
}

/** The report: environment, one table row per case, a speed-up chart. */
export function formatBench(
  report: BenchReport,
  env: { node: string | null; simd: boolean; cores: number | null },
  io: Pick<CliIO, "columns" | "color">,
  seconds: number,
): string {
  const rows = report.ratios.map((r) => {
    const pick = (backend: string) =>
      report.results.find(
        (x) => x.kernel === r.kernel && x.size === r.size && x.backend === backend,
      )!;
    const w = pick("wasm");
    const t = pick("ts");
    return [
      r.kernel,
      r.size,
      formatMs(w.medianMs),
      formatMs(t.medianMs),
      formatThroughput(w.throughput, w.unit),
      `${r.wasmOverTs.toFixed(2)}x`,
    ];
  });
  const table = formatTable(
    [
      { header: "kernel" },
      { header: "size" },
      { header: "wasm ms", align: "right" },
      { header: "ts ms", align: "right" },
      { header: "wasm speed", align: "right" },
      { header: "speed-up", align: "right" },
    ],
    rows,
  );
  const chart = barChart(
    report.ratios.map((r) => ({ label: `${r.kernel} ${r.size}`, value: r.wasmOverTs })),
    {
      width: Math.min(io.columns, 100),
      min: 0,
      digits: 2,
      unit: "x",
      title: "speed-up of Wasm over TS (median time ratio)",
      color: io.color,
    },
  );
  return [
    `node ${env.node ?? "n/a"}, wasm simd ${env.simd ? "yes" : "no"}, ${env.cores ?? "?"} cores`,
    "median time per run of each backend, measured interleaved; speed-up = ts / wasm",
    "",
    table,
    "",
    chart,
    `${seconds.toFixed(1)} s in all`,
  ].join("\n") + "\n";
}
