/**
 * `wasmlearn automl`: hyper-parameter search (grid, random, TPE,
 * successive halving) on the course's problem or the user's CSV, with a
 * ranked table, the winner's and the defaults' test accuracy and a chart
 * of score per trial (default subcommand `run`); `automl compare` shows
 * over several seeds how many fits TPE and halving need to reach the
 * grid's best cross-validated score.
 */
import { Command, InvalidArgumentError } from "commander";
import { formatTable, lineChart } from "../charts/index.js";
import { wrapText } from "../charts/table.js";
import { compareSearches, type CompareResult } from "../automl/compare.js";
import {
  defaultSpace,
  ESTIMATOR_NAMES,
  type EstimatorName,
} from "../automl/estimators.js";
import {
  runAutoml,
  type AutomlOptions,
  type AutomlResult,
} from "../automl/experiment.js";
import { SEARCH_KINDS, type SearchKind } from "../automl/searches.js";
import {
  parseSpace,
  spaceSize,
  type ParamValue,
  type Params,
} from "../automl/space.js";
import { readCsvFile, readTextFile } from "../data/files.js";
import { progress, UsageError, wireCommand, type CliIO } from "./io.js";
import {
  choiceOption,
  fractionOption,
  intOption,
  positiveOption,
} from "./parse.js";

const EXAMPLES = `
Examples:
  $ wasmlearn automl                              the course's 36-point grid, validation split
  $ wasmlearn automl --search tpe --trials 18 --cv 5
  $ wasmlearn automl --search halving --cv 5 --jobs 2
  $ wasmlearn automl --model logistic --space space.json --search random --trials 30
  $ wasmlearn automl --data data/wdbc.csv.gz --label Class --cv 5
  $ wasmlearn automl --search tpe --trials 40 --journal tpe.jsonl   rerun to resume
  $ wasmlearn automl compare --seeds 5 --jobs 2   TPE and halving against the grid
`;

interface RunFlags {
  search: SearchKind;
  trials?: number;
  cv?: number;
  space?: string;
  model: EstimatorName;
  jobs: number;
  seed: number;
  journal?: string;
  data?: string;
  label?: string;
  target?: number;
  timeBudget?: number;
  resource?: "samples" | "trees";
  factor?: number;
  minResource?: number;
  maxResource?: number;
  keepTies?: boolean;
  json: boolean;
  verbose: boolean;
}

interface CompareFlags {
  seeds: number;
  factor?: number;
  keepTies?: boolean;
  minResource?: number;
  cv: number;
  budget?: number;
  jobs: number;
  json: boolean;
  verbose: boolean;
}

/** Defines the command and its subcommands; `io` receives all output. */
export function automlCommand(
  io: CliIO,
  setExit: (code: number) => void,
): Command {
  return new Command("automl")
    .description(
      "hyper-parameter search: grid, random, TPE or successive halving, with cross-validation",
    )
    .addHelpText("after", EXAMPLES)
    .addCommand(wireCommand(runCommand(io, setExit), io), { isDefault: true })
    .addCommand(wireCommand(compareCommand(io, setExit), io));
}

