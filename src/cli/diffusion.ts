/**
 * `wasmlearn diffusion`: the course's demo (forward noising, the exact
 * reverse process and the course's fresh-noise loop), `diffusion train` (a
 * noise predictor on sines or your signals) and `diffusion sample`.
 */
import { statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { DataError } from "../errors.js";
import { Command, InvalidArgumentError } from "commander";
import { BACKENDS, type BackendName } from "../backend.js";
import { formatTable, lineChart } from "../charts/index.js";
import type { Matrix } from "../data/matrix.js";
import { runCourseDemo, type CourseDemoResult } from "../diffusion/demo.js";
import { NoisePredictor } from "../diffusion/model.js";
import { meanSineResidual, sineFit } from "../diffusion/quality.js";
import {
  SAMPLERS,
  VARIANCES,
  type SamplerName,
  type VarianceKind,
} from "../diffusion/samplers.js";
import { SCHEDULE_KINDS, type ScheduleKind } from "../diffusion/schedule.js";
import {
  makeSines,
  parseSignalsCsv,
  SINE_FAMILY,
} from "../diffusion/signals.js";
import { denoisingLoss, trainNoisePredictor } from "../diffusion/train.js";
import { readTextFile } from "../data/files.js";
import { Rng } from "../kernels/rng.js";
import { progress, UsageError, wireCommand, type CliIO } from "./io.js";
import { choiceOption, intOption, positiveOption } from "./parse.js";

const EXAMPLES = `
Examples:
  $ wasmlearn diffusion                      the course's demo: forward and reverse on one sine
  $ wasmlearn diffusion --schedule cosine --json
  $ wasmlearn diffusion train --save model.json
  $ wasmlearn diffusion train --data signals.csv --epochs 100 --save model.json
  $ wasmlearn diffusion sample --model model.json --n 4 --sampler ddim --sampling-steps 25
`;

interface DemoFlags {
  schedule: ScheduleKind;
  steps: number;
  seed: number;
  backend: BackendName;
  json: boolean;
}

interface TrainFlags {
  schedule: ScheduleKind;
  steps: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  hidden: number;
  signals: number;
  data?: string;
  save?: string;
  seed: number;
  backend: BackendName;
  json: boolean;
  verbose: boolean;
}

interface SampleFlags {
  model: string;
  n: number;
  sampler: SamplerName;
  samplingSteps?: number;
  eta: number;
  variance: VarianceKind;
  clip: number;
  seed: number;
  backend: BackendName;
  json: boolean;
}

/** A number >= 0. */
function nonNegativeOption(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0) {
    throw new InvalidArgumentError(`must be a number >= 0, got "${value}"`);
  }
  return n;
}

/** Subcommands share the parent's output and exit handling. */

/** Defines the command and its subcommands; `io` receives all output. */
export function diffusionCommand(
  io: CliIO,
  setExit: (code: number) => void,
): Command {
  const course = new Command("course")
    .description(
      "the course's demo: forward noising, the exact reverse process, the course's loop",
    )
    .option(
      "--schedule <kind>",
      `noise schedule: ${SCHEDULE_KINDS.join(", ")}`,
      choiceOption(SCHEDULE_KINDS),
      "linear",
    )
    .option(
      "--steps <n>",
      "diffusion steps T (1 to 10000)",
      intOption(1, 10_000),
      50,
    )
    .option(
      "--seed <n>",
      "seed of the signal's noise and every draw",
      intOption(0, 2 ** 31 - 1),
      42,
    )
    .option(
      "--backend <name>",
      "kernels: wasm or ts",
      choiceOption(BACKENDS),
      "wasm",
    )
    .option("--json", "print results as JSON", false)
    .action((flags: DemoFlags) => {
      const result = runCourseDemo(flags);
      if (flags.json) io.stdout(JSON.stringify(result, null, 2) + "\n");
      else io.stdout(formatDemo(result, io));
      setExit(0);
    });
  return new Command("diffusion")
    .description(
      "diffusion models: the course's demo (default), training a noise predictor, sampling",
    )
    .addHelpText("after", EXAMPLES)
    .addCommand(wireCommand(course, io), { isDefault: true })
    .addCommand(wireCommand(trainCommand(io, setExit), io))
    .addCommand(wireCommand(sampleCommand(io, setExit), io));
}

