/** `wasmlearn fusion`: fusion strategies against single-modality baselines. */
import { Command } from "commander";
import { BACKENDS, type BackendName } from "../backend.js";
import { barChart, formatTable, groupedBarChart } from "../charts/index.js";
import type { MultiViewDataset } from "../data/dataset.js";
import { MFEAT_VIEWS } from "../data/mfeat.js";
import { makeMultimodal } from "../data/synthetic.js";
import { runFusion, type FusionResult } from "../fusion/experiment.js";
import { MODEL_NAMES, type ModelName } from "../models/classifier.js";
import { progress, UsageError, type CliIO } from "./io.js";
import {
  choiceOption,
  intOption,
  listOption,
  modalityOption,
  positiveOption,
  testSizeOption,
} from "./parse.js";

interface FusionFlags {
  dataset: "synthetic" | "mfeat";
  views?: string[];
  modality?: { name: string; path: string }[];
  label?: string;
  model: ModelName | "both";
  trees: number;
  backend: BackendName;
  seed: number;
  testSize?: number;
  split?: "stratified" | "head";
  samples: number;
  crossK: number;
  scale: boolean;
  maxIter: number;
  C: number;
  json: boolean;
  verbose: boolean;
}

const EXAMPLES = `
Examples:
  $ wasmlearn fusion                          synthetic data, seed 42
  $ wasmlearn fusion --dataset mfeat          handwritten digits, 3 views
  $ wasmlearn fusion --dataset mfeat --views pixel,zernike,morphological
  $ wasmlearn fusion --modality a=a.csv --modality b=b.csv --label class
  $ wasmlearn fusion --backend ts --json      plain-TypeScript kernels, JSON out
`;

/** Defines the command on `program`; `io` receives all output. */
export function fusionCommand(
  io: CliIO,
  setExit: (code: number) => void,
): Command {
  return new Command("fusion")
    .description(
      "compare early, late and cross fusion with single-modality baselines",
    )
    .option(
      "--dataset <name>",
      "synthetic (3 modalities, the course's) or mfeat (digits)",
      choiceOption(["synthetic", "mfeat"] as const),
      "synthetic",
    )
    .option(
      "--views <list>",
      `mfeat views, comma-separated (${Object.keys(MFEAT_VIEWS).join(", ")})`,
      listOption,
    )
    .option(
      "--modality <name=file>",
      "a modality from your CSV file (repeat, at least 2; rows aligned)",
      modalityOption,
    )
    .option("--label <column>", "label column of the --modality files")
    .option(
      "--model <name>",
      "logistic (regression), forest (random forest) or both",
      choiceOption([...MODEL_NAMES, "both"] as const),
      "logistic",
    )
    .option("--trees <n>", "trees per random forest", intOption(1, 10_000), 100)
    .option(
      "--backend <name>",
      "kernels: wasm or ts",
      choiceOption(BACKENDS),
      "wasm",
    )
    .option(
      "--seed <n>",
      "seed of data, split and models",
      intOption(0, 2 ** 32 - 1),
      42,
    )
    .option(
      "--test-size <x>",
      "test fraction in (0, 1) or row count (default: 0.2 synthetic, 0.25 otherwise)",
      testSizeOption,
    )
    .option(
      "--split <kind>",
      "head (first rows train) or stratified (default: head for synthetic)",
      choiceOption(["head", "stratified"] as const),
    )
    .option(
      "--samples <n>",
      "rows of synthetic data (10 to 10^6)",
      intOption(10, 1_000_000),
      1000,
    )
    .option(
      "--cross-k <k>",
      "features per modality in pairwise products",
      intOption(1),
      3,
    )
    .option("--no-scale", "do not standardise features")
    .option(
      "--max-iter <n>",
      "L-BFGS iterations at most (scikit-learn's default is 100; mfeat needs more)",
      intOption(1),
      1000,
    )
    .option("--C <x>", "inverse regularisation strength", positiveOption, 1)
    .option("--json", "print results as JSON", false)
    .option("-v, --verbose", "progress on stderr", false)
    .addHelpText("after", EXAMPLES)
    .action(async (flags: FusionFlags, cmd: Command) => {
      checkCombination(
        flags,
        (name) => cmd.getOptionValueSource(name) === "cli",
      );
      const data = await loadData(flags);
      checkTestSize(flags.testSize, data.y.length);
      const synthetic = flags.dataset === "synthetic" && !flags.modality;
      const report = progress(io, flags.verbose);
      const t0 = performance.now();
      const models: ModelName[] =
        flags.model === "both" ? [...MODEL_NAMES] : [flags.model];
      const result = runFusion(data, {
        models,
        nEstimators: flags.trees,
        backend: flags.backend,
        seed: flags.seed,
        testSize: flags.testSize ?? (synthetic ? 0.2 : 0.25),
        split: flags.split ?? (synthetic ? "head" : "stratified"),
        crossK: flags.crossK,
        scale: flags.scale,
        maxIter: flags.maxIter,
        C: flags.C,
        onProgress: report.report,
      });
      report.done();
      const seconds = (performance.now() - t0) / 1000;
      warnNotConverged(io, result, flags.maxIter);
      if (result.unseenTestRows > 0) {
        io.stderr(
          `warning: ${result.unseenTestRows} of ${result.nTest} test rows have ` +
            `classes that never occur in the training rows (is the data sorted ` +
            `by class? try --split stratified)\n`,
        );
      }
      if (flags.json) {
        io.stdout(
          JSON.stringify({ ...result, model: flags.model, seconds }, null, 2) +
            "\n",
        );
      } else {
        io.stdout(formatFusion(result, models, io, seconds));
      }
      setExit(0);
    });
}

