/** `wasmlearn bench`: Wasm kernels against their TypeScript twins, in one run. */
import { Command } from "commander";
import { barChart, formatTable, truncate, wrapText } from "../charts/index.js";
import type { BenchCase, BenchReport } from "../bench/harness.js";
import { progress, UsageError, type CliIO } from "./io.js";
import { intOption } from "./parse.js";
import type { PeerReport } from "../bench/peers.js";
import {
  compareBench,
  parseBenchJson,
  type BenchComparison,
  type SavedBench,
} from "../bench/compare.js";

/** Kernel families `bench` knows, in the order they run. */
export const BENCH_KERNELS = [
  "matmul",
  "matvec",
  "logistic",
  "forest",
  "diffusion",
] as const;
type BenchKernel = (typeof BENCH_KERNELS)[number];

interface BenchFlags {
  trees: number;
  sizes?: number[];
  rows?: number[];
  repeat: number;
  minMs: number;
  json: boolean;
  verbose: boolean;
  peers: boolean;
  compare?: string;
  color: boolean;
}

const EXAMPLES = `
Examples:
  $ wasmlearn bench                       every kernel at default sizes
  $ wasmlearn bench matmul --sizes 256,512
  $ wasmlearn bench logistic --rows 1000,10000 --json
  $ wasmlearn bench forest --rows 1000,10000 --trees 50
  $ wasmlearn bench logistic forest --peers   against ml.js, with accuracy
  $ wasmlearn bench --json > old.json && wasmlearn bench --compare old.json
`;

/** A comma-separated list of integers in [min, max]. */
function sizeList(max: number, min = 1) {
  const parse = intOption(min, max);
  return (value: string): number[] => [
    // each size once: a repeated size would be timed, and compared, twice
    ...new Set(value.split(",").map((v) => parse(v.trim()))),
  ];
}

