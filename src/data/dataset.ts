/** Multi-view data sets: several feature matrices (modalities) over the same rows. */
import type { Matrix } from "./matrix.js";

/** A class label: numbers and strings are both fine, not mixed. */
export type Label = number | string;

/** One view of the samples, e.g. image features or text features. */
export interface Modality {
  readonly name: string;
  /** nSamples x nFeatures of this modality */
  readonly X: Matrix;
}

/** Aligned modalities: row i of every modality is sample i, labelled y[i]. */
export interface MultiViewDataset {
  readonly name: string;
  readonly modalities: readonly Modality[];
  readonly y: readonly Label[];
}
