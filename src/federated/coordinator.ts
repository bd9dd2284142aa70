/**
 * The coordinator's rounds, independent of how clients are reached: the
 * worker simulation (simulate.ts) and the WebSocket server (server.ts)
 * both hand it {@link ClientLink}s, so they run the same selection,
 * aggregation, privacy and evaluation code.
 *
 * What differs from the course's code: the course "aggregates" by
 * averaging the clients' hyper-parameters (get_params) and refits a new
 * model on each client's data every round, so no global model is ever
 * fitted and the "global model" it evaluates cannot predict. Here the
 * clients train the global model's weights on their own data and the
 * coordinator averages the weight updates, weighted by sample counts
 * (FedAvg), so the global model is a real classifier that improves round
 * by round; and for forests, which have no weights to average, the
 * global model is the size-weighted union of the clients' forests.
 */
import { FederationError } from "../errors.js";
import type { Label } from "../data/dataset.js";
import { encodeLabels } from "../data/labels.js";
import { Rng } from "../kernels/rng.js";
import { treeSeed } from "../models/forest.js";
import {
  aggregateUpdates,
  checkCounts,
  checkSameParams,
  type ClientUpdate,
} from "./aggregate.js";
import { FederatedForest } from "./forest.js";
import {
  logisticParams,
  paramsFromJSON,
  paramsToJSON,
  type NamedParams,
} from "./params.js";
import { addGaussianNoise } from "./privacy.js";
import type {
  Algorithm,
  ClientHello,
  ClientReply,
  ModelConfig,
  ServerRequest,
  TrainConfig,
} from "./protocol.js";
import { unmaskSum } from "./secure.js";

/** A way to reach one client. */
export interface ClientLink {
  /** unique among the coordinator's clients */
  readonly name: string;
  readonly hello: ClientHello;
  /** Sends a request; rejects when the client is gone or too slow. */
  request(msg: ServerRequest): Promise<ClientReply>;
}

/** Options of a federated run; every field has a default. */
export interface FederatedOptions {
  /** "logistic" (FedAvg / FedProx) or "forest"; default "logistic" */
  model?: "logistic" | "forest";
  /** default "fedavg" */
  algorithm?: Algorithm;
  /** communication rounds; default 20 */
  rounds?: number;
  /** full-batch gradient steps per client and round; default 5 */
  localEpochs?: number;
  /** gradient step size; default 1 */
  lr?: number;
  /** FedProx's proximal strength; default 0.1 with fedprox (0 with fedavg) */
  mu?: number;
  /** share of the clients sampled each round, in (0, 1]; default 1 */
  clientFraction?: number;
  /**
   * inverse regularisation as in scikit-learn: the global objective is
   * sum of log-losses + ||W||^2 / (2 C), i.e. each client's local
   * objective is its mean log-loss + alpha/2 ||W||^2 with alpha = 1/(C N);
   * default 1
   */
  C?: number;
  /** pairwise-masked secure aggregation; default false */
  secure?: boolean;
  /** Gaussian noise multiplier z for differential privacy; default 0 (off) */
  dpNoise?: number;
  /** L2 clipping norm S of each update; default 1 with dpNoise, else none */
  clipNorm?: number | null;
  /** standardise features with federated statistics; default false */
  scale?: boolean;
  /** a round needs at least this many answering clients; default 1 */
  minClients?: number;
  /** seeds client sampling, DP noise and forests; default 42 */
  seed?: number;
  /** trees per client forest; default 50 (the course's) */
  nEstimators?: number;
  /** deepest level of the forests' trees; default null (unlimited) */
  maxDepth?: number | null;
}

/** Metrics of the global model after one round, on all clients' data. */
export interface RoundRecord {
  round: number;
  /** clients whose updates were aggregated */
  clients: string[];
  /** selected clients that did not answer (disconnected, failed) */
  dropped: string[];
  /** mean over every sample of every client that answered */
  accuracy: number;
  logLoss: number;
  /** samples the metrics cover */
  nSamples: number;
  /** standard deviation of the DP noise added (0 without) */
  noiseStd: number;
}

/** What the coordinator received from one client: its log. */
export interface ReceivedUpdate {
  round: number;
  attempt: number;
  client: string;
  masked: boolean;
  params: NamedParams;
}

