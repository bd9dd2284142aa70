/**
 * `wasmlearn federated`: FedAvg / FedProx (or a federated forest) over
 * clients in worker threads, against a centralised model and local-only
 * models (default subcommand `run`); `federated serve` and `federated
 * join` run the coordinator and the clients as separate processes over
 * WebSocket.
 */
import { Command, InvalidArgumentError } from "commander";
import { BACKENDS, type BackendName } from "../backend.js";
import { formatTable, lineChart } from "../charts/index.js";
import type { Label } from "../data/dataset.js";
import { readCsvFile } from "../data/files.js";
import { encodeLabels } from "../data/labels.js";
import {
  roundSummary,
  StoppedRunError,
  type FederatedRun,
  type RoundRecord,
} from "../federated/coordinator.js";
import { PARTITIONS, type Partition } from "../federated/data.js";
import type {
  FederatedExperimentResult,
  Scores,
} from "../federated/experiment.js";
import { ALGORITHMS, type Algorithm } from "../federated/protocol.js";
import { progress, UsageError, wireCommand, type CliIO } from "./io.js";
import {
  choiceOption,
  fractionOption,
  intOption,
  positiveOption,
} from "./parse.js";

const EXAMPLES = `
Examples:
  $ wasmlearn federated                          the course's 3 non-IID clients, FedAvg, 20 rounds
  $ wasmlearn federated --algorithm fedprox --secure --dp-noise 0.5
  $ wasmlearn federated --model forest
  $ wasmlearn federated --data data/wdbc.csv.gz --label Class --partition label-skew --clients 4
  $ wasmlearn federated serve --port 8765 --clients 3 --rounds 20
  $ wasmlearn federated join --server ws://127.0.0.1:8765 --data part1.csv --label y
`;

const MODELS = ["logistic", "forest"] as const;

interface TrainingFlags {
  algorithm: Algorithm;
  rounds: number;
  localEpochs: number;
  lr: number;
  mu?: number;
  fraction: number;
  secure: boolean;
  dpNoise: number;
  clip?: number;
  model: (typeof MODELS)[number];
  trees: number;
  seed: number;
  json: boolean;
  verbose: boolean;
}

interface RunFlags extends TrainingFlags {
  data?: string;
  label?: string;
  partition: Partition;
  clients: number;
  scale: boolean;
  backend: BackendName;
}

interface ServeFlags extends TrainingFlags {
  port: number;
  clients: number;
  minClients: number;
  scale: boolean;
  joinTimeout: number;
  requestTimeout: number;
}

interface JoinFlags {
  server?: string;
  data: string;
  label: string;
  backend: BackendName;
  timeout: number;
  json: boolean;
  verbose: boolean;
}

/** A number >= 0. */
function nonNegative(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0) {
    throw new InvalidArgumentError(`must be a number >= 0, got "${value}"`);
  }
  return n;
}

/** The options every training command shares. */
function trainingOptions(cmd: Command): Command {
  return cmd
    .option(
      "--algorithm <name>",
      "fedavg or fedprox",
      choiceOption(ALGORITHMS),
      "fedavg",
    )
    .option("--rounds <n>", "communication rounds", intOption(1, 100_000), 20)
    .option(
      "--local-epochs <n>",
      "full-batch gradient steps per client and round",
      intOption(1, 10_000),
      5,
    )
    .option(
      "--lr <x>",
      "local gradient step size (at most 100)",
      boundedPositive(100),
      1,
    )
    .option("--mu <x>", "FedProx proximal strength (default 0.1)", nonNegative)
    .option(
      "--fraction <x>",
      "share of clients sampled per round",
      fractionOption,
      1,
    )
    .option("--secure", "secure aggregation (pairwise masks)", false)
    .option(
      "--dp-noise <z>",
      "differential privacy: Gaussian noise multiplier, 0 (off) to 100",
      boundedNonNegative(100),
      0,
    )
    .option(
      "--clip <s>",
      "clip each update to this L2 norm (default 1 with --dp-noise)",
      positiveOption,
    )
    .option(
      "--model <name>",
      "logistic or forest",
      choiceOption(MODELS),
      "logistic",
    )
    .option("--trees <n>", "trees per client forest", intOption(1, 10_000), 50)
    .option(
      "--seed <n>",
      "seed of the data, client sampling, noise and forests",
      intOption(0, 2 ** 31 - 1),
      42,
    )
    .option("--json", "print results as JSON", false)
    .option("-v, --verbose", "progress on stderr", false);
}

