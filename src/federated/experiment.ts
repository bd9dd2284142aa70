/**
 * `wasmlearn federated`'s experiment: a federated run in worker threads
 * (simulate.ts) next to the two yardsticks that federated learning sits
 * between, a centralised model fitted on the pooled data (the best case,
 * which federated learning exists to avoid needing) and each client's
 * local-only model; all scored on the pooled training data, as the
 * course does, and, for the course's clients, also on held-out data: a
 * fresh sample of each client's distribution that no model trained on.
 * The held-out figures are the honest ones for forests, which fit their
 * training data almost perfectly. Returns plain data; the CLI formats it.
 */
import type { BackendName } from "../backend.js";
import type { Label } from "../data/dataset.js";
import { encodeLabels } from "../data/labels.js";
import { matrix, type Matrix } from "../data/matrix.js";
import { StandardScaler } from "../data/scale.js";
import { RandomForestClassifier } from "../models/forest.js";
import { LogisticRegression } from "../models/logistic.js";
import {
  resolveOptions,
  roundSummary,
  type FederatedOptions,
  type RoundRecord,
} from "./coordinator.js";
import {
  courseClientData,
  loadClientData,
  type ClientData,
  type ClientDataSpec,
  type Partition,
} from "./data.js";
import { LocalClient, probaLossAndHits } from "./local.js";
import { paramsToJSON } from "./params.js";
import { simulate } from "./simulate.js";

/** Options of {@link runFederated}. */
export interface FederatedExperimentOptions extends FederatedOptions {
  /** clients: the course's 3 by default, or how many shares of `data` */
  clients?: number;
  /** a CSV file shared out among the clients; default the course's synthetic clients */
  data?: { path: string; label: string; partition: Partition };
  backend?: BackendName;
  /** one worker per client (default true) */
  threads?: boolean;
  onRound?: (record: RoundRecord) => void;
  log?: (line: string) => void;
}

/** Accuracy and mean log-loss on the pooled data. */
export interface Scores {
  accuracy: number;
  /** null when the model cannot give probabilities for every class */
  logLoss: number | null;
}

/** What {@link runFederated} returns; the keys of `--json`. */
export interface FederatedExperimentResult {
  algorithm: string;
  model: "logistic" | "forest";
  setting: string;
  seed: number;
  secure: boolean;
  noiseMultiplier: number;
  clipNorm: number | null;
  clientData: {
    client: string;
    nSamples: number;
    classCounts: Record<string, number>;
  }[];
  rounds: {
    round: number;
    accuracy: number;
    logLoss: number;
    clients: string[];
    dropped: string[];
    noiseStd: number;
  }[];
  centralized: Scores;
  localOnly: ({ client: string } & Scores)[];
  /** the same models on held-out data (course setting only, else null) */
  heldOut: {
    nSamples: number;
    global: Scores;
    centralized: Scores;
    localOnly: ({ client: string } & Scores)[];
  } | null;
  seconds: number;
}

/** The clients' data descriptions for the options. */
export function clientSpecs(
  options: FederatedExperimentOptions,
): ClientDataSpec[] {
  const seed = options.seed ?? 42;
  const n = options.clients ?? 3;
  const data = options.data;
  return Array.from({ length: n }, (_, k): ClientDataSpec =>
    data
      ? {
          kind: "csv",
          path: data.path,
          label: data.label,
          share: { partition: data.partition, client: k, nClients: n, seed },
        }
      : { kind: "course", client: k, seed, nSamples: 200, nFeatures: 10 },
  );
}

/**
 * Runs the federated training and both yardsticks.
 * @throws as simulate, and for unusable data files
 */
