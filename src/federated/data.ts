/**
 * Each client's data, made where the client runs (inside its worker
 * thread or its process) from a small description: the course's
 * synthetic non-IID clients, or one share of a CSV file.
 */
import type { Label } from "../data/dataset.js";
import { readCsvFile } from "../data/files.js";
import { matrix, takeRows, type Matrix } from "../data/matrix.js";
import { encodeLabels } from "../data/labels.js";
import { DataError } from "../errors.js";
import { Rng } from "../kernels/rng.js";
import { treeSeed } from "../models/forest.js";

/** Mixed into the seed for held-out draws (an arbitrary odd constant). */
const HELD_OUT_SALT = 0x5bd1e995;

/** The course's label thresholds, client by client (repeated beyond 3). */
export const COURSE_THRESHOLDS = [0, 1, 0.5] as const;

/** How rows of a shared file are dealt to clients. */
export const PARTITIONS = ["iid", "label-skew"] as const;
export type Partition = (typeof PARTITIONS)[number];

/** A description of one client's data; plain data, so it can be posted. */
export type ClientDataSpec =
  | {
      kind: "course";
      /** client index k: threshold COURSE_THRESHOLDS[k % 3] */
      client: number;
      seed: number;
      nSamples: number;
      nFeatures: number;
    }
  | {
      kind: "csv";
      path: string;
      label: string;
      /** take one share of the rows; absent: every row */
      share?: {
        partition: Partition;
        client: number;
        nClients: number;
        seed: number;
      };
    };

/** A client's samples. */
export interface ClientData {
  X: Matrix;
  y: Label[];
}

/**
 * The course's client k: X standard normal (nSamples x nFeatures), y = 1
 * when x0 + x1 + 0.5 noise > threshold_k. Drawn from its own stream,
 * Rng(treeSeed(seed, k)), so a client can be made alone. (The course
 * draws all clients from numpy's global stream; the numbers differ, the
 * distribution is the same.) `draw` 1 gives a second, independent sample
 * of the same client's distribution: held-out data for evaluation.
 */
export function courseClientData(
  client: number,
  seed: number,
  nSamples = 200,
  nFeatures = 10,
  draw: 0 | 1 = 0,
): ClientData {
  const stream = draw === 0 ? seed : (seed ^ HELD_OUT_SALT) >>> 0;
  const rng = new Rng(treeSeed(stream, client));
  const X = rng.fillNormal(nSamples * nFeatures);
  const noise = rng.fillNormal(nSamples);
  const threshold = COURSE_THRESHOLDS[client % COURSE_THRESHOLDS.length];
  const y: Label[] = new Array(nSamples);
  for (let i = 0; i < nSamples; i++) {
    const z = X[i * nFeatures] + X[i * nFeatures + 1] + 0.5 * noise[i];
    y[i] = z > threshold ? 1 : 0;
  }
  return { X: matrix(nSamples, nFeatures, X), y };
}

/**
 * The rows of each of `nClients` clients. "iid" shuffles and deals equal
 * shares; "label-skew" shuffles, sorts by class (stable) and deals
 * contiguous shares, so most clients see one or two classes.
 * @throws RangeError when there are fewer rows than clients
 */
export function partitionRows(
  y: readonly Label[],
  partition: Partition,
  nClients: number,
  seed: number,
): Int32Array[] {
  if (y.length < nClients) {
    throw new RangeError(
      `nClients must be at most the ${y.length} rows, got ${nClients}`,
    );
  }
  const order = new Rng(seed).shuffle(Int32Array.from(y, (_, i) => i));
  if (partition === "label-skew") {
    const { indices } = encodeLabels([...y]);
    const sorted = Array.from(order).sort((a, b) => indices[a] - indices[b]);
    order.set(sorted);
  }
  return Array.from({ length: nClients }, (_, k) => {
    const start = Math.floor((k * y.length) / nClients);
    const end = Math.floor(((k + 1) * y.length) / nClients);
    return order.slice(start, end);
  });
}

/**
 * Makes or loads the data a spec describes.
 * @throws DataError, RangeError or TypeError for unusable files or specs
 */
export function loadClientData(spec: ClientDataSpec): ClientData {
  if (spec.kind === "course") {
    return courseClientData(
      spec.client,
      spec.seed,
      spec.nSamples,
      spec.nFeatures,
    );
  }
  const table = readCsvFile(spec.path, { label: spec.label });
  const y = table.y as Label[];
  if (!spec.share) return { X: table.X, y };
  const { partition, client, nClients, seed } = spec.share;
  const rows = partitionRows(y, partition, nClients, seed)[client];
  if (!rows)
    throw new DataError(
      `client must be below nClients ${nClients}, got ${client}`,
    );
  return { X: takeRows(table.X, rows), y: Array.from(rows, (i) => y[i]) };
}
