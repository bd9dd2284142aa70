/**
 * wasmlearn's public API. Models and experiments run their kernels in
 * WebAssembly by default (`backend: "wasm"`) or in plain TypeScript
 * (`backend: "ts"`). In Node the Wasm module loads on first use; in a
 * browser, `await ready()` first.
 */
export { ready, WasmLoadError } from "./wasm/load.js";
export { WasmMemoryError } from "./wasm/memory.js";
export { getBackend, BACKENDS } from "./backend.js";
export type {
  Backend,
  BackendName,
  FlatForest,
  FlatTree,
  GrownTree,
  LogisticProblem,
  TreeBuilder,
  TreeGrowOptions,
} from "./backend.js";
export { DataError, NotFittedError } from "./errors.js";

export { LogisticRegression, accuracy } from "./models/logistic.js";
export type {
  LogisticRegressionOptions,
  LogisticRegressionJSON,
} from "./models/logistic.js";
export { DecisionTreeClassifier } from "./models/tree.js";
export type {
  Criterion,
  DecisionTreeJSON,
  DecisionTreeOptions,
  FlatTreeJSON,
  MaxFeatures,
} from "./models/tree.js";
export {
  RandomForestClassifier,
  checkForestMemory,
  destroyWorkerPool,
  forestFitBytes,
  treeSeed,
} from "./models/forest.js";
export type { RandomForestJSON, RandomForestOptions } from "./models/forest.js";
export { makeClassifier, MODEL_NAMES } from "./models/classifier.js";
export type {
  Classifier,
  ModelName,
  ModelSettings,
} from "./models/classifier.js";
export { minimizeLbfgs } from "./optim/lbfgs.js";
export type { LbfgsOptions, LbfgsResult, Objective } from "./optim/lbfgs.js";

export { matrix, toMatrix, hstack, takeRows } from "./data/matrix.js";
export type { Matrix, MatrixLike } from "./data/matrix.js";
export type { Label, Modality, MultiViewDataset } from "./data/dataset.js";
export { parseCsv, alignModalities } from "./data/csv.js";
export { encodeLabels } from "./data/labels.js";
export { trainTestSplit } from "./data/split.js";
export { StandardScaler } from "./data/scale.js";
export { makeMultimodal } from "./data/synthetic.js";
export { makeClassification } from "./data/make-classification.js";
export type {
  ClassificationData,
  MakeClassificationOptions,
} from "./data/make-classification.js";
export { Rng } from "./kernels/rng.js";

export { runFusion } from "./fusion/experiment.js";
export type {
  FusionOptions,
  FusionResult,
  FusionRow,
} from "./fusion/experiment.js";
export { earlyFeatures, crossFeatures } from "./fusion/features.js";

// Node only: these read files (the shipped data sets, your CSV files).
export { loadMfeat, loadWdbc, MFEAT_VIEWS } from "./data/mfeat.js";
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

export {
  barChart,
  groupedBarChart,
  lineChart,
  formatTable,
} from "./charts/index.js";

export {
  makeSchedule,
  scheduleFromBetas,
  inferenceTimesteps,
  SCHEDULE_KINDS,
} from "./diffusion/schedule.js";
export type {
  Schedule,
  ScheduleKind,
  ScheduleOptions,
} from "./diffusion/schedule.js";
export { reversePlan, SAMPLERS, VARIANCES } from "./diffusion/samplers.js";
export type {
  ReversePlanOptions,
  ReverseStep,
  SamplerName,
  VarianceKind,
} from "./diffusion/samplers.js";
export type {
  DiffusionSession,
  DiffusionSessionOptions,
  NoiseSource,
  ReverseOptions,
} from "./diffusion/session.js";
export { NoisePredictor, timeEmbedding } from "./diffusion/model.js";
export type {
  NoisePredictorJSON,
  NoisePredictorOptions,
  SampleOptions,
} from "./diffusion/model.js";
export { trainNoisePredictor, denoisingLoss } from "./diffusion/train.js";
export type { TrainOptions, TrainResult } from "./diffusion/train.js";
export {
  courseSignal,
  makeSines,
  parseSignalsCsv,
} from "./diffusion/signals.js";
export { sineFit, meanSineResidual } from "./diffusion/quality.js";
export { runCourseDemo } from "./diffusion/demo.js";
export type { CourseDemoOptions, CourseDemoResult } from "./diffusion/demo.js";
