/**
 * A federated client's side of every round: it holds its data, trains
 * the global model locally and answers with an update, evaluates the
 * global model on its data, grows its forest. Transport-free: the worker
 * entry (worker.ts), the network client (client.ts) and in-process
 * simulations all call {@link LocalClient.handle}.
 */
import {
  getBackend,
  type BackendName,
  type LogisticProblem,
} from "../backend.js";
import type { Label } from "../data/dataset.js";
import { matrix, type Matrix } from "../data/matrix.js";
import { encodeLabels } from "../data/labels.js";
import { DataError } from "../errors.js";
import { RandomForestClassifier } from "../models/forest.js";
import type { ClientData } from "./data.js";
import { FederatedForest } from "./forest.js";
import { clipUpdate } from "./privacy.js";
import {
  flatLogistic,
  logisticParams,
  paramsFromJSON,
  paramsToJSON,
  type NamedParams,
} from "./params.js";
import type {
  ClientHello,
  ClientReply,
  ModelConfig,
  ServerRequest,
  TrainConfig,
} from "./protocol.js";
import { maskKeys, maskUpdate, type MaskKeys } from "./secure.js";

/** Labels as global class indices, and the model's row count. */
interface Encoded {
  y: Float64Array;
  nRows: number;
}

/**
 * One client. Its data never leaves it: replies carry parameters,
 * counts, sums and metrics only.
 */
export class LocalClient {
  /** the X25519 key pair for secure aggregation masks */
  readonly keys: MaskKeys = maskKeys();
  private readonly X: Matrix;
  private readonly y: Label[];
  private scaled: { key: string; X: Matrix } | null = null;
  private problem: { key: string; problem: LogisticProblem } | null = null;

  /**
   * @param name how the coordinator knows this client (set from "welcome")
   * @throws DataError when X and y disagree in length
   */
  constructor(
    data: ClientData,
    readonly backend: BackendName = "wasm",
    public name = "client",
  ) {
    if (data.X.rows !== data.y.length) {
      throw new DataError(
        `y must have one label per row of X (${data.X.rows}), got ${data.y.length}`,
      );
    }
    this.X = data.X;
    this.y = data.y;
  }

  /** What the client tells the coordinator when it joins. */
  hello(): ClientHello {
    const { rows: n, cols: d, data } = this.X;
    const sum = new Array<number>(d).fill(0);
    const sumSq = new Array<number>(d).fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        const v = data[i * d + j];
        sum[j] += v;
        sumSq[j] += v * v;
      }
    }
    const classes = n > 0 ? encodeLabels(this.y).classes : [];
    return {
      type: "hello",
      nSamples: n,
      nFeatures: d,
      classes,
      stats: { sum, sumSq },
      publicKey: this.keys.publicKey,
    };
  }

  /** Answers one coordinator request; failures become an "error" reply. */
  handle(msg: ServerRequest): ClientReply {
    try {
      if (msg.type === "train") return this.train(msg);
      if (msg.type === "evaluate") return this.evaluate(msg);
      return this.forest(msg);
    } catch (err) {
      return { type: "error", id: msg.id, message: (err as Error).message };
    }
  }

  /** Frees the resident training data. */
  dispose(): void {
    this.problem?.problem.dispose();
    this.problem = null;
  }

  /**
   * FedAvg / FedProx local training: `localEpochs` full-batch gradient
   * steps on this client's objective, mean log-loss + alpha/2 ||W||^2
   * (+ mu/2 ||w - w_global||^2 for FedProx), from the global weights.
   */
  private train(msg: Extract<ServerRequest, { type: "train" }>): ClientReply {
    const cfg = msg.config;
    const n = this.X.rows;
    const { nRows } = this.encode(cfg);
    const wGlobal = flatLogistic(
      paramsFromJSON(msg.params),
      nRows,
      cfg.nFeatures,
    );
    const w = wGlobal.slice();
    if (n > 0) {
      const problem = this.objective(cfg);
      const grad = new Float64Array(w.length);
      for (let e = 0; e < cfg.localEpochs; e++) {
        problem.lossGrad(w, grad);
        for (let p = 0; p < w.length; p++) {
          w[p] -= cfg.lr * (grad[p] + cfg.mu * (w[p] - wGlobal[p]));
        }
      }
    }

    for (let p = 0; p < w.length; p++) w[p] -= wGlobal[p];
    const update = logisticParams(w, nRows, cfg.nFeatures);
    const norm = cfg.clipNorm === null ? 0 : clipUpdate(update, cfg.clipNorm);
    const reply = {
      type: "update" as const,
      id: msg.id,
      round: msg.round,
      attempt: msg.attempt,
      nSamples: n,
      norm,
    };
    if (!cfg.secure)
      return { ...reply, params: paramsToJSON(update), masked: false };

    const weight = n / cfg.secure.totalSamples;
    for (const t of Object.values(update)) {
      for (let k = 0; k < t.values.length; k++) t.values[k] *= weight;
    }
    const masked = maskUpdate(
      this.name,
      this.keys,
      cfg.secure.peers,
      update,
      msg.round,
      msg.attempt,
    );
    return { ...reply, params: paramsToJSON(masked), masked: true };
  }

  /** Sum of log-losses and count of correct predictions of the global model here. */
  private evaluate(
    msg: Extract<ServerRequest, { type: "evaluate" }>,
  ): ClientReply {
    const cfg = msg.config;
    const n = this.X.rows;
    const reply = {
      type: "metrics" as const,
      id: msg.id,
      round: msg.round,
      nSamples: n,
    };
    if (n === 0) return { ...reply, lossSum: 0, correct: 0 };
    if (msg.forest) {
      const proba = FederatedForest.fromJSON(msg.forest).predictProba(this.X);
      return {
        ...reply,
        ...probaLossAndHits(proba, msg.forest.classes, this.y),
      };
    }
    const { y, nRows } = this.encode(cfg);
    const w = flatLogistic(
      paramsFromJSON(msg.params ?? {}),
      nRows,
      cfg.nFeatures,
    );
    const z = getBackend(this.backend).logisticDecision(
      this.features(cfg),
      nRows,
      w,
    );
    const { lossSum, correct } = logLossAndHits(z, y, nRows);
    return { ...reply, lossSum, correct };
  }

  /** A forest grown on this client's data alone. */
  private forest(msg: Extract<ServerRequest, { type: "forest" }>): ClientReply {
    const n = this.X.rows;
    if (n === 0)
      return { type: "forest", id: msg.id, nSamples: 0, forest: null };
    const model = new RandomForestClassifier({
      nEstimators: msg.nEstimators,
      maxDepth: msg.maxDepth,
      randomState: msg.seed,
      backend: this.backend,
    }).fit(this.X, this.y);
    return { type: "forest", id: msg.id, nSamples: n, forest: model.toJSON() };
  }

  /** The labels as indices into the global classes. */
  private encode(cfg: ModelConfig): Encoded {
    const index = new Map<Label, number>(cfg.classes.map((c, k) => [c, k]));
    const y = new Float64Array(this.y.length);
    for (let i = 0; i < y.length; i++) {
      const k = index.get(this.y[i]);
      if (k === undefined) {
        throw new DataError(
          `label ${JSON.stringify(this.y[i])} is not among the global classes`,
        );
      }
      y[i] = k;
    }
    if (this.X.cols !== cfg.nFeatures) {
      throw new DataError(
        `X must have ${cfg.nFeatures} features as the other clients, got ${this.X.cols}`,
      );
    }
    return { y, nRows: cfg.classes.length === 2 ? 1 : cfg.classes.length };
  }

  /** X standardised with the federation's statistics (cached), or X itself. */
  private features(cfg: ModelConfig): Matrix {
    if (!cfg.scaling) return this.X;
    const key = JSON.stringify(cfg.scaling);
    if (this.scaled?.key === key) return this.scaled.X;
    const { mean, scale } = cfg.scaling;
    const { rows, cols, data } = this.X;
    const out = new Float64Array(data.length);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++)
        out[i * cols + j] = (data[i * cols + j] - mean[j]) / scale[j];
    }
    this.scaled = { key, X: matrix(rows, cols, out) };
    return this.scaled.X;
  }

  /** The resident local objective, rebuilt only when its frame changes. */
  private objective(cfg: TrainConfig): LogisticProblem {
    const key = JSON.stringify([cfg.classes, cfg.alpha, cfg.scaling]);
    if (this.problem?.key === key) return this.problem.problem;
    this.dispose();
    const { y, nRows } = this.encode(cfg);
    const problem = getBackend(this.backend).logisticProblem(
      this.features(cfg),
      y,
      nRows,
      cfg.alpha,
    );
    this.problem = { key, problem };
    return problem;
  }
}

