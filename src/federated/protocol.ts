/**
 * The messages between the coordinator and a client, the same in the
 * worker simulation (postMessage) and over WebSocket (JSON text). Only
 * model parameters, sample counts, class labels, feature sums and metrics
 * travel; never a row of data.
 */
import type { Label } from "../data/dataset.js";
import { describe } from "../data/matrix.js";
import type { RandomForestJSON } from "../models/forest.js";
import type { FederatedForestJSON } from "./forest.js";
import type { NamedParamsJSON } from "./params.js";
import type { MaskPeer } from "./secure.js";

/** The federated algorithms for logistic regression. */
export const ALGORITHMS = ["fedavg", "fedprox"] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

/** What every model request carries: the global model's frame. */
export interface ModelConfig {
  /** every class of every client, sorted (the union of the hellos) */
  classes: Label[];
  nFeatures: number;
  /** federated standardisation, or null to use the features as they are */
  scaling: { mean: number[]; scale: number[] } | null;
}

/** How a client trains locally in one round. */
export interface TrainConfig extends ModelConfig {
  algorithm: Algorithm;
  /** gradient step size */
  lr: number;
  /** full-batch gradient steps on the local objective per round */
  localEpochs: number;
  /** FedProx's proximal strength (0 for FedAvg) */
  mu: number;
  /** L2 strength on the mean log-loss, the same for every client */
  alpha: number;
  /** clip the update to this L2 norm (differential privacy), or null */
  clipNorm: number | null;
  /** secure aggregation: the round's clients and the total of their samples */
  secure: { peers: MaskPeer[]; totalSamples: number } | null;
}

/** Coordinator to client. */
export type ServerMessage =
  | { type: "welcome"; client: string }
  | {
      type: "train";
      id: number;
      round: number;
      attempt: number;
      params: NamedParamsJSON;
      config: TrainConfig;
    }
  | {
      type: "evaluate";
      id: number;
      round: number;
      /** the global logistic model, or */
      params?: NamedParamsJSON;
      /** the global forest */
      forest?: FederatedForestJSON;
      config: ModelConfig;
    }
  | {
      type: "forest";
      id: number;
      seed: number;
      nEstimators: number;
      maxDepth: number | null;
    }
  | { type: "done"; summary: unknown }
  | {
      type: "error";
      message: string;
      /** the coordinator is done with this client (turned away, run failed) */
      fatal?: boolean;
    };

/** A request the coordinator awaits a reply to. */
export type ServerRequest = Extract<ServerMessage, { id: number }>;

/** What a client says about itself when it joins. */
export interface ClientHello {
  type: "hello";
  nSamples: number;
  nFeatures: number;
  /** the labels present in its data, sorted */
  classes: Label[];
  /** per-feature sum and sum of squares, for federated standardisation */
  stats: { sum: number[]; sumSq: number[] };
  /** X25519 public key for secure aggregation masks */
  publicKey: string;
}

/** Client to coordinator. */
export type ClientMessage =
  | ClientHello
  | {
      type: "update";
      id: number;
      round: number;
      attempt: number;
      nSamples: number;
      /** the update w_local - w_global, or its masked weighted form */
      params: NamedParamsJSON;
      masked: boolean;
      /** L2 norm of the update before clipping */
      norm: number;
    }
  | {
      type: "metrics";
      id: number;
      round: number;
      nSamples: number;
      lossSum: number;
      correct: number;
    }
  | {
      type: "forest";
      id: number;
      nSamples: number;
      forest: RandomForestJSON | null;
    }
  | { type: "error"; id: number; message: string };

/** A reply to a {@link ServerRequest}. */
export type ClientReply = Exclude<ClientMessage, ClientHello>;

/** Thrown for a message that does not follow the protocol. */
export class ProtocolError extends TypeError {
  override name = "ProtocolError";
}

const CLIENT_TYPES = ["hello", "update", "metrics", "forest", "error"];

/** Bounds on what a client may claim in its hello. */
const MAX_FEATURES = 100_000;
const MAX_SAMPLES = 2 ** 31 - 1;
const MAX_CLASSES = 1000;