/** The result of {@link Coordinator.run}. */
export interface FederatedRun {
  model: "logistic" | "forest";
  /** the global logistic model's parameters ("coef", "intercept") */
  params: NamedParams | null;
  /** the global forest */
  forest: FederatedForest | null;
  config: ModelConfig;
  alpha: number;
  /** DP noise multiplier used (0 = none) */
  noiseMultiplier: number;
  clipNorm: number | null;
  rounds: RoundRecord[];
}

type Resolved = Required<FederatedOptions>;

/** Fills in the defaults; checks ranges. */
export function resolveOptions(options: FederatedOptions = {}): Resolved {
  const algorithm = options.algorithm ?? "fedavg";
  const dpNoise = options.dpNoise ?? 0;
  const r: Resolved = {
    model: options.model ?? "logistic",
    algorithm,
    rounds: options.rounds ?? 20,
    localEpochs: options.localEpochs ?? 5,
    lr: options.lr ?? 1,
    mu: options.mu ?? (algorithm === "fedprox" ? 0.1 : 0),
    clientFraction: options.clientFraction ?? 1,
    C: options.C ?? 1,
    secure: options.secure ?? false,
    dpNoise,
    clipNorm: options.clipNorm ?? (dpNoise > 0 ? 1 : null),
    scale: options.scale ?? false,
    minClients: options.minClients ?? 1,
    seed: options.seed ?? 42,
    nEstimators: options.nEstimators ?? 50,
    maxDepth: options.maxDepth ?? null,
  };
  const check = (name: string, ok: boolean, value: unknown) => {
    if (!ok)
      throw new RangeError(
        `${name} is out of range, got ${JSON.stringify(value)}`,
      );
  };
  check(
    "rounds (an integer >= 1)",
    Number.isInteger(r.rounds) && r.rounds >= 1,
    r.rounds,
  );
  check(
    "localEpochs (an integer >= 1)",
    Number.isInteger(r.localEpochs) && r.localEpochs >= 1,
    r.localEpochs,
  );
  check("lr (> 0)", r.lr > 0 && Number.isFinite(r.lr), r.lr);
  check("mu (>= 0)", r.mu >= 0 && Number.isFinite(r.mu), r.mu);
  check(
    "clientFraction (in (0, 1])",
    r.clientFraction > 0 && r.clientFraction <= 1,
    r.clientFraction,
  );
  check("C (> 0)", r.C > 0 && Number.isFinite(r.C), r.C);
  check(
    "dpNoise (>= 0)",
    r.dpNoise >= 0 && Number.isFinite(r.dpNoise),
    r.dpNoise,
  );
  check(
    "clipNorm (> 0 or null)",
    r.clipNorm === null || (r.clipNorm > 0 && Number.isFinite(r.clipNorm)),
    r.clipNorm,
  );
  check(
    "minClients (an integer >= 1)",
    Number.isInteger(r.minClients) && r.minClients >= 1,
    r.minClients,
  );
  if (!["fedavg", "fedprox"].includes(r.algorithm)) {
    throw new RangeError(
      `algorithm must be fedavg or fedprox, got ${JSON.stringify(r.algorithm)}`,
    );
  }
  if (!["logistic", "forest"].includes(r.model)) {
    throw new RangeError(
      `model must be logistic or forest, got ${JSON.stringify(r.model)}`,
    );
  }
  return r;
}

/** Runs the rounds over whatever clients `links()` offers at each round. */
/**
 * Training stopped before the last round because too few clients were
 * left (fewer than minClients answered). `partial` holds the global model
 * and the rounds completed before it.
 */
export class StoppedRunError extends FederationError {
  override name = "StoppedRunError";
  constructor(
    message: string,
    readonly partial: FederatedRun,
  ) {
    super(message);
  }
}

export class Coordinator {
  readonly options: Resolved;
  /** the model's frame (classes, features, scaling), known once run starts */
  config: ModelConfig | null = null;
  /** every update received, as received (masked ones stay masked) */
  readonly received: ReceivedUpdate[] = [];
  private readonly rng: Rng;
  private nextId = 1;

  /**
   * @param log one line per event (drops, rejections), for the server's log
   * @param onRound called after each round's evaluation
   */
  constructor(
    options: FederatedOptions = {},
    private readonly log: (line: string) => void = () => {},
    private readonly onRound: (r: RoundRecord) => void = () => {},
  ) {
    this.options = resolveOptions(options);
    this.rng = new Rng(this.options.seed);
  }

