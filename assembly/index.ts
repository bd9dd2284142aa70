// The Wasm core's exports, one line per kernel family.
export { alloc, free } from "./memory";
export { buildSimd } from "./build";
export { rngSeed, rngU32, rngUniform, rngNormal, fdlibmLog } from "./rng";
export { matmulScratchLength, matmul, matvec } from "./linalg";
export { logisticLossGrad, logisticDecision, logisticProba } from "./logistic";
export { treeXlogx, treePresort, treeWorkLength, treeGrow, forestProba } from "./tree";
export { mlpForward, mlpBackward, mlpAdam, mlpTrainStep } from "./mlp";
export {
  diffusionQSample,
  diffusionOracleNoise,
  diffusionDdpmStep,
  diffusionDdimStep,
  diffusionModelInput,
  diffusionTrainBatch,
} from "./diffusion";