/**
 * Parses and checks the frame of a client's message (its type and the
 * fields the coordinator relies on; parameter arrays are checked where
 * they are used).
 * @throws ProtocolError naming what is wrong
 */
export function parseClientMessage(text: string): ClientMessage {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    throw new ProtocolError(
      `message must be JSON, got ${JSON.stringify(text.slice(0, 40))}`,
    );
  }
  if (typeof msg !== "object" || msg === null || Array.isArray(msg)) {
    throw new ProtocolError(`message must be an object, got ${describe(msg)}`);
  }
  const m = msg as Record<string, unknown>;
  if (typeof m.type !== "string" || !CLIENT_TYPES.includes(m.type)) {
    throw new ProtocolError(
      `message.type must be one of ${CLIENT_TYPES.join(", ")}, got ${describe(m.type)}`,
    );
  }
  const count = (key: string) => {
    if (!Number.isInteger(m[key]) || (m[key] as number) < 0) {
      throw new ProtocolError(
        `${m.type}.${key} must be an integer >= 0, got ${describe(m[key])}`,
      );
    }
  };
  const finite = (key: string) => {
    if (typeof m[key] !== "number" || !Number.isFinite(m[key])) {
      throw new ProtocolError(
        `${m.type}.${key} must be a finite number, got ${describe(m[key])}`,
      );
    }
  };
  if (m.type === "hello") {
    count("nSamples");
    count("nFeatures");
    const nFeatures = m.nFeatures as number;
    if (
      nFeatures < 1 ||
      nFeatures > MAX_FEATURES ||
      (m.nSamples as number) > MAX_SAMPLES
    ) {
      throw new ProtocolError(
        `hello must have 1 to ${MAX_FEATURES} features and at most ${MAX_SAMPLES} samples`,
      );
    }
    const classes = m.classes;
    const kinds = Array.isArray(classes)
      ? new Set(classes.map((c) => typeof c))
      : null;
    if (
      !Array.isArray(classes) ||
      classes.length === 0 ||
      classes.length > MAX_CLASSES ||
      kinds!.size !== 1 ||
      !(kinds!.has("string") || kinds!.has("number")) ||
      classes.some((c) => typeof c === "number" && !Number.isFinite(c))
    ) {
      throw new ProtocolError(
        `hello.classes must be 1 to ${MAX_CLASSES} labels, all numbers or all strings`,
      );
    }
    if (typeof m.publicKey !== "string")
      throw new ProtocolError("hello.publicKey must be a string");
    const stats = m.stats as { sum?: unknown; sumSq?: unknown } | undefined;
    const finiteArray = (a: unknown) =>
      Array.isArray(a) &&
      a.length === nFeatures &&
      a.every((v) => typeof v === "number" && Number.isFinite(v));
    if (!stats || !finiteArray(stats.sum) || !finiteArray(stats.sumSq)) {
      throw new ProtocolError(
        `hello.stats must hold sum and sumSq arrays of ${nFeatures} finite numbers`,
      );
    }
    return m as unknown as ClientMessage;
  }
  count("id");
  if (m.type === "update") {
    count("round");
    count("attempt");
    count("nSamples");
    finite("norm");
    if (typeof m.params !== "object" || m.params === null) {
      throw new ProtocolError(
        "update.params must be an object of named arrays",
      );
    }
  } else if (m.type === "metrics") {
    count("round");
    count("nSamples");
    count("correct");
    finite("lossSum");
    // sums over the client's samples: at most one hit each, losses >= 0
    if ((m.correct as number) > (m.nSamples as number)) {
      throw new ProtocolError(
        `metrics.correct must be at most nSamples (${m.nSamples as number}), got ${m.correct as number}`,
      );
    }
    if ((m.lossSum as number) < 0) {
      throw new ProtocolError(
        `metrics.lossSum must be >= 0, got ${m.lossSum as number}`,
      );
    }
  } else if (m.type === "forest") {
    count("nSamples");
  } else if (typeof m.message !== "string") {
    throw new ProtocolError("error.message must be a string");
  }
  return m as unknown as ClientMessage;
}
