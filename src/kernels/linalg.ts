/**
 * Dense linear algebra, the TypeScript twin of assembly/linalg.ts: the
 * smallest clearly correct versions. Both sides start every output element
 * at +0 and add the rounded products in the same order, without FMA, so the
 * Wasm results are bit-identical to these (NaN payloads aside).
 */

/** Scratch elements the Wasm `matmul` needs; the twin needs none. */
export function matmulScratchLength(
  _m: number,
  _k: number,
  _n: number,
): number {
  return 0;
}

/**
 * C = A B for row-major A (m x k), B (k x n), C (m x n). i-k-j order:
 * each C[i][j] is summed over k from 0 upwards, as the Wasm kernel does.
 */
export function matmul(
  A: Float64Array,
  B: Float64Array,
  C: Float64Array,
  m: number,
  k: number,
  n: number,
  _scratch?: Float64Array,
): void {
  C.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const a = A[i * k + p];
      const bp = p * n;
      for (let j = 0; j < n; j++) C[ci + j] += a * B[bp + j];
    }
  }
}

/**
 * y = A x for row-major A (m x n), each y[i] summed over j from 0 upwards,
 * as the Wasm kernel does.
 */
export function matvec(
  A: Float64Array,
  x: Float64Array,
  y: Float64Array,
  m: number,
  n: number,
): void {
  for (let i = 0; i < m; i++) {
    const ai = i * n;
    let s = 0;
    for (let j = 0; j < n; j++) s += A[ai + j] * x[j];
    y[i] = s;
  }
}