/** A number in (0, max]. */
function boundedPositive(max: number) {
  return (value: string): number => {
    const n = positiveOption(value);
    if (n > max)
      throw new InvalidArgumentError(`must be at most ${max}, got "${value}"`);
    return n;
  };
}

/** A number in [0, max]. */
function boundedNonNegative(max: number) {
  return (value: string): number => {
    const n = nonNegative(value);
    if (n > max)
      throw new InvalidArgumentError(`must be at most ${max}, got "${value}"`);
    return n;
  };
}

/** Options that would be silently ignored are errors instead. */
function checkTrainingCombination(
  flags: TrainingFlags,
  fromCli: (name: string) => boolean,
): void {
  if (flags.mu !== undefined && flags.algorithm !== "fedprox") {
    throw new UsageError("--mu applies to --algorithm fedprox only");
  }
  if (fromCli("clip") && !(flags.dpNoise > 0)) {
    throw new UsageError("--clip applies with --dp-noise only");
  }
  const forestOnly = ["trees"];
  const logisticOnly = [
    "algorithm",
    "rounds",
    "localEpochs",
    "lr",
    "mu",
    "fraction",
    "secure",
    "dpNoise",
    "clip",
  ];
  const [misplaced, model] =
    flags.model === "forest"
      ? [logisticOnly, "forest"]
      : [forestOnly, "logistic"];
  for (const name of misplaced) {
    if (fromCli(name)) {
      const flag = "--" + name.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());
      throw new UsageError(
        `${flag} does not apply to --model ${model}` +
          (model === "forest"
            ? " (a federated forest is one round: each client grows trees once)"
            : ""),
      );
    }
  }
}

function fedOptions(flags: TrainingFlags) {
  return {
    model: flags.model,
    algorithm: flags.algorithm,
    rounds: flags.rounds,
    localEpochs: flags.localEpochs,
    lr: flags.lr,
    mu: flags.mu,
    clientFraction: flags.fraction,
    secure: flags.secure,
    dpNoise: flags.dpNoise,
    clipNorm: flags.clip ?? null,
    nEstimators: flags.trees,
    seed: flags.seed,
  };
}

/** Defines the command and its subcommands; `io` receives all output. */
export function federatedCommand(
  io: CliIO,
  setExit: (code: number) => void,
): Command {
  return new Command("federated")
    .description(
      "federated learning: FedAvg/FedProx or a federated forest, simulated or over WebSocket",
    )
    .addHelpText("after", EXAMPLES)
    .addCommand(wireCommand(runCommand(io, setExit), io), { isDefault: true })
    .addCommand(wireCommand(serveCommand(io, setExit), io))
    .addCommand(wireCommand(joinCommand(io, setExit), io));
}

function runCommand(io: CliIO, setExit: (code: number) => void): Command {
  return trainingOptions(new Command("run"))
    .description(
      "simulate clients in worker threads; compare with centralised and local-only models",
    )
    .option(
      "--data <file.csv>",
      "share this CSV file among the clients (default the course's synthetic clients)",
    )
    .option("--label <column>", "label column of --data")
    .option(
      "--partition <kind>",
      "iid or label-skew (with --data)",
      choiceOption(PARTITIONS),
      "iid",
    )
    .option(
      "--clients <n>",
      "clients (with --data; the course has 3)",
      intOption(1, 64),
      3,
    )
    .option("--no-scale", "do not standardise --data's features")
    .option(
      "--backend <name>",
      "kernels: wasm or ts",
      choiceOption(BACKENDS),
      "wasm",
    )
    .action(async (flags: RunFlags, cmd: Command) => {
      const fromCli = (name: string) =>
        cmd.getOptionValueSource(name) === "cli";
      checkTrainingCombination(flags, fromCli);
      if (!flags.data) {
        if (fromCli("scale"))
          throw new UsageError("--no-scale applies to --data only");
        for (const name of ["label", "partition", "clients"]) {
          if (fromCli(name))
            throw new UsageError(`--${name} applies to --data only`);
        }
      } else if (!flags.label) {
        throw new UsageError("--data needs --label COLUMN");
      }
      const report = progress(io, flags.verbose);
      const { runFederated } = await import("../federated/experiment.js");
      const result = await runFederated({
        ...fedOptions(flags),
        scale: flags.data ? flags.scale : false,
        clients: flags.data ? flags.clients : 3,
        data: flags.data
          ? {
              path: flags.data,
              label: flags.label as string,
              partition: flags.partition,
            }
          : undefined,
        backend: flags.backend,
        onRound: (r) => report.report(roundLine(r, totalRounds(flags))),
      });
      report.done();
      if (flags.json) io.stdout(JSON.stringify(result, null, 2) + "\n");
      else io.stdout(formatFederated(result, io));
      setExit(0);
    });
}