/** Defines the command; `io` receives all output. */
export function benchCommand(
  io: CliIO,
  setExit: (code: number) => void,
): Command {
  return new Command("bench")
    .description("time every Wasm kernel against its TypeScript twin")
    .argument(
      "[kernel...]",
      `kernels to run: ${BENCH_KERNELS.join(", ")} (default all)`,
    )
    .option(
      "--sizes <list>",
      "matrix sizes n, up to 4096: matmul n x n x n (default 128,256,512,1024), matvec n x n (default 1000 and 4000 x 1000)",
      sizeList(4096),
    )
    .option(
      "--rows <list>",
      "rows of the logistic and forest problems (20 features) and signals of the diffusion loops, 10 to 10^7 (default 1000,10000,100000)",
      sizeList(10_000_000, 10),
    )
    .option("--trees <n>", "trees per forest fit", intOption(1, 10_000), 100)
    .option("--repeat <n>", "timed repeats per backend", intOption(1, 1000), 5)
    .option(
      "--min-ms <ms>",
      "each repeat lasts at least this long",
      intOption(0, 60_000),
      50,
    )
    .option("--json", "print results as JSON", false)
    .option("-v, --verbose", "progress on stderr", false)
    .option(
      "--peers",
      "also time ml-matrix, ml-logistic-regression and ml-random-forest " +
        "where installed, with accuracy (smallest --rows only)",
      false,
    )
    .option(
      "--compare <file>",
      "show the change against an earlier `bench --json` output",
    )
    .addHelpText("after", EXAMPLES)
    .action(async (kernels: string[], flags: BenchFlags, cmd: Command) => {
      const chosen = checkKernels(kernels);
      checkOptionsApply(
        chosen,
        (name) => cmd.getOptionValueSource(name) === "cli",
      );
      const old =
        flags.compare === undefined
          ? undefined
          : await readOldBench(flags.compare);
      const { benchEnv, runBench } = await import("../bench/harness.js");
      const cases = await buildCases(chosen, flags);
      const report = progress(io, flags.verbose);
      const t0 = performance.now();
      const result = runBench(cases, {
        repeat: flags.repeat,
        minMs: flags.minMs,
        onProgress: report.report,
      });
      const parallel = chosen.includes("forest")
        ? await forestParallel(flags, report.report)
        : null;
      const peers = flags.peers
        ? await runPeerBench(chosen, flags, io, report.report)
        : undefined;
      report.done();
      const env = benchEnv();
      const seconds = (performance.now() - t0) / 1000;
      if (flags.json) {
        const extra = parallel ? { forestParallel: parallel.results } : {};
        const more = peerAndCompareJson(peers, old, result);
        io.stdout(
          JSON.stringify(
            { env, ...result, ...extra, ...more, seconds },
            null,
            2,
          ) + "\n",
        );
      } else {
        const look = { columns: io.columns, color: io.color };
        const text = formatBench(result, env, look, seconds);
        io.stdout(parallel ? `${text}\n${parallel.text}\n` : text);
        io.stdout(formatPeerAndCompare(peers, old, result, flags, look));
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

/** The kernels each size option shapes. */
const OPTION_KERNELS: Record<string, readonly BenchKernel[]> = {
  sizes: ["matmul", "matvec"],
  rows: ["logistic", "forest", "diffusion"],
  trees: ["forest"],
};

/** An option given for kernels none of which is chosen is an error, not ignored. */
function checkOptionsApply(
  chosen: readonly BenchKernel[],
  fromCli: (name: string) => boolean,
): void {
  for (const [name, kernels] of Object.entries(OPTION_KERNELS)) {
    if (fromCli(name) && !kernels.some((k) => chosen.includes(k))) {
      throw new UsageError(
        `--${name} applies to ${kernels.join(", ")} only, not to ${chosen.join(", ")}`,
      );
    }
  }
}

async function buildCases(
  kernels: BenchKernel[],
  flags: BenchFlags,
): Promise<BenchCase[]> {
  const cases: BenchCase[] = [];
  if (kernels.includes("matmul") || kernels.includes("matvec")) {
    const { linalgCases } = await import("../bench/linalg.js");
    const linalg = linalgCases(flags.sizes, {
      matvecShapes: flags.sizes?.map((n) => [n, n] as const),
    });
    cases.push(
      ...linalg.filter((c) => kernels.includes(c.kernel as BenchKernel)),
    );
  }
  if (kernels.includes("logistic")) {
    const { logisticCases } = await import("../bench/logistic.js");
    cases.push(...logisticCases(flags.rows));
  }
  if (kernels.includes("forest")) {
    const { forestCases } = await import("../bench/forest.js");
    cases.push(...forestCases(flags.rows, flags.trees));
  }
  if (kernels.includes("diffusion")) {
    const { diffusionCases } = await import("../bench/diffusion.js");
    cases.push(...diffusionCases(flags.rows));
  }
  return cases;
}

/** nJobs 2 against nJobs 1 forest fits (worker threads, so not in runBench). */
async function forestParallel(
  flags: BenchFlags,
  onProgress: (m: string) => void,
) {
  const { forestParallelBench, formatForestParallel } =
    await import("../bench/forest.js");
  const results = await forestParallelBench(
    flags.rows,
    flags.trees,
    onProgress,
  );
  return { results, text: formatForestParallel(results) };
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
  env: {
    node: string | null;
    simd: boolean;
    build?: "simd" | "scalar" | null;
    cores: number | null;
  },
  io: Pick<CliIO, "columns" | "color">,
  seconds: number,
): string {
  const rows = report.ratios.map((r) => {
    const pick = (backend: string) =>
      report.results.find(
        (x) =>
          x.kernel === r.kernel && x.size === r.size && x.backend === backend,
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
    report.ratios.map((r) => ({
      label: `${r.kernel} ${r.size}`,
      value: r.wasmOverTs,
    })),
    {
      width: Math.min(io.columns, 100),
      min: 0,
      digits: 2,
      unit: "x",
      title: "speed-up of Wasm over TS (median time ratio)",
      color: io.color,
    },
  );
  return (
    [
      `node ${env.node ?? "n/a"}, wasm simd ${env.simd ? "yes" : "no"}` +
        (env.build === "scalar" ? " (scalar build loaded)" : "") +
        `, ${env.cores ?? "?"} cores`,
      "median time per run of each backend, measured interleaved; speed-up = ts / wasm",
      "",
      table,
      "",
      chart,
      `${seconds.toFixed(1)} s in all`,
    ].join("\n") + "\n"
  );
}

/** Reads an earlier `bench --json` output; one-line errors for bad files. */
async function readOldBench(path: string): Promise<SavedBench> {
  const { readTextFile } = await import("../data/files.js");
  let text: string;
  try {
    // a regular file only: a FIFO or a directory is refused, not waited on
    text = readTextFile(path);
  } catch (err) {
    throw new UsageError(`--compare: ${(err as Error).message}`);
  }
  return parseBenchJson(text, `--compare file "${path}"`);
}

/** The ml.js peers on the chosen kernels, at the smallest --rows. */
async function runPeerBench(
  kernels: readonly string[],
  flags: BenchFlags,
  io: CliIO,
  onProgress: (message: string) => void,
): Promise<PeerReport & { rows: number }> {
  const { PEER_KERNELS, runPeers } = await import("../bench/peers.js");
  const rows = Math.min(...(flags.rows ?? [1000]));
  const report = await runPeers({
    kernels: PEER_KERNELS.filter((k) => kernels.includes(k)),
    sizes: flags.sizes,
    matvecSizes: flags.sizes,
    rows,
    trees: flags.trees,
    repeat: flags.repeat,
    minMs: flags.minMs,
    onProgress,
    onMissing: (pkg) =>
      io.stderr(`peers: ${pkg} is not installed; leaving it out\n`),
  });
  return { ...report, rows };
}

/** The `--json` keys of --peers and --compare, when given. */
function peerAndCompareJson(
  peers: PeerReport | undefined,
  old: SavedBench | undefined,
  result: BenchReport,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (peers) {
    out.peers = peers.peers;
    out.peerNotes = peers.notes;
    out.peersMissing = peers.missing;
  }
  if (old) out.compare = compareBench(old, result);
  return out;
}

/** The text sections of --peers and --compare, "" when neither was given. */
function formatPeerAndCompare(
  peers: (PeerReport & { rows: number }) | undefined,
  old: SavedBench | undefined,
  result: BenchReport,
  flags: BenchFlags,
  look: Pick<CliIO, "columns" | "color">,
): string {
  let text = "";
  if (peers) text += `\n${formatPeers(peers, peers.rows, look)}\n`;
  if (old) {
    text += `\n${formatComparison(compareBench(old, result), flags.compare!, look)}\n`;
  }
  return text;
}

/** "+12.3%" or "-4.0%": a sign always, so faster and slower read apart. */
function formatChange(pct: number): string {
  return `${pct > 0 ? "+" : ""}${pct.toFixed(1)}%`;
}

/**
 * The --peers report: per workload, each library's median time, test
 * accuracy for fits, throughput and time relative to wasmlearn's Wasm.
 */
export function formatPeers(
  report: PeerReport,
  rows: number,
  io: Pick<CliIO, "columns" | "color">,
): string {
  const width = Math.min(io.columns, 100);
  const table: string[][] = [];
  const workloads = [
    ...new Set(report.peers.map((p) => `${p.kernel} ${p.size}`)),
  ];
  for (const workload of workloads) {
    const group = report.peers.filter(
      (p) => `${p.kernel} ${p.size}` === workload,
    );
    const wasm = group.find((p) => p.library === "wasmlearn wasm");
    table.push([workload, "", "", "", ""]);
    for (const p of group) {
      table.push([
        `  ${p.library}`,
        formatMs(p.ms),
        p.accuracy === undefined ? "" : p.accuracy.toFixed(4),
        p.throughput === undefined
          ? ""
          : formatThroughput(p.throughput, p.unit ?? ""),
        wasm === undefined ? "" : `${(p.ms / wasm.ms).toFixed(2)}x`,
      ]);
    }
  }
  const lines = [
    "peers: the same workloads in other JavaScript libraries",
    formatTable(
      [
        { header: "workload / library" },
        { header: "ms", align: "right" },
        { header: "accuracy", align: "right" },
        { header: "speed", align: "right" },
        { header: "time / wasm", align: "right" },
      ],
      table,
      { width },
    ),
  ];
  const notes = [
    `fits: ${rows} rows (the smallest --rows), 25% held out for the test accuracy; ` +
      "ms is the median time of one call",
    ...report.notes,
  ];
  if (report.missing.length > 0) {
    notes.push(`not installed, left out: ${report.missing.join(", ")}`);
  }
  for (const note of notes) lines.push(...wrapText(note, width));
  return lines.join("\n");
}

/** The --compare report: median times and speed-ups, old against new. */
export function formatComparison(
  c: BenchComparison,
  path: string,
  io: Pick<CliIO, "columns" | "color">,
): string {
  const width = Math.min(io.columns, 100);
  const lines = [`change against ${path} (negative time change is faster)`];
  if (c.times.length === 0) {
    lines.push("no case of this run is in the old one");
  } else {
    lines.push(
      formatTable(
        [
          { header: "kernel size" },
          { header: "backend" },
          { header: "old ms", align: "right" },
          { header: "new ms", align: "right" },
          { header: "change", align: "right" },
        ],
        c.times.map((t) => [
          `${t.kernel} ${t.size}`,
          t.backend,
          formatMs(t.oldMedianMs),
          formatMs(t.newMedianMs),
          formatChange(t.changePct),
        ]),
        { width },
      ),
      "",
      formatTable(
        [
          { header: "kernel size" },
          { header: "old speed-up", align: "right" },
          { header: "new speed-up", align: "right" },
          { header: "change", align: "right" },
        ],
        c.ratios.map((r) => [
          `${r.kernel} ${r.size}`,
          `${r.oldWasmOverTs.toFixed(2)}x`,
          `${r.newWasmOverTs.toFixed(2)}x`,
          formatChange(r.changePct),
        ]),
        { width },
      ),
      "",
      barChart(
        c.times
          .filter((t) => t.backend === "wasm")
          .map((t) => ({ label: `${t.kernel} ${t.size}`, value: t.changePct })),
        {
          width,
          digits: 1,
          unit: "%",
          title: "change of the Wasm median time",
          color: io.color,
        },
      ),
    );
  }
  const only = [
    ...c.onlyOld.map((k) => `only in the old run: ${k}`),
    ...c.onlyNew.map((k) => `only in this run: ${k}`),
  ];
  for (const note of only) lines.push(truncate(note, width));
  return lines.join("\n");
}