  /**
   * Trains the global model.
   * @param links the clients connected now (called at the start of every round)
   * @throws RangeError when no client has samples; StoppedRunError (with
   *   the rounds done) when a round has fewer than minClients answering
   *   clients; aggregation errors (mismatched parameters) as thrown by
   *   aggregateUpdates
   */
  async run(links: () => readonly ClientLink[]): Promise<FederatedRun> {
    const first = sortLinks(links());
    const config = modelConfig(
      first.map((l) => l.hello),
      this.options.scale,
    );
    this.config = config;
    const N = first.reduce((s, l) => s + l.hello.nSamples, 0);
    if (N === 0)
      throw new RangeError("clients must hold at least 1 sample in all, got 0");
    const alpha = 1 / (this.options.C * N);
    const base = {
      config,
      alpha,
      noiseMultiplier: this.options.dpNoise,
      clipNorm: this.options.clipNorm,
    };
    if (this.options.model === "forest") {
      const { forest, record } = await this.forestRound(first, config);
      return {
        model: "forest",
        params: null,
        forest,
        rounds: [record],
        ...base,
      };
    }

    const nRows = config.classes.length === 2 ? 1 : config.classes.length;
    let params = logisticParams(
      new Float64Array(nRows * (config.nFeatures + 1)),
      nRows,
      config.nFeatures,
    );
    const rounds: RoundRecord[] = [];
    for (let round = 1; round <= this.options.rounds; round++) {
      const eligible = sortLinks(links()).filter((l) =>
        fits(l.hello, config, this.log),
      );
      let trained;
      try {
        trained = await this.trainRound(round, eligible, params, config, alpha);
      } catch (err) {
        if (!(err instanceof FederationError)) throw err;
        const partial = { model: "logistic" as const, params, forest: null };
        throw new StoppedRunError(
          `${err.message}; stopped after ${rounds.length} complete round(s)`,
          { ...partial, rounds, ...base },
        );
      }
      const { delta, clients, dropped, noiseStd } = trained;
      for (const [name, t] of Object.entries(params)) {
        for (let k = 0; k < t.values.length; k++)
          t.values[k] += delta[name].values[k];
      }
      const metrics = await this.evaluate(round, sortLinks(links()), {
        params: paramsToJSON(params),
        config,
      });
      const record = { round, clients, dropped, ...metrics, noiseStd };
      rounds.push(record);
      this.onRound(record);
    }
    return { model: "logistic", params, forest: null, rounds, ...base };
  }

  /** One round: sample, train, aggregate (retrying secure rounds after drops), add DP noise. */
  private async trainRound(
    round: number,
    eligible: ClientLink[],
    params: NamedParams,
    frame: ModelConfig,
    alpha: number,
  ) {
    const o = this.options;
    let selected = this.sample(
      o.secure ? eligible.filter((l) => l.hello.nSamples > 0) : eligible,
    );
    const dropped: string[] = [];
    for (let attempt = 0; ; attempt++) {
      if (selected.length < o.minClients) {
        throw new FederationError(
          `round ${round}: ${selected.length} client(s) available, fewer than minClients ${o.minClients}`,
        );
      }
      const totalSamples = selected.reduce((s, l) => s + l.hello.nSamples, 0);
      const config: TrainConfig = {
        ...frame,
        algorithm: o.algorithm,
        lr: o.lr,
        localEpochs: o.localEpochs,
        mu: o.algorithm === "fedprox" ? o.mu : 0,
        alpha,
        clipNorm: o.clipNorm,
        secure: o.secure
          ? {
              peers: selected.map((l) => ({
                client: l.name,
                publicKey: l.hello.publicKey,
              })),
              totalSamples,
            }
          : null,
      };
      const replies = await this.ask(selected, (id) => ({
        type: "train",
        id,
        round,
        attempt,
        params: paramsToJSON(params),
        config,
      }));
      const ok: {
        link: ClientLink;
        reply: Extract<ClientReply, { type: "update" }>;
      }[] = [];
      for (const [link, reply] of replies) {
        if (
          reply?.type === "update" &&
          reply.round === round &&
          reply.attempt === attempt
        ) {
          ok.push({ link, reply });
        } else {
          dropped.push(link.name);
          this.log(
            `round ${round}: dropped ${link.name}: ${reply?.type === "error" ? reply.message : "no update"}`,
          );
        }
      }
      const updates: ClientUpdate[] = [];
      for (const { link, reply } of [...ok]) {
        try {
          const update = {
            client: link.name,
            nSamples: reply.nSamples,
            params: paramsFromJSON(reply.params, `${link.name}.params`),
          };
          this.received.push({
            round,
            attempt,
            client: link.name,
            masked: reply.masked,
            params: update.params,
          });
          // a client sending another model is left out, not fatal to the run
          checkSameParams(update, params, "coordinator");
          updates.push(update);
        } catch (err) {
          ok.splice(
            ok.findIndex((x) => x.link === link),
            1,
          );
          dropped.push(link.name);
          this.log(
            `round ${round}: rejected ${link.name}'s update: ${(err as Error).message}`,
          );
        }
      }
      if (ok.length < o.minClients) {
        throw new FederationError(
          `round ${round}: ${ok.length} client(s) answered, fewer than minClients ${o.minClients}`,
        );
      }
      // Masks of a client that dropped out do not cancel: run the round
      // again with the clients that answered (fresh masks per attempt).
      if (o.secure && ok.length < selected.length) {
        selected = ok.map((x) => x.link);
        continue;
      }
      const delta = o.secure
        ? this.unmask(updates)
        : aggregateUpdates(updates).params;
      const noiseStd = this.addNoise(delta, updates);
      return {
        delta,
        clients: updates.map((u) => u.client),
        dropped,
        noiseStd,
      };
    }
  }