function runCommand(io: CliIO, setExit: (code: number) => void): Command {
  return new Command("run")
    .description("run one search and test its winner against the defaults")
    .option(
      "--search <kind>",
      SEARCH_KINDS.join(", "),
      choiceOption(SEARCH_KINDS),
      "grid",
    )
    .option(
      "--trials <n>",
      "random and tpe: trials in all (default 18, half the course's grid)",
      intOption(1, 100_000),
    )
    .option(
      "--cv <k>",
      "score by stratified k-fold cross-validation on train + validation (default: the validation split)",
      intOption(2, 100),
    )
    .option("--space <file>", "search space, a JSON file (see README)")
    .option(
      "--model <name>",
      ESTIMATOR_NAMES.join(" or "),
      choiceOption(ESTIMATOR_NAMES),
      "forest",
    )
    .option("--jobs <n>", "worker threads", intOption(1, 256), 1)
    .option(
      "--seed <n>",
      "seed of data, splits, searches and forests",
      intOption(0, 2 ** 31 - 1),
      42,
    )
    .option(
      "--journal <file>",
      "JSON-lines journal: rerun with it to resume or extend",
    )
    .option("--data <file>", "your CSV data (header row; may be gzipped)")
    .option("--label <column>", "label column of --data")
    .option("--target <score>", "stop once a trial scores this", fractionOption)
    .option(
      "--time-budget <s>",
      "start no new fit after this many seconds",
      positiveOption,
    )
    .option(
      "--resource <kind>",
      "halving: samples (training rows) or trees",
      choiceOption(["samples", "trees"] as const),
    )
    .option("--factor <n>", "halving: keep 1/n per rung (3)", intOption(2, 100))
    .option(
      "--min-resource <n>",
      "halving: first rung's rows or trees",
      intOption(1),
    )
    .option(
      "--max-resource <n>",
      "halving: last rung's rows or trees",
      intOption(1),
    )
    .option(
      "--keep-ties",
      "halving: also promote candidates within the cut's standard error (at most twice as many)",
    )
    .option("--json", "print results as JSON", false)
    .option("-v, --verbose", "one progress line per trial on stderr", false)
    .addHelpText("after", EXAMPLES)
    .action(async (flags: RunFlags, cmd: Command) => {
      const given = (name: string) => cmd.getOptionValueSource(name) === "cli";
      const options = await resolveRun(flags, given);
      const report = progress(io, flags.verbose);
      const t0 = performance.now();
      let best = -Infinity;
      options.onTrial = (rec, finished, total) => {
        if (rec.score !== null) best = Math.max(best, rec.score);
        report.report(progressLine(finished, total, best, t0));
      };
      if (flags.journal) {
        const { openJournal } = await import("../automl/journal.js");
        const path = flags.journal;
        options.store = (config) => openJournal(path, config);
      }
      const result = await runAutoml(options);
      report.done();
      const ran = result.trials.length;
      if (flags.trials !== undefined && ran < flags.trials && !result.stopped) {
        io.stderr(
          `note: --trials ${flags.trials} asked for more trials than the space has points; all ${ran} ran\n`,
        );
      }
      if (flags.json) io.stdout(JSON.stringify(result, null, 2) + "\n");
      else io.stdout(formatRun(result, io, flags.jobs));
      setExit(0);
    });
}

/** A progress bar: filled share of the trials, best so far, elapsed. */
function progressLine(
  finished: number,
  total: number,
  best: number,
  t0: number,
): string {
  const width = 24;
  const share = Math.min(1, finished / Math.max(1, total));
  const filled = Math.round(share * width);
  const bar = "#".repeat(filled) + ".".repeat(width - filled);
  const score = Number.isFinite(best) ? best.toFixed(4) : "-";
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  return `[${bar}] ${finished}/${total} trials  best ${score}  ${secs} s`;
}

/** Checks the flags' combinations and reads the files, before any fit. */
async function resolveRun(
  flags: RunFlags,
  given: (name: string) => boolean,
): Promise<AutomlOptions> {
  if (flags.trials !== undefined && flags.search === "grid") {
    throw new UsageError(
      "--trials does not apply to --search grid (a grid tries every point once)",
    );
  }
  for (const name of [
    "resource",
    "factor",
    "minResource",
    "maxResource",
    "keepTies",
  ]) {
    if (given(name) && flags.search !== "halving") {
      const flag = "--" + name.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());
      throw new UsageError(`${flag} applies to --search halving only`);
    }
  }
  if (flags.label && !flags.data) {
    throw new UsageError("--label goes with --data");
  }
  if (flags.data && !flags.label) {
    throw new UsageError("--label must name the label column of --data");
  }
  const options: AutomlOptions = {
    search: flags.search,
    model: flags.model,
    trials: flags.trials,
    cv: flags.cv ?? null,
    seed: flags.seed,
    jobs: flags.jobs,
    targetScore: flags.target,
    timeBudget: flags.timeBudget,
  };
  if (flags.search === "halving") {
    options.halving = {
      resource: flags.resource,
      factor: flags.factor,
      minResource: flags.minResource,
      maxResource: flags.maxResource,
      ...(flags.keepTies ? { keepTies: true } : {}),
    };
  }
  if (flags.space) options.space = readSpace(flags.space);
  const space = options.space ?? defaultSpace(flags.model);
  if (
    flags.search === "halving" &&
    flags.trials !== undefined &&
    spaceSize(space) !== Infinity
  ) {
    throw new UsageError(
      "--trials does not apply to --search halving over a space without float ranges: every grid point is a candidate",
    );
  }
  if (flags.data) {
    const table = readCsvFile(flags.data, { label: flags.label });
    options.data = { X: table.X, y: table.y ?? [], source: table.source };
  }
  return options;
}