function trainCommand(io: CliIO, setExit: (code: number) => void): Command {
  return new Command("train")
    .description(
      "train a noise predictor (an MLP) on random sines or your signals",
    )
    .option(
      "--schedule <kind>",
      `noise schedule: ${SCHEDULE_KINDS.join(", ")}`,
      choiceOption(SCHEDULE_KINDS),
      "cosine",
    )
    .option(
      "--steps <n>",
      "diffusion steps T (2 to 10000)",
      intOption(2, 10_000),
      100,
    )
    .option(
      "--epochs <n>",
      "passes over the signals",
      intOption(1, 100_000),
      240,
    )
    .option(
      "--batch-size <n>",
      "signals per Adam step",
      intOption(1, 65_536),
      64,
    )
    .option(
      "--learning-rate <x>",
      "Adam step size, at most 1 (cosine-decayed to 10%)",
      positiveOption,
      2e-3,
    )
    .option(
      "--hidden <n>",
      "width of each of the 2 hidden layers",
      intOption(1, 4096),
      128,
    )
    .option(
      "--signals <n>",
      "random sines to train on (without --data)",
      intOption(1, 1_000_000),
      4096,
    )
    .option(
      "--data <file.csv>",
      "your signals: one per row, same length, optional header",
    )
    .option("--save <file.json>", "write the trained model here")
    .option(
      "--seed <n>",
      "seed of data, weights, batches and noise",
      intOption(0, 2 ** 31 - 1),
      0,
    )
    .option(
      "--backend <name>",
      "kernels: wasm or ts",
      choiceOption(BACKENDS),
      "wasm",
    )
    .option("--json", "print results as JSON", false)
    .option("-v, --verbose", "progress on stderr", false)
    .action((flags: TrainFlags, cmd: Command) => {
      if (flags.data && cmd.getOptionValueSource("signals") === "cli") {
        throw new UsageError("--signals does not apply to --data: choose one");
      }
      if (flags.save !== undefined) checkWritable(flags.save);
      if (flags.learningRate > 1) {
        throw new UsageError(
          `--learning-rate must be at most 1, got ${flags.learningRate}`,
        );
      }
      const all = flags.data
        ? readSignals(flags.data)
        : makeSines(flags.signals, flags.seed);
      const { train, heldOut } = splitSignals(all, flags);
      const report = progress(io, flags.verbose);
      const result = trainNoisePredictor(train, {
        schedule: flags.schedule,
        nTimesteps: flags.steps,
        epochs: flags.epochs,
        batchSize: flags.batchSize,
        learningRate: flags.learningRate,
        hiddenSizes: [flags.hidden, flags.hidden],
        seed: flags.seed,
        backend: flags.backend,
        onEpoch: (epoch, loss) =>
          report.report(
            `epoch ${String(epoch).padStart(6)}/${flags.epochs}  loss ${loss.toFixed(4)}`,
          ),
      });
      report.done();
      const untrained = new NoisePredictor({
        schedule: flags.schedule,
        nTimesteps: flags.steps,
        hiddenSizes: [flags.hidden, flags.hidden],
        length: train.cols,
        sigmaData: result.model.sigmaData,
        seed: flags.seed,
        backend: flags.backend,
      });
      const summary = {
        schedule: flags.schedule,
        steps: flags.steps,
        epochs: flags.epochs,
        batchSize: flags.batchSize,
        learningRate: flags.learningRate,
        hiddenSizes: [flags.hidden, flags.hidden],
        data: flags.data ?? `${flags.signals} random sines`,
        nTrain: train.rows,
        nHeldOut: heldOut.rows,
        length: train.cols,
        seed: flags.seed,
        backend: flags.backend,
        nSteps: result.nSteps,
        losses: result.losses,
        heldOut: {
          trained: denoisingLoss(result.model, heldOut),
          untrained: denoisingLoss(untrained, heldOut),
        },
        seconds: result.seconds,
        saved: flags.save ?? null,
      };
      const finalLoss = result.losses[result.losses.length - 1];
      if (
        !Number.isFinite(summary.heldOut.trained) ||
        (finalLoss !== undefined && !Number.isFinite(finalLoss))
      ) {
        throw new UsageError(
          "training diverged (the loss is no longer finite): lower --learning-rate or rescale the --data signals",
        );
      }
      if (flags.save) writeModel(flags.save, result.model);
      if (flags.json) io.stdout(JSON.stringify(summary, null, 2) + "\n");
      else io.stdout(formatTrain(summary, io));
      setExit(0);
    });
}

