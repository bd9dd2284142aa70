/**
 * The raw exports of build/release.wasm and build/release-scalar.wasm
 * (the same names and signatures in both). Pointers and lengths are plain
 * numbers: pointers are byte offsets into `memory`, `n`-style arguments
 * count elements. See assembly/ for what each kernel computes.
 */
export interface WasmExports {
  memory: WebAssembly.Memory;
  alloc(byteLength: number): number;
  free(ptr: number): void;
  /** 1 in the SIMD build, 0 in the scalar build. */
  buildSimd(): number;

  rngSeed(statePtr: number, seed: number): void;
  rngU32(statePtr: number, outPtr: number, n: number): void;
  rngUniform(statePtr: number, outPtr: number, n: number): void;
  rngNormal(statePtr: number, outPtr: number, n: number): void;
  fdlibmLog(x: number): number;

  matmulScratchLength(m: number, k: number, n: number): number;
  matmul(
    aPtr: number,
    bPtr: number,
    cPtr: number,
    m: number,
    k: number,
    n: number,
    scratchPtr: number,
  ): void;
  matvec(aPtr: number, xPtr: number, yPtr: number, m: number, n: number): void;

  logisticLossGrad(
    xPtr: number,
    yPtr: number,
    nSamples: number,
    nFeatures: number,
    nRows: number,
    wPtr: number,
    gradPtr: number,
    alpha: number,
    zPtr: number,
  ): number;
  logisticDecision(
    xPtr: number,
    nSamples: number,
    nFeatures: number,
    nRows: number,
    wPtr: number,
    outPtr: number,
  ): void;
  logisticProba(
    zPtr: number,
    nSamples: number,
    nRows: number,
    outPtr: number,
  ): void;

  treeXlogx(outPtr: number, n: number): void;
  treePresort(
    xColPtr: number,
    nSamples: number,
    nFeatures: number,
    presortPtr: number,
    scratchPtr: number,
  ): void;
  /** Bytes of scratch for `treeGrow` (returned as f64, so it cannot wrap). */
  treeWorkLength(nSamples: number, nFeatures: number, nClasses: number): number;
  treeGrow(
    xColPtr: number,
    yPtr: number,
    presortPtr: number,
    xlogxPtr: number,
    nSamples: number,
    nFeatures: number,
    nClasses: number,
    criterion: number,
    maxDepth: number,
    minSamplesSplit: number,
    minSamplesLeaf: number,
    maxFeatures: number,
    bootstrap: number,
    seed: number,
    weightPtr: number,
    workPtr: number,
    featurePtr: number,
    thresholdPtr: number,
    leftPtr: number,
    rightPtr: number,
    impurityPtr: number,
    nNodeSamplesPtr: number,
    weightedPtr: number,
    valuePtr: number,
  ): number;
  forestProba(
    xPtr: number,
    nSamples: number,
    nFeatures: number,
    nClasses: number,
    nTrees: number,
    rootsPtr: number,
    featurePtr: number,
    thresholdPtr: number,
    leftPtr: number,
    rightPtr: number,
    valuePtr: number,
    outPtr: number,
  ): void;

  mlpForward(
    paramsPtr: number,
    sizesPtr: number,
    nLayers: number,
    xPtr: number,
    nSamples: number,
    actsPtr: number,
  ): void;
  mlpBackward(
    paramsPtr: number,
    sizesPtr: number,
    nLayers: number,
    xPtr: number,
    nSamples: number,
    actsPtr: number,
    dOutPtr: number,
    gradPtr: number,
    scratchPtr: number,
  ): void;
  mlpAdam(
    paramsPtr: number,
    gradPtr: number,
    mPtr: number,
    vPtr: number,
    n: number,
    learningRate: number,
    beta1: number,
    beta2: number,
    epsilon: number,
    correction1: number,
    correction2: number,
  ): void;
  /** Returns the batch loss before the update. */
  mlpTrainStep(
    paramsPtr: number,
    sizesPtr: number,
    nLayers: number,
    nParams: number,
    xPtr: number,
    targetPtr: number,
    nSamples: number,
    actsPtr: number,
    dOutPtr: number,
    gradPtr: number,
    scratchPtr: number,
    mPtr: number,
    vPtr: number,
    learningRate: number,
    beta1: number,
    beta2: number,
    epsilon: number,
    correction1: number,
    correction2: number,
  ): number;

  diffusionQSample(
    x0Ptr: number,
    tPtr: number,
    noisePtr: number,
    sqrtAbarPtr: number,
    sqrtOneMinusAbarPtr: number,
    nSamples: number,
    length: number,
    outPtr: number,
  ): void;
  diffusionOracleNoise(
    xPtr: number,
    x0Ptr: number,
    n: number,
    sqrtAbar: number,
    sqrtOneMinusAbar: number,
    outPtr: number,
  ): void;
  diffusionDdpmStep(
    xPtr: number,
    epsPtr: number,
    zPtr: number,
    n: number,
    sqrtAbar: number,
    sqrtOneMinusAbar: number,
    c1: number,
    c2: number,
    sigma: number,
    clip: number,
    outPtr: number,
  ): void;
  diffusionDdimStep(
    xPtr: number,
    epsPtr: number,
    zPtr: number,
    n: number,
    sqrtAbar: number,
    sqrtOneMinusAbar: number,
    c1: number,
    c2: number,
    sigma: number,
    clip: number,
    outPtr: number,
  ): void;
  diffusionModelInput(
    xPtr: number,
    tPtr: number,
    nSamples: number,
    length: number,
    embedPtr: number,
    embedDim: number,
    outPtr: number,
  ): void;
  diffusionTrainBatch(
    dataPtr: number,
    length: number,
    indicesPtr: number,
    batchSize: number,
    nTimesteps: number,
    sqrtAbarPtr: number,
    sqrtOneMinusAbarPtr: number,
    embedPtr: number,
    embedDim: number,
    statePtr: number,
    tPtr: number,
    uniformPtr: number,
    noisePtr: number,
    inputPtr: number,
  ): void;
}
