/**
 * The federated forest: every client grows a random forest on its own
 * data; the global model is the union of their trees, each client's
 * forest weighted by its share of the samples, n_k / N. Its class
 * probabilities are sum_k (n_k / N) P_k(x), where P_k is client k's
 * forest (the mean over its trees) with its classes placed among the
 * union of all clients' classes (0 for a class a client never saw).
 */
import type { Label } from "../data/dataset.js";
import {
  matrix,
  toMatrix,
  type Matrix,
  type MatrixLike,
} from "../data/matrix.js";
import { encodeLabels } from "../data/labels.js";
import { accuracy } from "../models/logistic.js";
import {
  RandomForestClassifier,
  type RandomForestJSON,
} from "../models/forest.js";

/** The JSON form of a {@link FederatedForest}. */
export interface FederatedForestJSON {
  type: "FederatedForest";
  classes: Label[];
  members: { client: string; nSamples: number; forest: RandomForestJSON }[];
}

/** One client's forest and its weight. */
interface Member {
  client: string;
  nSamples: number;
  forest: RandomForestClassifier;
  /** for each of the member's classes, its column among the global classes */
  columns: number[];
}

/** The union of the clients' forests, weighted by their sample counts. */
export class FederatedForest {
  readonly classes: Label[];
  private readonly members: Member[];

  /**
   * @param members each client's fitted forest (toJSON form) and samples;
   *   clients with 0 samples or no forest are left out
   * @throws RangeError when no client has samples
   */
  constructor(
    members: readonly {
      client: string;
      nSamples: number;
      forest: RandomForestJSON | null;
    }[],
  ) {
    const used = members.filter((m) => m.nSamples > 0 && m.forest !== null);
    if (used.length === 0) {
      throw new RangeError(
        "members must include a client with samples, got none",
      );
    }
    const all = used.flatMap((m) => (m.forest as RandomForestJSON).classes);
    this.classes = encodeLabels(all, "classes").classes;
    const index = new Map(this.classes.map((c, k) => [c, k]));
    this.members = used.map((m) => {
      const forest = RandomForestClassifier.fromJSON(
        m.forest as RandomForestJSON,
      );
      return {
        client: m.client,
        nSamples: m.nSamples,
        forest,
        columns: forest.classes.map((c) => index.get(c) as number),
      };
    });
  }

  /** Total trees over all clients. */
  get nTrees(): number {
    return this.members.reduce((s, m) => s + m.forest.trees.length, 0);
  }

  /** Class probabilities, nSamples x nClasses in the order of `classes`. */
  predictProba(X: MatrixLike): Matrix {
    const Xm = toMatrix(X, "X");
    const K = this.classes.length;
    const out = new Float64Array(Xm.rows * K);
    const N = this.members.reduce((s, m) => s + m.nSamples, 0);
    for (const m of this.members) {
      const p = m.forest.predictProba(Xm);
      const w = m.nSamples / N;
      for (let i = 0; i < Xm.rows; i++) {
        for (let c = 0; c < m.columns.length; c++) {
          out[i * K + m.columns[c]] += w * p.data[i * p.cols + c];
        }
      }
    }
    return matrix(Xm.rows, K, out);
  }

  /** The most probable class of each row (ties to the first class). */
  predict(X: MatrixLike): Label[] {
    const p = this.predictProba(X);
    return Array.from({ length: p.rows }, (_, i) => {
      let best = 0;
      for (let c = 1; c < p.cols; c++)
        if (p.data[i * p.cols + c] > p.data[i * p.cols + best]) best = c;
      return this.classes[best];
    });
  }

  /** Mean accuracy of `predict(X)` against `y`. */
  score(X: MatrixLike, y: readonly Label[]): number {
    return accuracy([...y], this.predict(X));
  }

  toJSON(): FederatedForestJSON {
    return {
      type: "FederatedForest",
      classes: [...this.classes],
      members: this.members.map((m) => ({
        client: m.client,
        nSamples: m.nSamples,
        forest: m.forest.toJSON(),
      })),
    };
  }

  /** @throws TypeError or RangeError for a malformed object */
  static fromJSON(json: FederatedForestJSON): FederatedForest {
    if (
      !json ||
      json.type !== "FederatedForest" ||
      !Array.isArray(json.members)
    ) {
      throw new TypeError("json must come from FederatedForest.toJSON()");
    }
    return new FederatedForest(json.members);
  }
}
