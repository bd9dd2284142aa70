/**
 * wasmlearn's public API for every JavaScript runtime: Node, browsers and
 * Web Workers. Nothing here imports a Node built-in at load time, so a
 * browser (or a bundler such as Vite) can load it as is; `package.json`
 * maps the package's browser condition to this file. Models and
 * experiments run their kernels in WebAssembly by default
 * (`backend: "wasm"`) or in plain TypeScript (`backend: "ts"`). In a
 * browser, `await ready()` before the first fit.
 */
export { ready, WasmLoadError, WASM_BUILDS } from "./wasm/load.js";
export type { ReadyOptions, WasmBuild, WasmSource } from "./wasm/load.js";
export { capabilities } from "./wasm/capabilities.js";
export type { Capabilities } from "./wasm/capabilities.js";
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
export { fetchCsv, fetchMfeat } from "./data/fetch.js";
export type { FetchMfeatOptions } from "./data/fetch.js";
export { MFEAT_VIEWS, MFEAT_DEFAULT_VIEWS } from "./data/mfeat-views.js";
export type { MfeatView } from "./data/mfeat-views.js";
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

export { runFusion, runFusionAsync } from "./fusion/experiment.js";
export type {
  FusionOptions,
  FusionResult,
  FusionRow,
} from "./fusion/experiment.js";
export { earlyFeatures, crossFeatures } from "./fusion/features.js";

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

// AutoML building blocks that run anywhere: spaces, searches, folds.
export {
  parseSpace,
  gridPoints,
  sampleParams,
  spaceSize,
  paramsKey,
} from "./automl/space.js";
export type {
  CategoricalDimension,
  Dimension,
  ParamValue,
  Params,
  RangeDimension,
  SearchSpace,
} from "./automl/space.js";
export {
  GridSearch,
  RandomSearch,
  HalvingSearch,
  halvingRungs,
  SEARCH_KINDS,
} from "./automl/searches.js";
export type {
  HalvingOptions,
  Rung,
  Search,
  SearchKind,
} from "./automl/searches.js";
export { TpeSearch } from "./automl/tpe.js";
export type { TpeOptions } from "./automl/tpe.js";
export { rankTrials } from "./automl/trial.js";
export type {
  TrialRecord,
  TrialRequest,
  TrialResource,
} from "./automl/trial.js";
export { stratifiedKFold, stratifiedOrder } from "./automl/cv.js";
export type { Fold } from "./automl/cv.js";
export {
  checkSpaceForModel,
  defaultSpace,
  ESTIMATOR_NAMES,
  TUNABLE,
} from "./automl/estimators.js";
export type { EstimatorName } from "./automl/estimators.js";
