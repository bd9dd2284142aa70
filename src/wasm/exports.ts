/**
 * The raw exports of build/release.wasm. Pointers and lengths are plain
 * numbers: pointers are byte offsets into `memory`, `n`-style arguments
 * count elements. See assembly/ for what each kernel computes.
 */
export interface WasmExports {
  memory: WebAssembly.Memory;
  alloc(byteLength: number): number;
  free(ptr: number): void;

  rngSeed(statePtr: number, seed: number): void;
  rngU32(statePtr: number, outPtr: number, n: number): void;
  rngUniform(statePtr: number, outPtr: number, n: number): void;
  rngNormal(statePtr: number, outPtr: number, n: number): void;

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
}
