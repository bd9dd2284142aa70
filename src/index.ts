/**
 * wasmlearn's public API in Node: everything in `browser.ts` (models, data
 * helpers, fusion, diffusion), plus what needs Node: reading files (the
 * shipped data sets, your CSV files), federated learning (worker threads,
 * node:crypto, WebSocket) and the ASCII charts. In Node the Wasm module
 * loads on first use; `await ready()` loads it ahead of time.
 */
export * from "./browser.js";

// Node only: these read files (the shipped data sets, your CSV files).
export { loadMfeat, loadWdbc } from "./data/mfeat.js";
export { readCsvFile } from "./data/files.js";
export { loadModalities } from "./data/modalities.js";

// Federated learning (Node only: worker threads, node:crypto, ws).
export {
  aggregateUpdates,
  EmptyAggregateError,
} from "./federated/aggregate.js";
export type { Aggregate, ClientUpdate } from "./federated/aggregate.js";
export type { NamedParams, Tensor } from "./federated/params.js";
export { Coordinator } from "./federated/coordinator.js";
export type {
  ClientLink,
  FederatedOptions,
  FederatedRun,
  RoundRecord,
} from "./federated/coordinator.js";
export { FederatedForest } from "./federated/forest.js";
export { courseClientData, partitionRows } from "./federated/data.js";
export type { ClientDataSpec, Partition } from "./federated/data.js";
export { simulate } from "./federated/simulate.js";
export type {
  SimulationOptions,
  SimulationResult,
} from "./federated/simulate.js";
export { runFederated } from "./federated/experiment.js";
export type {
  FederatedExperimentOptions,
  FederatedExperimentResult,
} from "./federated/experiment.js";
export { FederatedServer } from "./federated/server.js";
export type { ServeOptions } from "./federated/server.js";
export { joinFederation } from "./federated/client.js";
export type { JoinOptions, JoinResult } from "./federated/client.js";

// ASCII charts for terminals (asciichart is a CommonJS package).
export {
  barChart,
  groupedBarChart,
  lineChart,
  formatTable,
} from "./charts/index.js";

// AutoML runs: searches in worker threads, journals on disk.
export { runSearch } from "./automl/runner.js";
export type {
  RunOptions,
  SearchData,
  SearchRun,
  TrialStore,
} from "./automl/runner.js";
export { runAutoml, courseData, dataFingerprint } from "./automl/experiment.js";
export type {
  AutomlOptions,
  AutomlResult,
  AutomlTrial,
} from "./automl/experiment.js";
export { compareSearches } from "./automl/compare.js";
export type {
  CompareOptions,
  CompareResult,
  CompareSeed,
} from "./automl/compare.js";
export { openJournal } from "./automl/journal.js";
export { destroyTrialPool } from "./automl/workers.js";
