/**
 * FedAvg's aggregation (McMahan et al., 2017, Algorithm 1): the mean of
 * the clients' parameters (or updates) weighted by their sample counts,
 * matched by parameter name and shape. Used unchanged by the worker
 * simulation and by the WebSocket coordinator.
 */
import { DataError } from "../errors.js";
import { sameShape, shapeSize, type NamedParams } from "./params.js";

/** What one client sends for aggregation. */
export interface ClientUpdate {
  /** the client's name, for error messages and logs */
  client: string;
  /** its training samples: the weight of its update; 0 skips it */
  nSamples: number;
  params: NamedParams;
}

/** The weighted mean and who contributed to it. */
export interface Aggregate {
  params: NamedParams;
  /** total samples of the contributing clients */
  nSamples: number;
  /** clients averaged, in the order given */
  clients: string[];
  /** clients skipped for having no samples */
  skipped: string[];
}

/** Thrown when no client with samples remains to aggregate. */
export class EmptyAggregateError extends RangeError {
  override name = "EmptyAggregateError";
}

/**
 * sum_k n_k p_k / sum_k n_k over the clients with n_k > 0, per parameter.
 * The first such client fixes the names and shapes.
 * @throws TypeError or RangeError for a sample count that is not an
 *   integer >= 0, or a client whose parameter names or shapes differ from
 *   the first's (the message names the client and the parameter)
 * @throws EmptyAggregateError when every client has 0 samples (or none is given)
 */
export function aggregateUpdates(updates: readonly ClientUpdate[]): Aggregate {
  const used = checkCounts(updates);
  const reference = used[0].params;
  for (const u of used.slice(1)) checkSameParams(u, reference, used[0].client);

  const N = used.reduce((s, u) => s + u.nSamples, 0);
  const params: NamedParams = {};
  for (const [name, t] of Object.entries(reference)) {
    const sum = new Float64Array(t.values.length);
    for (const u of used) {
      const v = u.params[name].values;
      for (let k = 0; k < sum.length; k++) sum[k] += u.nSamples * v[k];
    }
    for (let k = 0; k < sum.length; k++) sum[k] /= N;
    params[name] = { shape: [...t.shape], values: sum };
  }
  return {
    params,
    nSamples: N,
    clients: used.map((u) => u.client),
    skipped: updates.filter((u) => u.nSamples === 0).map((u) => u.client),
  };
}

/** The updates with samples; throws for bad counts or none left. */
export function checkCounts(updates: readonly ClientUpdate[]): ClientUpdate[] {
  for (const u of updates) {
    if (!Number.isInteger(u.nSamples) || u.nSamples < 0) {
      throw new RangeError(
        `client ${JSON.stringify(u.client)}: nSamples must be an integer >= 0, got ${u.nSamples}`,
      );
    }
  }
  const used = updates.filter((u) => u.nSamples > 0);
  if (used.length === 0) {
    throw new EmptyAggregateError(
      `updates must include a client with samples, got ${updates.length} client(s), all empty`,
    );
  }
  return used;
}

/**
 * @throws RangeError naming the client and parameter that is missing,
 *   extra or of another shape than the reference client's
 */
export function checkSameParams(
  u: ClientUpdate,
  reference: NamedParams,
  referenceClient: string,
): void {
  const who = `client ${JSON.stringify(u.client)}`;
  for (const [name, t] of Object.entries(reference)) {
    const mine = u.params[name];
    if (!mine) {
      throw new DataError(
        `${who} is missing parameter ${JSON.stringify(name)}`,
      );
    }
    if (
      !sameShape(mine.shape, t.shape) ||
      mine.values.length !== shapeSize(t.shape)
    ) {
      throw new RangeError(
        `${who}: parameter ${JSON.stringify(name)} must have shape [${t.shape}] ` +
          `as client ${JSON.stringify(referenceClient)}'s, got [${mine.shape}]`,
      );
    }
  }
  for (const name of Object.keys(u.params)) {
    if (!(name in reference)) {
      throw new RangeError(
        `${who} has parameter ${JSON.stringify(name)}, which client ${JSON.stringify(referenceClient)} lacks`,
      );
    }
  }
}