  /** Secure aggregation: the same name and shape checks, then the masked sum. */
  private unmask(updates: ClientUpdate[]): NamedParams {
    const used = checkCounts(updates);
    for (const u of used.slice(1))
      checkSameParams(u, used[0].params, used[0].client);
    return unmaskSum(used.map((u) => u.params));
  }

  /** DP noise on the mean update; returns its standard deviation. */
  private addNoise(delta: NamedParams, updates: ClientUpdate[]): number {
    const { dpNoise, clipNorm } = this.options;
    if (dpNoise === 0 || clipNorm === null) return 0;
    const N = updates.reduce((s, u) => s + u.nSamples, 0);
    const maxShare = Math.max(...updates.map((u) => u.nSamples)) / N;
    const sigma = dpNoise * clipNorm * maxShare;
    addGaussianNoise(delta, sigma, this.rng);
    return sigma;
  }

  /** Each client's forest, then their union, evaluated. */
  private async forestRound(links: ClientLink[], config: ModelConfig) {
    const o = this.options;
    const replies = await this.ask(links, (id, k) => ({
      type: "forest",
      id,
      seed: treeSeed(o.seed, k),
      nEstimators: o.nEstimators,
      maxDepth: o.maxDepth,
    }));
    const members = [];
    const dropped: string[] = [];
    for (const [link, reply] of replies) {
      if (reply?.type === "forest")
        members.push({
          client: link.name,
          nSamples: reply.nSamples,
          forest: reply.forest,
        });
      else dropped.push(link.name);
    }
    if (members.length < o.minClients) {
      throw new FederationError(
        `${members.length} client(s) sent a forest, fewer than minClients ${o.minClients}`,
      );
    }
    const forest = new FederatedForest(members);
    const metrics = await this.evaluate(1, links, {
      forest: forest.toJSON(),
      config,
    });
    const record = {
      round: 1,
      clients: members.map((m) => m.client),
      dropped,
      ...metrics,
      noiseStd: 0,
    };
    this.onRound(record);
    return { forest, record };
  }

  /** Pooled accuracy and mean log-loss from every client's own data. */
  private async evaluate(
    round: number,
    links: ClientLink[],
    model: Pick<
      Extract<ServerRequest, { type: "evaluate" }>,
      "params" | "forest" | "config"
    >,
  ) {
    const replies = await this.ask(links, (id) => ({
      type: "evaluate",
      id,
      round,
      ...model,
    }));
    let n = 0;
    let lossSum = 0;
    let correct = 0;
    for (const [link, reply] of replies) {
      if (reply?.type !== "metrics") {
        this.log(`round ${round}: no metrics from ${link.name}`);
        continue;
      }
      n += reply.nSamples;
      lossSum += reply.lossSum;
      correct += reply.correct;
    }
    return {
      accuracy: n > 0 ? correct / n : NaN,
      logLoss: n > 0 ? lossSum / n : NaN,
      nSamples: n,
    };
  }