function readSpace(path: string) {
  const text = readTextFile(path);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UsageError(
      `--space ${path} must be JSON: ${(err as Error).message}`,
    );
  }
  return parseSpace(raw);
}

function formatValue(v: ParamValue): string {
  return v === null
    ? "null"
    : typeof v === "number"
      ? String(+v.toPrecision(6))
      : String(v);
}

function formatParams(p: Params): string {
  return Object.entries(p)
    .map(([k, v]) => `${k} ${formatValue(v)}`)
    .join(", ");
}

/** The ranked table, the summary and the chart. */
function formatRun(r: AutomlResult, io: CliIO, jobs: number): string {
  const names = Object.keys(r.space);
  const halving = r.search === "halving";
  const cv = r.cv !== null;
  const d = r.data;
  const scoredOn = cv
    ? `${r.cv}-fold stratified cross-validation on train + validation`
    : "the validation rows";
  const head = [
    `AutoML: ${r.search} search of ${r.model === "forest" ? "a random forest" : "logistic regression"} on ${d.source}: ` +
      `${d.nSamples} rows x ${d.nFeatures} features, ${d.nClasses} classes`,
    `train ${d.nTrain} / validation ${d.nValidation} / test ${d.nTest} (stratified, seed ${r.seed}); scored on ${scoredOn}`,
  ];

  const ranked = [...r.trials].sort((a, b) => a.rank - b.rank);
  const columns = [
    { header: "rank", align: "right" as const },
    { header: "trial", align: "right" as const },
    ...(halving
      ? [
          {
            header: r.trials[0]?.resource?.kind === "trees" ? "trees" : "rows",
            align: "right" as const,
          },
        ]
      : []),
    ...names.map((n) => ({ header: n, align: "right" as const })),
    // the noise mark sits in the score's cell, so a narrow table keeps it
    { header: "score  ", align: "right" as const },
    ...(cv ? [{ header: "± std", align: "right" as const }] : []),
    { header: "fit s", align: "right" as const },
  ];
  const rows = ranked.map((t) => [
    String(t.rank),
    String(t.id + 1),
    ...(halving ? [String(t.resource?.amount ?? "")] : []),
    ...names.map((n) => formatValue(t.params[n] ?? null)),
    (t.score === null ? "failed" : t.score.toFixed(4)) +
      (t.withinNoise ? " ≈" : "  "),
    ...(cv ? [t.scoreStd === undefined ? "" : t.scoreStd.toFixed(4)] : []),
    t.fitSeconds.toFixed(2),
  ]);
  const table = formatTable(columns, rows, { width: io.columns, maxRows: 50 });

  const failed = r.trials.filter((t) => t.status === "failed");
  const notes = [
    `≈ within noise of the best: ${r.tiedWithBest} of ${r.trials.length} trials score within ` +
      `${r.noise.toFixed(4)} (the best score's standard error${cv ? ", std / sqrt(k)" : ", binomial"}) of the best` +
      (halving ? " on its rung" : ""),
  ];
  if (r.tiedWithBest > 1) {
    notes.push(
      "  the pick among them is noise: more data or more folds would tell them apart, not this search",
    );
  }
  if (failed.length > 0) {
    notes.push(
      `${failed.length} trial(s) failed; the first: ${failed[0].error}`,
    );
  }
  if (r.stopped) {
    notes.push(
      r.stopped === "target"
        ? "stopped: a trial reached the target score"
        : "stopped: the time budget was spent",
    );
  }

  const b = r.best;
  const model = r.model === "forest" ? "forest" : "logistic regression";
  const summary = [
    `best: ${formatParams(b.params)} (trial ${b.id + 1})`,
    `  validation ${b.validationScore.toFixed(4)}${b.scoreStd !== undefined ? ` ± ${b.scoreStd.toFixed(4)}` : ""}` +
      `, test ${b.testAccuracy.toFixed(4)}`,
    `default ${model}: test ${r.default.testAccuracy.toFixed(4)}` +
      ` (${b.testAccuracy - r.default.testAccuracy >= 0 ? "+" : ""}${(b.testAccuracy - r.default.testAccuracy).toFixed(4)} for the best)`,
    `${r.trials.length} trials: ${r.evaluated} evaluated now, ${r.resumed} from the journal; ${r.foldFits} fits` +
      (halving ? `, ${r.cost.toFixed(2)} full-fit equivalents` : ""),
    `${r.seconds.toFixed(2)} s in all, the search ${r.searchSeconds.toFixed(2)} s with ${jobs} job${jobs > 1 ? "s" : ""}`,
  ];

  const byId = [...r.trials].sort((a, b2) => a.id - b2.id);
  let runBest = -Infinity;
  const scores = byId.map((t) => t.score ?? NaN);
  const bestSoFar = byId.map(
    (t) => (runBest = Math.max(runBest, t.score ?? -Infinity)),
  );
  const finite = scores.filter(Number.isFinite);
  const chart = lineChart(
    [
      {
        name: "score",
        values: scores.map((s) =>
          Number.isFinite(s) ? s : Math.min(...finite),
        ),
      },
      { name: "best so far", values: bestSoFar },
    ],
    {
      width: io.columns,
      height: 10,
      title: `${cv ? "cross-validated" : "validation"} accuracy per trial`,
      yLabel: "accuracy",
      xLabel: "trial",
      xLabels: byId.map((t) => String(t.id + 1)),
      digits: 3,
      color: io.color,
    },
  );
  const wrap = (lines: string[]) =>
    lines.flatMap((l) => {
      const indent = /^ */.exec(l)![0];
      return wrapText(l.trimStart(), io.columns - indent.length).map(
        (w) => indent + w,
      );
    });
  return [
    ...wrap(head),
    "",
    table,
    ...wrap(notes),
    "",
    ...wrap(summary),
    "",
    chart,
    "",
  ].join("\n");
}