export async function runFederated(
  options: FederatedExperimentOptions = {},
): Promise<FederatedExperimentResult> {
  const start = performance.now();
  const specs = clientSpecs(options);
  const fed = resolveOptions({ scale: options.data !== undefined, ...options });
  const { backend, threads, onRound, log } = options;
  const run = await simulate(specs, { ...fed, backend, threads, onRound, log });

  // The yardsticks need the pooled data, which only this comparison sees.
  const parts = specs.map(loadClientData);
  const pooled = pool(parts);
  const scaler = fed.scale ? new StandardScaler().fit(pooled.X) : null;
  const view = (X: Matrix) => (scaler ? scaler.transform(X) : X);
  const X = view(pooled.X);
  const fit = (d: ClientData, k: number) => fitBaseline(view(d.X), d.y, fed, k);
  const centralized = fit(pooled, -1);
  const local = parts.map((p, k) => fit(p, k));

  // Held-out: a second draw of every course client's distribution.
  let heldOut: FederatedExperimentResult["heldOut"] = null;
  if (!options.data) {
    const test = pool(
      specs.map((s) =>
        s.kind === "course"
          ? courseClientData(s.client, s.seed, s.nSamples, s.nFeatures, 1)
          : loadClientData(s),
      ),
    );
    const Xt = view(test.X);
    heldOut = {
      nSamples: test.y.length,
      global: scoreGlobal(run, test, backend),
      centralized: score(centralized, Xt, test.y),
      localOnly: local.map((b, k) => ({
        client: run.clientNames[k],
        ...score(b, Xt, test.y),
      })),
    };
  }
  return {
    algorithm: fed.model === "forest" ? "forest-union" : fed.algorithm,
    model: fed.model,
    setting: options.data
      ? `${options.data.path} (${options.data.partition})`
      : "course",
    seed: fed.seed,
    secure: fed.secure,
    noiseMultiplier: run.noiseMultiplier,
    clipNorm: run.clipNorm,
    clientData: parts.map((p, k) => ({
      client: run.clientNames[k],
      nSamples: p.y.length,
      classCounts: countClasses(p.y),
    })),
    rounds: run.rounds.map(roundSummary),
    centralized: score(centralized, X, pooled.y),
    localOnly: local.map((b, k) => ({
      client: run.clientNames[k],
      ...score(b, X, pooled.y),
    })),
    heldOut,
    seconds: (performance.now() - start) / 1000,
  };
}

type Baseline =
  | { kind: "model"; model: LogisticRegression | RandomForestClassifier }
  | { kind: "constant"; label: Label };

/** The centralised (k = -1) or local-only model of the same family. */
function fitBaseline(
  X: Matrix,
  y: Label[],
  o: ReturnType<typeof resolveOptions>,
  k: number,
): Baseline {
  if (o.model === "forest") {
    const nEstimators = k < 0 ? o.nEstimators * 3 : o.nEstimators;
    return {
      kind: "model",
      model: new RandomForestClassifier({
        nEstimators,
        maxDepth: o.maxDepth,
        randomState: o.seed,
      }).fit(X, y),
    };
  }
  const { classes } = encodeLabels(y);
  if (classes.length < 2) return { kind: "constant", label: classes[0] };
  return {
    kind: "model",
    model: new LogisticRegression({ C: o.C, maxIter: 1000 }).fit(X, y),
  };
}

function score(b: Baseline, X: Matrix, y: Label[]): Scores {
  if (b.kind === "constant") {
    return {
      accuracy: y.filter((v) => v === b.label).length / y.length,
      logLoss: null,
    };
  }
  const { lossSum, correct } = probaLossAndHits(
    b.model.predictProba(X),
    b.model.classes,
    y,
  );
  const allClasses = b.model.classes.length === encodeLabels(y).classes.length;
  return {
    accuracy: correct / y.length,
    logLoss: allClasses ? lossSum / y.length : null,
  };
}

/**
 * The global model's scores on data no client holds, computed by the same
 * client-side evaluation the federation uses (so the same scaling and
 * class order).
 */
function scoreGlobal(
  run: Awaited<ReturnType<typeof simulate>>,
  data: ClientData,
  backend: BackendName | undefined,
): Scores {
  const reply = new LocalClient(data, backend).handle({
    type: "evaluate",
    id: 0,
    round: run.rounds.length,
    config: run.config,
    ...(run.forest
      ? { forest: run.forest.toJSON() }
      : { params: paramsToJSON(run.params ?? {}) }),
  });
  if (reply.type !== "metrics") {
    throw new Error(`held-out evaluation failed: ${JSON.stringify(reply)}`);
  }
  const n = data.y.length;
  return { accuracy: reply.correct / n, logLoss: reply.lossSum / n };
}

function pool(parts: ClientData[]): ClientData {
  const d = parts[0].X.cols;
  const rows = parts.reduce((s, p) => s + p.X.rows, 0);
  const data = new Float64Array(rows * d);
  let at = 0;
  for (const p of parts) {
    data.set(p.X.data, at);
    at += p.X.data.length;
  }
  return { X: matrix(rows, d, data), y: parts.flatMap((p) => p.y) };
}

function countClasses(y: Label[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of encodeLabels(y).classes) out[String(c)] = 0;
  for (const v of y) out[String(v)]++;
  return out;
}
