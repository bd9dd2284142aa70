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

export function scenario(wl: Api, seed: number): Promise<ScenarioResult>;

export function predictFromJSON(
  wl: Api,
  saved: { logistic: string; forest: string },
  X: number[][],
): { logistic: Predictions; forest: Predictions };