function compareCommand(io: CliIO, setExit: (code: number) => void): Command {
  return new Command("compare")
    .description(
      "TPE, random search and successive halving against the grid's best cross-validated score, seed by seed",
    )
    .option(
      "--seeds <n>",
      "seeds 0 .. n-1 (data, folds, forests, searches)",
      intOption(1, 100),
      5,
    )
    .option("--cv <k>", "folds", intOption(2, 20), 5)
    .option(
      "--budget <n>",
      "trials of TPE and random search (default: half the grid)",
      intOption(1, 36),
    )
    .option("--jobs <n>", "worker threads", intOption(1, 256), 1)
    .option("--factor <n>", "halving: keep 1/n per rung (3)", intOption(2, 100))
    .option(
      "--min-resource <n>",
      "halving: first rung's rows (2 x folds x classes)",
      intOption(1),
    )
    .option(
      "--keep-ties",
      "halving: also promote candidates within the cut's standard error (at most twice as many)",
    )
    .option("--json", "print results as JSON", false)
    .option("-v, --verbose", "one progress line per search on stderr", false)
    .action(async (flags: CompareFlags) => {
      const report = progress(io, flags.verbose);
      const result = await compareSearches({
        seeds: flags.seeds,
        cv: flags.cv,
        budget: flags.budget,
        jobs: flags.jobs,
        halving: {
          factor: flags.factor,
          minResource: flags.minResource,
          keepTies: flags.keepTies,
        },
        onProgress: (seed, search) =>
          report.report(`seed ${seed}: ${search} done`),
      });
      report.done();
      if (flags.json) io.stdout(JSON.stringify(result, null, 2) + "\n");
      else io.stdout(formatCompare(result, io));
      setExit(0);
    });
}