function serveCommand(io: CliIO, setExit: (code: number) => void): Command {
  return trainingOptions(new Command("serve"))
    .description("coordinate clients over WebSocket on 127.0.0.1")
    .option(
      "--port <n>",
      "port on 127.0.0.1 (0 = any free port)",
      intOption(0, 65535),
      0,
    )
    .option(
      "--clients <n>",
      "clients to wait for before the first round",
      intOption(1, 1000),
      2,
    )
    .option(
      "--min-clients <n>",
      "a round completes with at least this many answers",
      intOption(1, 1000),
      1,
    )
    .option(
      "--no-scale",
      "do not standardise features (federated mean and variance)",
    )
    .option(
      "--join-timeout <s>",
      "seconds to wait for --clients clients",
      intOption(1, 86_400),
      120,
    )
    .option(
      "--request-timeout <s>",
      "seconds a client may take per request",
      intOption(1, 86_400),
      30,
    )
    .action(async (flags: ServeFlags, cmd: Command) => {
      checkTrainingCombination(
        flags,
        (name) => cmd.getOptionValueSource(name) === "cli",
      );
      if (flags.minClients > flags.clients) {
        throw new UsageError(
          `--min-clients must be at most --clients (${flags.clients}), got ${flags.minClients}`,
        );
      }
      const { FederatedServer } = await import("../federated/server.js");
      const server = await FederatedServer.start({
        ...fedOptions(flags),
        scale: flags.scale,
        minClients: flags.minClients,
        port: flags.port,
        clients: flags.clients,
        joinTimeoutMs: flags.joinTimeout * 1000,
        requestTimeoutMs: flags.requestTimeout * 1000,
        onLog: (line) => io.stderr(`${line}\n`),
        onRound: (r) => io.stderr(`${roundLine(r, totalRounds(flags))}\n`),
      });
      io.stderr(`listening on ${server.url}\n`);
      try {
        let run: FederatedRun;
        let stopped: StoppedRunError | null = null;
        try {
          run = await server.done;
        } catch (err) {
          // too few clients left: keep the rounds done, then fail (exit 1)
          if (!(err instanceof StoppedRunError)) throw err;
          [run, stopped] = [err.partial, err];
        }
        io.stdout(
          flags.json
            ? JSON.stringify(
                {
                  ...serveSummary(run, flags),
                  stopped: stopped?.message ?? null,
                },
                null,
                2,
              ) + "\n"
            : formatServe(run, io),
        );
        if (stopped) throw stopped;
        setExit(0);
      } finally {
        await server.close();
      }
    });
}