function sampleCommand(io: CliIO, setExit: (code: number) => void): Command {
  return new Command("sample")
    .description(
      "draw signals from a trained noise predictor and rate how sine-like they are",
    )
    .requiredOption(
      "--model <file.json>",
      "a model saved by diffusion train --save",
    )
    .option("--n <n>", "signals to draw", intOption(1, 10_000), 4)
    .option("--sampler <name>", "ddpm or ddim", choiceOption(SAMPLERS), "ddpm")
    .option(
      "--sampling-steps <n>",
      "reverse steps, evenly spaced from T-1 to 0 (default T)",
      intOption(1, 10_000),
    )
    .option(
      "--eta <x>",
      "DDIM noise: 0 deterministic, 1 like DDPM",
      nonNegativeOption,
      0,
    )
    .option(
      "--variance <kind>",
      "DDPM variance: small (posterior) or large (beta)",
      choiceOption(VARIANCES),
      "small",
    )
    .option("--clip <x>", "clip each x0 estimate to [-x, x]", positiveOption, 3)
    .option(
      "--seed <n>",
      "seed of x_T and the step noise",
      intOption(0, 2 ** 31 - 1),
      0,
    )
    .option(
      "--backend <name>",
      "kernels: wasm or ts",
      choiceOption(BACKENDS),
      "wasm",
    )
    .option("--json", "print results as JSON", false)
    .action((flags: SampleFlags, cmd: Command) => {
      const given = (name: string) => cmd.getOptionValueSource(name) === "cli";
      if (given("eta") && flags.sampler !== "ddim") {
        throw new UsageError("--eta applies to --sampler ddim only");
      }
      if (given("variance") && flags.sampler !== "ddpm") {
        throw new UsageError("--variance applies to --sampler ddpm only");
      }
      if (flags.eta > 1) {
        throw new UsageError(`--eta must be from 0 to 1, got ${flags.eta}`);
      }
      const model = readModel(flags.model, flags.backend);
      const T = model.schedule.nTimesteps;
      if (flags.samplingSteps !== undefined && flags.samplingSteps > T) {
        throw new UsageError(
          `--sampling-steps must be at most the model's ${T} diffusion steps, got ${flags.samplingSteps}`,
        );
      }
      const t0 = performance.now();
      const samples = model.sample({
        n: flags.n,
        sampler: flags.sampler,
        samplingSteps: flags.samplingSteps ?? T,
        eta: flags.eta,
        variance: flags.variance,
        clip: flags.clip,
        seed: flags.seed,
      });
      const seconds = (performance.now() - t0) / 1000;
      if (!samples.data.every(Number.isFinite)) {
        throw new DataError(
          `the samples of ${flags.model} must be finite numbers, got ${samples.data.find((v) => !Number.isFinite(v))}: ` +
            "the model's parameters are out of range (is it a trained model?)",
        );
      }
      const noise = new Rng(flags.seed + 7).fillNormal(samples.data.length);
      const L = samples.cols;
      const result = {
        model: flags.model,
        schedule: model.schedule.kind,
        steps: T,
        sampler: flags.sampler,
        samplingSteps: flags.samplingSteps ?? T,
        eta: flags.sampler === "ddim" ? flags.eta : null,
        variance: flags.sampler === "ddpm" ? flags.variance : null,
        clip: flags.clip,
        seed: flags.seed,
        backend: flags.backend,
        samples: Array.from({ length: samples.rows }, (_, i) => {
          const values = samples.data.subarray(i * L, (i + 1) * L);
          return { values: Array.from(values), fit: sineFit(values) };
        }),
        quality: {
          samples: meanSineResidual(samples.data, L),
          noise: meanSineResidual(noise, L),
          // what the default training data looks like, for scale
          sines: meanSineResidual(
            makeSines(samples.rows, flags.seed + 11, L).data,
            L,
          ),
        },
        seconds,
      };
      if (flags.json) io.stdout(JSON.stringify(result, null, 2) + "\n");
      else io.stdout(formatSample(result, io));
      setExit(0);
    });
}

/** Reads a file as text, with user errors for what the user can fix. */
/** A text file (gzipped or not) named by option `what`; its errors are usage errors. */
function readText(path: string, what: string): string {
  try {
    return readTextFile(path);
  } catch (err) {
    if (err instanceof RangeError)
      throw new UsageError(`${what}: ${err.message}`);
    throw err;
  }
}

function readSignals(path: string): Matrix {
  return parseSignalsCsv(readText(path, "--data"), path);
}