function formatCompare(r: CompareResult, io: CliIO): string {
  const rungs = r.seeds[0]?.halving.rungs ?? [];
  const seeds =
    r.seeds.length === 1 ? "seed 0" : `seeds 0-${r.seeds.length - 1}`;
  const half =
    r.budget === Math.floor(r.gridSize / 2) ? " (half the grid)" : "";
  const head = [
    `TPE, random search and successive halving against the ${r.gridSize}-point grid`,
    `a random forest on the course's problem, ${r.cv}-fold stratified CV, ${seeds}`,
    `TPE and random: ${r.budget} trials each${half}; halving: factor ${r.factor}, rungs of`,
    "  " +
      rungs.map((g) => `${g.candidates} x ${g.rows}`).join(", ") +
      " (candidates x rows)" +
      (r.keepTies
        ? ";\n  also promoted: ties within the cut's se, up to twice each count"
        : ""),
  ];

  const fits = (n: number | null) => (n === null ? "not" : String(n));
  const columns = [
    "seed",
    "grid",
    "se",
    "ties",
    "TPE",
    "TPE ≈",
    "rand",
    "rand ≈",
    "halving",
    "≈",
    "cost",
  ].map((header) => ({
    header,
    align: "right" as const,
  }));
  const rows = r.seeds.map((s) => [
    String(s.seed),
    s.grid.bestScore.toFixed(4),
    s.grid.noise.toFixed(4),
    String(s.grid.tiedAtBest),
    fits(s.tpe.fitsToReach),
    fits(s.tpe.fitsToWithinNoise),
    fits(s.random.fitsToReach),
    fits(s.random.fitsToWithinNoise),
    `${s.halving.bestScore.toFixed(4)} ${s.halving.reached ? "yes" : "no"}`,
    s.halving.withinNoise ? "yes" : "no",
    s.halving.cost.toFixed(2),
  ]);
  const sm = r.summary;
  const mean = (x: number | null) => (x === null ? "-" : x.toFixed(1));
  const lines = [
    ...head,
    "",
    formatTable(columns, rows, { width: io.columns }),
    "grid: the grid's best CV score; se: its standard error, std / sqrt(k);",
    "ties: configurations scoring it. TPE, rand(om): trials (of k folds each) until",
    "the best so far reached it; ≈: until within its se. halving: its pick's score",
    "on the last rung (all rows: the grid's score for it) and whether that is the",
    `grid's best; cost: its ${sm.halvingMeanEvaluations.toFixed(0)} trials at their rung's rows, in full fits.`,
    "",
    `TPE reached the grid's best in ${sm.tpeReached} of ${r.seeds.length} seeds within ${r.budget} fits (mean ${mean(sm.tpeMeanFitsWhenReached)} fits when it did)`,
    `random search: ${sm.randomReached} of ${r.seeds.length} (mean ${mean(sm.randomMeanFitsWhenReached)})`,
    `halving picked the grid's best in ${sm.halvingReached} of ${r.seeds.length} seeds at ${sm.halvingMeanCost.toFixed(2)} full-fit equivalents ` +
      `(${sm.halvingMeanEvaluations.toFixed(0)} trials on subsets); the grid costs ${r.gridSize}`,
    `${r.seconds.toFixed(1)} s`,
    "",
  ];
  return lines
    .flatMap((l) =>
      l.startsWith("seed ") || l.includes("\n") || l.length <= io.columns
        ? [l]
        : wrapText(l, io.columns),
    )
    .join("\n");
}