function joinCommand(io: CliIO, setExit: (code: number) => void): Command {
  return new Command("join")
    .description(
      "take part in a federated run with a local CSV file; its rows never leave",
    )
    .requiredOption(
      "--server <url>",
      "the coordinator, e.g. ws://127.0.0.1:8765 (required)",
    )
    .requiredOption("--data <file.csv>", "this client's data")
    .requiredOption("--label <column>", "label column of --data")
    .option(
      "--backend <name>",
      "kernels: wasm or ts",
      choiceOption(BACKENDS),
      "wasm",
    )
    .option(
      "--timeout <s>",
      "give up after this many seconds",
      intOption(1, 86_400),
      600,
    )
    .option("--json", "print the result as JSON", false)
    .option("-v, --verbose", "events on stderr", false)
    .action(async (flags: JoinFlags) => {
      const { checkServerUrl, joinFederation } =
        await import("../federated/client.js");
      checkServerUrl(flags.server as string);
      const table = readCsvFile(flags.data, { label: flags.label });
      const result = await joinFederation({
        server: flags.server as string,
        data: { X: table.X, y: table.y ?? [] },
        backend: flags.backend,
        timeoutMs: flags.timeout * 1000,
        onLog: flags.verbose ? (line) => io.stderr(`${line}\n`) : undefined,
      });
      const out = {
        client: result.client,
        nSamples: table.X.rows,
        requests: result.requests,
        summary: result.summary,
      };
      io.stdout(
        flags.json
          ? JSON.stringify(out) + "\n"
          : `${out.client}: ${out.requests} requests answered, ${out.nSamples} samples kept local\n`,
      );
      setExit(0);
    });
}

/**
 * A warning when the global logistic model ends worse than the all-zero
 * model it started from (log-loss ln(nClasses)): the steps were too large,
 * typically because the features are not standardised.
 */
export function divergenceWarning(
  r: Pick<FederatedExperimentResult, "model" | "rounds">,
  nClasses: number,
): string {
  const last = r.rounds[r.rounds.length - 1];
  if (r.model !== "logistic" || !last) return "";
  const start = Math.log(Math.max(nClasses, 2));
  if (Number.isFinite(last.logLoss) && last.logLoss <= start) return "";
  return (
    `\nwarning: the global model's log-loss ${fmt(last.logLoss)} is worse than the ` +
    `untrained model's ${fmt(start)}: training diverged; standardise the features ` +
    `(drop --no-scale) or lower --lr`
  );
}

/** Rounds a run will have: a federated forest is grown in one. */
function totalRounds(flags: TrainingFlags): number {
  return flags.model === "forest" ? 1 : flags.rounds;
}

function roundLine(r: RoundRecord, total: number): string {
  const w = String(total).length;
  const acc = Number.isNaN(r.accuracy) ? "n/a" : r.accuracy.toFixed(4);
  const loss = Number.isNaN(r.logLoss) ? "n/a" : r.logLoss.toFixed(4);
  const dropped =
    r.dropped.length > 0 ? `  dropped ${r.dropped.join(",")}` : "";
  return `round ${String(r.round).padStart(w)}/${total}  accuracy ${acc}  log-loss ${loss}${dropped}`;
}

function serveSummary(run: FederatedRun, flags: ServeFlags) {
  return {
    algorithm: run.model === "forest" ? "forest-union" : flags.algorithm,
    rounds: run.rounds.map(roundSummary),
    noiseMultiplier: run.noiseMultiplier,
    params: run.params
      ? Object.fromEntries(
          Object.entries(run.params).map(([k, t]) => [
            k,
            { shape: t.shape, values: Array.from(t.values) },
          ]),
        )
      : null,
    classes: run.config.classes,
  };
}

function formatServe(run: FederatedRun, io: Pick<CliIO, "columns">): string {
  return `${roundTable(run.rounds)}\n\n${roundChart(run.rounds, io.columns)}\n`;
}

const fmt = (x: number | null) =>
  x === null || Number.isNaN(x) ? "n/a" : x.toFixed(4);

function roundTable(
  rounds: readonly Pick<
    RoundRecord,
    "round" | "accuracy" | "logLoss" | "clients" | "dropped"
  >[],
): string {
  return formatTable(
    [
      { header: "round", align: "right" },
      { header: "clients", align: "right" },
      { header: "accuracy", align: "right" },
      { header: "log-loss", align: "right" },
    ],
    rounds.map((r) => [
      String(r.round),
      String(r.clients.length) +
        (r.dropped.length ? ` (-${r.dropped.length})` : ""),
      fmt(r.accuracy),
      fmt(r.logLoss),
    ]),
  );
}

function roundChart(
  rounds: readonly Pick<RoundRecord, "accuracy" | "logLoss">[],
  columns: number,
): string {
  if (rounds.length < 2) return "";
  return lineChart(
    [
      { name: "accuracy", values: rounds.map((r) => r.accuracy) },
      { name: "log-loss", values: rounds.map((r) => r.logLoss) },
    ],
    {
      width: Math.min(columns, 100),
      height: 10,
      title: "global model on the pooled data, by round",
      xLabel: "round",
      yLabel: "accuracy / log-loss (nats)",
      xLabels: rounds.map((_, k) => String(k + 1)),
    },
  );
}