function readModel(path: string, backend: BackendName): NoisePredictor {
  const text = readText(path, "--model");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(
      `--model file "${path}" is not valid JSON: ${(err as Error).message}`,
    );
  }
  try {
    return NoisePredictor.fromJSON(json, backend);
  } catch (err) {
    if (err instanceof TypeError || err instanceof RangeError) {
      throw new UsageError(
        `--model file "${path}" is not a saved model: ${err.message}`,
      );
    }
    throw err;
  }
}

/**
 * Fails before training, not after it, when `path` cannot be written: its
 * folder must exist and the path must not be a folder.
 */
function checkWritable(path: string): void {
  const dir = dirname(path);
  const isDir = (p: string) => {
    try {
      return statSync(p).isDirectory();
    } catch {
      return false;
    }
  };
  if (!isDir(dir)) {
    throw new UsageError(
      `--save file "${path}" cannot be written: no folder "${dir}"`,
    );
  }
  if (path.trim() === "")
    throw new UsageError("--save must name a file, got an empty path");
  if (isDir(path)) {
    throw new UsageError(
      `--save file "${path}" cannot be written: it is a folder`,
    );
  }
  let special = false;
  try {
    special = !statSync(path).isFile();
  } catch {
    // a new file: fine
  }
  if (special) {
    throw new UsageError(
      `--save file "${path}" cannot be written: it is not a regular file`,
    );
  }
}

