// Dense linear algebra. Reference twin: src/kernels/linalg.ts.
// (Provisional scalar version; the packed SIMD product replaces it.)
import { dot } from "./vector";

/** Scratch f64 elements `matmul` needs for packing. */
export function matmulScratchLength(m: i32, k: i32, n: i32): i32 {
  return 0;
}

/** C = A B for row-major A (m x k), B (k x n), C (m x n). */
export function matmul(
  aPtr: usize,
  bPtr: usize,
  cPtr: usize,
  m: i32,
  k: i32,
  n: i32,
  scratchPtr: usize,
): void {
  memory.fill(cPtr, 0, (<usize>m * <usize>n) << 3);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const a = load<f64>(aPtr + ((<usize>i * <usize>k + <usize>p) << 3));
      for (let j = 0; j < n; j++) {
        const c = cPtr + ((<usize>i * <usize>n + <usize>j) << 3);
        store<f64>(c, load<f64>(c) + a * load<f64>(bPtr + ((<usize>p * <usize>n + <usize>j) << 3)));
      }
    }
  }
}

/** y = A x for row-major A (m x n). */
export function matvec(aPtr: usize, xPtr: usize, yPtr: usize, m: i32, n: i32): void {
  for (let i = 0; i < m; i++) {
    store<f64>(yPtr + (<usize>i << 3), dot(aPtr + ((<usize>i * <usize>n) << 3), xPtr, n));
  }
}
