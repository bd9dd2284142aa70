// Types of scenario.js, for the tests that import it from TypeScript.
import type * as Wasmlearn from "../../../src/browser.js";

type Api = typeof Wasmlearn;

export interface Outcome {
  proba: number[];
  predictions: (number | string)[];
  accuracy: number;
}

export interface ScenarioResult {
  logistic: Outcome & { nIter: number };
  multinomial: Outcome;
  forest: Outcome;
  entropyForest: Outcome;
  fusion: {
    majority: number;
    results: {
      method: string;
      model: string;
      accuracy: number;
      nFeatures: number;
      converged: boolean;
    }[];
  };
}

export interface Predictions {
  proba: number[];
  predictions: (number | string)[];
}

export interface PlainMatrix {
  rows: number;
  cols: number;
  data: number[];
}

export interface Datasets {
  binary: { X: PlainMatrix; y: number[] };
  multi: { X: PlainMatrix; y: number[] };
  multimodal: {
    name: string;
    modalities: { name: string; X: PlainMatrix }[];
    y: number[];
  };
}

export function makeDatasets(wl: Api, seed: number): Datasets;

export function scenario(
  wl: Api,
  seed: number,
  datasets: Datasets,
): Promise<ScenarioResult>;

export function predictFromJSON(
  wl: Api,
  saved: { logistic: string; forest: string },
  X: number[][],
): { logistic: Predictions; forest: Predictions };
