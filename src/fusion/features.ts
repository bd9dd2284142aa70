/**
 * Feature sets of the fusion strategies, built from aligned modalities.
 */
import type { Modality } from "../data/dataset.js";
import { hstack, multiply, takeColumns, type Matrix } from "../data/matrix.js";

/** Early fusion: the modalities side by side. */
export function earlyFeatures(modalities: readonly Modality[]): Matrix {
  return hstack(modalities.map((m) => m.X));
}

/**
 * Cross fusion: every modality, then for every pair (a, b) with a before b,
 * the element-wise products of their first k features (fewer if a modality
 * has fewer than k). With three modalities and k = 3 that appends 9 columns,
 * in the pair order (1,2), (1,3), (2,3).
 * @throws RangeError unless k is an integer >= 1
 */
export function crossFeatures(modalities: readonly Modality[], k = 3): Matrix {
  if (!Number.isInteger(k) || k < 1) {
    throw new RangeError(`crossK must be an integer >= 1, got ${k}`);
  }
  const parts: Matrix[] = modalities.map((m) => m.X);
  for (let a = 0; a < modalities.length; a++) {
    for (let b = a + 1; b < modalities.length; b++) {
      const kk = Math.min(k, modalities[a].X.cols, modalities[b].X.cols);
      parts.push(
        multiply(
          takeColumns(modalities[a].X, kk),
          takeColumns(modalities[b].X, kk),
        ),
      );
    }
  }
  return hstack(parts);
}