function writeModel(path: string, model: NoisePredictor): void {
  try {
    writeFileSync(path, JSON.stringify(model.toJSON()) + "\n");
  } catch (err) {
    throw new UsageError(
      `--save file "${path}" cannot be written: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}

/** Random sines: a fresh held-out family; your data: the last 10% (>= 10 rows). */
function splitSignals(
  all: Matrix,
  flags: TrainFlags,
): { train: Matrix; heldOut: Matrix } {
  if (!flags.data)
    return { train: all, heldOut: makeSines(256, flags.seed + 1_000_003) };
  if (all.rows < 10) return { train: all, heldOut: all };
  const nHeld = Math.max(1, Math.floor(all.rows / 10));
  const nTrain = all.rows - nHeld;
  const L = all.cols;
  return {
    train: { rows: nTrain, cols: L, data: all.data.slice(0, nTrain * L) },
    heldOut: { rows: nHeld, cols: L, data: all.data.slice(nTrain * L) },
  };
}

function chartWidth(io: Pick<CliIO, "columns">): number {
  return Math.max(40, Math.min(io.columns, 100));
}

function formatMse(v: number): string {
  return v < 1e-4 ? v.toExponential(2) : v.toFixed(4);
}

/** The demo's report: six charts and the reconstruction errors. */
export function formatDemo(
  r: CourseDemoResult,
  io: Pick<CliIO, "columns" | "color">,
): string {
  const width = chartWidth(io);
  const T = r.steps;
  const chart = (title: string, series: { name: string; values: number[] }[]) =>
    lineChart(series, {
      width,
      height: 8,
      title,
      color: io.color,
      xLabel: "position in signal",
    });
  const byName = (name: string) => r.signals.find((s) => s.name === name)!;
  const last = r.timesteps[r.timesteps.length - 1];
  const parts = [
    `The course's signal: sin on [0, 4π] at 100 points + 0.1 N(0, 1), seed ${r.seed}`,
    `${r.schedule} schedule, T = ${T} steps (${r.backend} kernels); x_${T - 1} is ${(100 * r.finalNoiseShare).toFixed(1)}% noise by variance`,
    "",
    chart("original x_0", [byName("original")]),
    ...r.signals
      .filter((s) => s.t !== null)
      .map((s) =>
        [
          "",
          chart(`forward process: x_t at t = ${s.t} (0-based; q(x_t | x_0))`, [
            s,
          ]),
        ].join("\n"),
      ),
    "",
    chart(`reverse from x_${last} with the exact noise (oracle)`, [
      byName("oracle reconstruction"),
    ]),
    "",
    chart(
      `reverse from x_${last} with fresh noise as the "prediction" (the course's loop)`,
      [byName("original"), byName("course variant")],
    ),
    "",
    formatTable(
      [
        { header: `reconstruction of x_0 from x_${last}` },
        { header: "MSE", align: "right" },
      ],
      [
        [
          "oracle: eps = (x_t - sqrt(abar_t) x_0) / sqrt(1 - abar_t)",
          formatMse(r.oracle.mse),
        ],
        [
          "course variant: eps = fresh N(0, I) draw at each step",
          formatMse(r.courseVariant.mse),
        ],
        ["all zeros, for scale", formatMse(r.zeros.mse)],
      ],
    ),
    "The course's loop feeds noise unrelated to x_t as the prediction, so it",
    "does worse than reconstructing zeros; with the noise that made x_t each",
    "step's x_0 estimate is exact and the process returns x_0. A trained",
    "predictor (diffusion train) sits between the two.",
  ];
  return parts.join("\n") + "\n";
}

interface TrainSummary {
  schedule: string;
  steps: number;
  epochs: number;
  data: string;
  nTrain: number;
  nHeldOut: number;
  length: number;
  hiddenSizes: number[];
  backend: string;
  nSteps: number;
  losses: number[];
  heldOut: { trained: number; untrained: number };
  seconds: number;
  saved: string | null;
}

/** The training report: settings, loss chart, held-out losses. */
export function formatTrain(
  s: TrainSummary,
  io: Pick<CliIO, "columns" | "color">,
): string {
  const width = chartWidth(io);
  return (
    [
      `Noise predictor: MLP ${s.length + 32}-${s.hiddenSizes.join("-")}-${s.length} (SiLU), ${s.schedule} schedule, T = ${s.steps}`,
      `trained on ${s.data} (${s.nTrain} x ${s.length}), ${s.epochs} epoch${s.epochs === 1 ? "" : "s"}, ${s.nSteps} Adam step${s.nSteps === 1 ? "" : "s"}, ${s.backend} kernels`,
      "",
      lineChart([{ name: "training loss", values: s.losses }], {
        width,
        height: 8,
        title:
          "mean noise-prediction loss per epoch (MSE of the scaled target)",
        xLabel: `epoch, 1 to ${s.losses.length}`,
        color: io.color,
      }),
      "",
      formatTable(
        [
          {
            header: `held-out denoising loss (${s.nHeldOut} signal${s.nHeldOut === 1 ? "" : "s"})`,
          },
          { header: "MSE", align: "right" },
        ],
        [
          ["trained", s.heldOut.trained.toFixed(4)],
          ["untrained (same initial weights)", s.heldOut.untrained.toFixed(4)],
          ["predicting eps = 0", "1.0000"],
        ],
      ),
      `${s.seconds.toFixed(1)} s of training${s.saved ? `; saved to ${s.saved}` : ""}`,
    ].join("\n") + "\n"
  );
}

type SineQuality = { residual: number; unexplained: number; amplitude: number };

interface SampleSummary {
  model: string;
  schedule: string;
  steps: number;
  sampler: string;
  samplingSteps: number;
  samples: {
    values: number[];
    fit: { cycles: number; amplitude: number; residual: number };
  }[];
  quality: {
    samples: SineQuality;
    noise: SineQuality;
    sines: SineQuality;
  };
  seconds: number;
}

/** The sampling report: one chart per sample and the sine-fit comparison. */
export function formatSample(
  s: SampleSummary,
  io: Pick<CliIO, "columns" | "color">,
): string {
  const width = chartWidth(io);
  const charts = s.samples.map((x, i) =>
    lineChart([{ name: `sample ${i + 1}`, values: x.values }], {
      width,
      height: 8,
      title: `sample ${i + 1}: best sine ${x.fit.cycles.toFixed(2)} cycles, amplitude ${x.fit.amplitude.toFixed(2)}, residual ${x.fit.residual.toFixed(4)}`,
      color: io.color,
    }),
  );
  return (
    [
      `${s.samples.length} samples from ${s.model} (${s.schedule} schedule, T = ${s.steps}), ${s.sampler} with ${s.samplingSteps} steps`,
      "",
      charts.join("\n\n"),
      "",
      formatTable(
        [
          { header: "best-fit sine" },
          { header: "residual MSE", align: "right" },
          { header: "unexplained", align: "right" },
          { header: "amplitude", align: "right" },
        ],
        (
          [
            ["samples", s.quality.samples],
            ["pure noise N(0, I)", s.quality.noise],
            [
              `random sines (A ${SINE_FAMILY.amplitude.join("-")})`,
              s.quality.sines,
            ],
          ] as const
        ).map(([name, q]) => [
          name,
          q.residual.toFixed(4),
          q.unexplained.toFixed(4),
          q.amplitude.toFixed(2),
        ]),
      ),
      `(mean over signals; "unexplained" is residual / variance of the signal: a flat signal`,
      ` leaves a small residual too, so read it with the amplitude; the random sines are the`,
      ` default training family, for scale; ${s.seconds.toFixed(2)} s)`,
    ].join("\n") + "\n"
  );
}
