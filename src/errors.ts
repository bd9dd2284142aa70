/** Errors with a meaning of their own; plain TypeError and RangeError cover the rest. */

/** A model method that needs a fitted model was called before `fit`. */
export class NotFittedError extends Error {
  override name = "NotFittedError";
  constructor(model: string) {
    super(`this ${model} is not fitted yet: call fit first`);
  }
}

/** Input data that is well typed but unusable (ragged, misaligned, NaN). */
export class DataError extends RangeError {
  override name = "DataError";
}

/**
 * A federated run that could not go on for a reason outside wasmlearn: a
 * coordinator that cannot be reached, clients that do not join in time, a
 * client whose own data is unusable.
 */
export class FederationError extends Error {
  override name = "FederationError";
}