/**
 * Sum over samples of the log-loss (natural log, no clipping) of the
 * decision values z (nSamples x nRows), and the number of samples whose
 * most probable class is their label.
 */
export function logLossAndHits(
  z: Float64Array,
  y: Float64Array,
  nRows: number,
): { lossSum: number; correct: number } {
  let lossSum = 0;
  let correct = 0;
  for (let i = 0; i < y.length; i++) {
    if (nRows === 1) {
      const zi = z[i];
      // -log sigmoid(+-z) = softplus(-+z), computed without overflow
      const s = y[i] === 1 ? -zi : zi;
      lossSum += Math.max(s, 0) + Math.log1p(Math.exp(-Math.abs(s)));
      if ((zi > 0 ? 1 : 0) === y[i]) correct++;
      continue;
    }
    let best = 0;
    let zMax = -Infinity;
    for (let c = 0; c < nRows; c++) {
      const v = z[i * nRows + c];
      if (v > zMax) [zMax, best] = [v, c];
    }
    let sum = 0;
    for (let c = 0; c < nRows; c++) sum += Math.exp(z[i * nRows + c] - zMax);
    lossSum += zMax + Math.log(sum) - z[i * nRows + y[i]];
    if (best === y[i]) correct++;
  }
  return { lossSum, correct };
}

/** Probability of a label clipped to [1e-15, 1 - 1e-15], as scikit-learn's log_loss. */
const EPS = 1e-15;

/**
 * Sum of log-losses and hits from class probabilities (nSamples x
 * nClasses, columns in the order of `classes`) against labels.
 */
export function probaLossAndHits(
  proba: Matrix,
  classes: readonly Label[],
  y: readonly Label[],
): { lossSum: number; correct: number } {
  const index = new Map(classes.map((c, k) => [c, k]));
  let lossSum = 0;
  let correct = 0;
  for (let i = 0; i < y.length; i++) {
    const row = proba.data.subarray(i * proba.cols, (i + 1) * proba.cols);
    const k = index.get(y[i]);
    const p = k === undefined ? 0 : row[k];
    lossSum -= Math.log(Math.min(Math.max(p, EPS), 1 - EPS));
    let best = 0;
    for (let c = 1; c < row.length; c++) if (row[c] > row[best]) best = c;
    if (best === k) correct++;
  }
  return { lossSum, correct };
}