  /** Sends one request to each link; a failed link gives null. */
  private async ask(
    links: readonly ClientLink[],
    make: (id: number, k: number) => ServerRequest,
  ): Promise<[ClientLink, ClientReply | null][]> {
    const settled = await Promise.allSettled(
      links.map((l, k) => l.request(make(this.nextId++, k))),
    );
    return settled.map((s, k) => {
      if (s.status === "rejected") {
        const why = String((s.reason as Error)?.message ?? s.reason);
        const name = links[k].name;
        // messages that already name the client are logged as they are
        this.log(why.startsWith(name + " ") ? why : `${name}: ${why}`);
      }
      return [links[k], s.status === "fulfilled" ? s.value : null];
    });
  }

  /** max(1, round(fraction * n)) clients drawn without replacement, in name order. */
  private sample(links: ClientLink[]): ClientLink[] {
    const f = this.options.clientFraction;
    if (f >= 1) return links;
    const m = Math.max(1, Math.round(f * links.length));
    const order = this.rng.shuffle(links.map((_, k) => k));
    return order
      .slice(0, m)
      .sort((a, b) => a - b)
      .map((k) => links[k]);
  }
}

function sortLinks(links: readonly ClientLink[]): ClientLink[] {
  return [...links].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
}

/**
 * The global model's frame from the clients' hellos: the union of their
 * classes, their common feature count and, with `scale`, the pooled
 * mean and standard deviation (from per-client sums, so no data moves).
 * @throws RangeError for clients with different feature counts or
 *   fewer than 2 classes in all
 */
export function modelConfig(
  hellos: readonly ClientHello[],
  scale: boolean,
): ModelConfig {
  if (hellos.length === 0)
    throw new RangeError("clients must number at least 1, got 0");
  const d = hellos[0].nFeatures;
  const other = hellos.find((h) => h.nFeatures !== d);
  if (other)
    throw new RangeError(
      `every client must have ${d} features, got one with ${other.nFeatures}`,
    );
  const classes: Label[] = encodeLabels(
    hellos.flatMap((h) => h.classes),
    "classes",
  ).classes;
  if (classes.length < 2) {
    throw new RangeError(
      `the clients' labels must include at least 2 classes, got ${JSON.stringify(classes)}`,
    );
  }
  if (!scale) return { classes, nFeatures: d, scaling: null };
  const n = hellos.reduce((s, h) => s + h.nSamples, 0);
  const mean = new Array<number>(d).fill(0);
  const scaleOut = new Array<number>(d).fill(0);
  for (let j = 0; j < d; j++) {
    const sum = hellos.reduce((s, h) => s + h.stats.sum[j], 0);
    const sumSq = hellos.reduce((s, h) => s + h.stats.sumSq[j], 0);
    mean[j] = sum / n;
    const variance = Math.max(sumSq / n - mean[j] * mean[j], 0);
    scaleOut[j] = variance > 0 ? Math.sqrt(variance) : 1;
  }
  return { classes, nFeatures: d, scaling: { mean, scale: scaleOut } };
}

/**
 * Why a client's data cannot train the model (other features, or a class
 * the model does not know), or null when it fits.
 */
export function misfit(hello: ClientHello, config: ModelConfig): string | null {
  const known = new Set(config.classes);
  const unknown = hello.classes.filter((c) => !known.has(c));
  if (hello.nFeatures !== config.nFeatures) {
    return `${hello.nFeatures} features, the model has ${config.nFeatures}`;
  }
  if (unknown.length > 0) {
    return `classes ${JSON.stringify(unknown)} unknown to the model (${JSON.stringify(config.classes)})`;
  }
  return null;
}

/** Whether a client fits the model; logs why not. */
function fits(
  hello: ClientHello,
  config: ModelConfig,
  log: (line: string) => void,
): boolean {
  const why = misfit(hello, config);
  if (why) log(`a client is left out: ${why}`);
  return why === null;
}

/** The fields of a round that results report (JSON and tables). */
export function roundSummary({
  round,
  accuracy,
  logLoss,
  clients,
  dropped,
  noiseStd,
}: RoundRecord) {
  return { round, accuracy, logLoss, clients, dropped, noiseStd };
}
