/**
 * Dense linear algebra, the TypeScript twin of assembly/linalg.ts: the
 * smallest clearly correct versions, in the same summation order where
 * that is cheap.
 */

/** Scratch elements the Wasm `matmul` needs; the twin needs none. */
export function matmulScratchLength(_m: number, _k: number, _n: number): number {
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
    for (let p = 0; p < k; p++) {
      const a = A[i * k + p];
      for (let j = 0; j < n; j++) C[i * n + j] += a * B[p * n + j];
    }
  }
}

/** y = A x for row-major A (m x n). */
export function matvec(
  A: Float64Array,
  x: Float64Array,
  y: Float64Array,
  m: number,
  n: number,
): void {
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += A[i * n + j] * x[j];
    y[i] = s;
  }
}