/** The report of a `federated` run. */
export function formatFederated(
  r: FederatedExperimentResult,
  io: Pick<CliIO, "columns">,
): string {
  const privacy = [
    r.secure ? "secure aggregation" : "",
    r.noiseMultiplier > 0
      ? `DP noise multiplier ${r.noiseMultiplier}, clip ${r.clipNorm}, ` +
        `noise std ${fmt(Math.max(...r.rounds.map((x) => x.noiseStd)))} per round`
      : "",
  ].filter(Boolean);
  const head = [
    `Federated ${r.model === "forest" ? "forest (union of client forests)" : `logistic regression (${r.algorithm})`} ` +
      `on ${r.setting === "course" ? "the course's non-IID clients" : r.setting}`,
    `${r.clientData.length} clients${r.setting === "course" ? " (label thresholds 0, 1, 0.5)" : ""}, ` +
      `${r.rounds.length} round(s), seed ${r.seed}${privacy.length ? `, ${privacy.join(", ")}` : ""}`,
  ];
  const classes = sortClassNames(
    new Set(r.clientData.flatMap((c) => Object.keys(c.classCounts))),
  );
  const balance = formatTable(
    [
      { header: "client" },
      { header: "samples", align: "right" },
      ...classes.map((c) => ({
        header: `class ${c}`,
        align: "right" as const,
      })),
    ],
    r.clientData.map((c) => [
      c.client,
      String(c.nSamples),
      ...classes.map((k) => String(c.classCounts[k] ?? 0)),
    ]),
  );
  const last = r.rounds[r.rounds.length - 1];
  const best = Math.max(...r.localOnly.map((l) => l.accuracy));
  const compare = scoreTable(last, r.centralized, r.localOnly);
  const heldOut = r.heldOut
    ? [
        "",
        `on held-out data (${r.heldOut.nSamples} fresh samples of the clients' distributions)`,
        scoreTable(
          r.heldOut.global,
          r.heldOut.centralized,
          r.heldOut.localOnly,
        ),
      ]
    : [];
  const chart = roundChart(r.rounds, io.columns);
  const verdict =
    `federated log-loss ${fmt(last.logLoss)} vs centralised ${fmt(r.centralized.logLoss)}; ` +
    `accuracy ${last.accuracy >= best ? ">=" : "<"} the best local-only model's (${fmt(best)})` +
    divergenceWarning(r, classes.length);
  return [
    head.join("\n"),
    "",
    "class balance per client",
    balance,
    "",
    roundTable(r.rounds),
    ...(chart ? ["", chart] : []),
    "",
    "on the pooled (training) data",
    compare,
    verdict,
    ...heldOut,
    "",
  ].join("\n");
}

/**
 * Class names (the keys of classCounts) in the labels' order: numbers by
 * value, otherwise as strings. (An object lists integer-like keys first,
 * so its key order is not the classes' order.)
 */
function sortClassNames(names: Iterable<string>): string[] {
  const all = [...names];
  const numeric = all.every(
    (c) => c.trim() !== "" && Number.isFinite(Number(c)),
  );
  // the models' own class order (encodeLabels), on the labels' kind
  const labels: Label[] = numeric ? all.map(Number) : all;
  return encodeLabels(labels).classes.map(String);
}

/** Global, centralised and local-only models' accuracy and log-loss. */
function scoreTable(
  global: Scores,
  centralized: Scores,
  localOnly: readonly ({ client: string } & Scores)[],
): string {
  return formatTable(
    [
      { header: "model" },
      { header: "accuracy", align: "right" },
      { header: "log-loss", align: "right" },
    ],
    [
      ["federated (global)", fmt(global.accuracy), fmt(global.logLoss)],
      [
        "centralised (pooled data)",
        fmt(centralized.accuracy),
        fmt(centralized.logLoss),
      ],
      ...localOnly.map((l) => [
        `local only: ${l.client}`,
        fmt(l.accuracy),
        fmt(l.logLoss),
      ]),
    ],
  );
}