async function loadData(flags: FusionFlags): Promise<MultiViewDataset> {
  if (flags.modality) {
    if (flags.modality.length < 2) {
      throw new UsageError(
        `--modality must be given at least twice, got ${flags.modality.length}`,
      );
    }
    if (!flags.label) {
      throw new UsageError(
        "--label must name the label column of the --modality files",
      );
    }
    const { loadModalities } = await import("../data/modalities.js");
    const name = flags.modality
      .map((m) => m.path.split(/[\\/]/).pop())
      .join(" + ");
    return loadModalities(flags.modality, { label: flags.label, name });
  }
  if (flags.label) throw new UsageError("--label goes with --modality");
  if (flags.views && flags.dataset !== "mfeat") {
    throw new UsageError("--views goes with --dataset mfeat");
  }
  if (flags.dataset === "mfeat") {
    const { loadMfeat } = await import("../data/mfeat.js");
    const known = Object.keys(MFEAT_VIEWS);
    for (const v of flags.views ?? []) {
      if (!known.includes(v)) {
        throw new UsageError(
          `--views must name mfeat views (${known.join(", ")}), got "${v}"`,
        );
      }
    }
    if (flags.views && flags.views.length < 2) {
      throw new UsageError(
        `--views must name at least 2 views, got ${flags.views.length}`,
      );
    }
    return loadMfeat(flags.views as (keyof typeof MFEAT_VIEWS)[] | undefined);
  }
  return makeMultimodal({ nSamples: flags.samples, seed: flags.seed });
}

/** Options that belong to another data source are errors, not ignored. */
function checkCombination(
  flags: FusionFlags,
  given: (name: string) => boolean,
): void {
  const source = flags.modality ? "--modality" : `--dataset ${flags.dataset}`;
  const foreign: [string, boolean][] = [
    ["--dataset", Boolean(flags.modality) && given("dataset")],
    ["--views", flags.dataset !== "mfeat" || Boolean(flags.modality)],
    ["--samples", flags.dataset !== "synthetic" || Boolean(flags.modality)],
    ["--trees", flags.model === "logistic"],
    ["--C", flags.model === "forest"],
    ["--max-iter", flags.model === "forest"],
  ];
  for (const [option, misplaced] of foreign) {
    const key = option
      .slice(2)
      .replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (misplaced && given(key)) {
      throw new UsageError(
        option === "--dataset"
          ? "--dataset and --modality exclude each other: choose one"
          : ["--trees", "--C", "--max-iter"].includes(option)
            ? `${option} does not apply to --model ${flags.model}`
            : `${option} does not apply to ${source}`,
      );
    }
  }
}

function checkTestSize(testSize: number | undefined, nSamples: number): void {
  if (testSize !== undefined && testSize >= 1 && testSize > nSamples - 2) {
    throw new UsageError(
      `--test-size must leave at least 2 of the ${nSamples} rows for training, got ${testSize}`,
    );
  }
}

function warnNotConverged(
  io: CliIO,
  result: FusionResult,
  maxIter: number,
): void {
  const rows = result.results.filter((r) => !r.converged);
  if (rows.length === 0) return;
  io.stderr(
    `warning: the solver stopped at --max-iter ${maxIter} before converging ` +
      `for ${rows.map((r) => r.method).join(", ")}; raise --max-iter for a ` +
      `tighter fit\n`,
  );
}

const MODEL_TITLES: Record<ModelName, string> = {
  logistic: "logistic regression",
  forest: "random forest",
};

/** The human-readable report: header, table, bar chart (grouped for two models). */
export function formatFusion(
  result: FusionResult,
  models: readonly ModelName[],
  io: Pick<CliIO, "columns" | "color">,
  seconds: number,
): string {
  const views = result.modalities
    .map((m) => `${m.name} ${m.nFeatures}`)
    .join(", ");
  const floor = result.majority;
  const rows = result.results.filter((r) => models.includes(r.model));
  const best = Math.max(...rows.map((r) => r.accuracy));
  const several = models.length > 1;
  const titles = models.map((m) => MODEL_TITLES[m]).join(" and ");
  const width = Math.min(io.columns, 100);
  const min = Math.min(floor, ...rows.map((r) => r.accuracy));
  const title = `test accuracy (always predicting the majority class scores ${floor.toFixed(4)})`;
  const methods = [...new Set(rows.map((r) => r.method))];
  const chart = several
    ? groupedBarChart(
        methods.map((method) => ({
          label: method,
          values: models.map(
            (m) =>
              rows.find((r) => r.method === method && r.model === m)!.accuracy,
          ),
        })),
        models.map((m) => MODEL_TITLES[m]),
        { width, min, max: 1, digits: 4, title, color: io.color },
      )
    : barChart(
        rows.map((r) => ({ label: r.method, value: r.accuracy })),
        { width, min, max: 1, digits: 4, title, color: io.color },
      );
  const lines = [
    `Multimodal fusion on ${result.dataset}: ${result.modalities.length} modalities (${views} features), ${result.classes.length} classes`,
    `${titles} (${result.backend} kernels), ${result.nTrain} train / ${result.nTest} test rows (${result.split} split, seed ${result.seed})`,
    "",
    formatTable(
      [
        { header: "method" },
        ...(several ? [{ header: "model" }] : []),
        { header: "features", align: "right" as const },
        { header: "accuracy", align: "right" as const },
        { header: "time ms", align: "right" as const },
      ],
      rows.map((r) => [
        r.method,
        ...(several ? [r.model] : []),
        String(r.nFeatures),
        r.accuracy.toFixed(4) + (r.accuracy === best ? " *" : "  "),
        r.ms.toFixed(1),
      ]),
    ),
    "",
    chart,
    `* best; ${seconds.toFixed(2)} s in all`,
  ];
  return lines.join("\n") + "\n";
}
