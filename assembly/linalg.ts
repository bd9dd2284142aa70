// Dense linear algebra, f64. Reference twin: src/kernels/linalg.ts.
//
// Both kernels keep the twin's summation order, so their results are
// bit-identical to it (NaN payloads aside): every output element starts at
// +0 and gets a[p] * b[p] added for p = 0, 1, 2, ... in turn, each product
// rounded before the add. No FMA is used (Wasm SIMD has none outside relaxed
// SIMD), and lanes never sum different p's against each other: SIMD runs
// across output elements, never along the sum. The scalar build (no SIMD;
// ASC_FEATURE_SIMD is false) runs the same sums one element at a time, so
// it matches the SIMD build and the twin bit for bit too. The wrapper
// (src/wasm/backend.ts) has checked every length and allocated the scratch,
// so the loops below load and store without further checks.

// Blocking of the packed product (Goto & van de Geijn 2008, "GEBP"). One
// MR x NR tile of C lives in 8 f64x2 registers through a KC-deep sum. V8 on
// x64 allocates 15 vector registers: the 4 x 4 tile, 2 B vectors, 1 A splat
// and 1 product fit; a 6 x 4 tile spilled and ran 20% slower.
const MR = 4; // rows of the register tile
const NR = 4; // columns of the register tile (two f64x2 per row)
const KC = 256; // depth of a block: a 4 x KC panel of packed A is 8 KiB (L1)
const MC = 96; // rows of A packed per block: 96 x 256 x 8 = 192 KiB
const NC = 512; // columns of B per block: 256 x 512 x 8 = 1 MiB (half of L2)
const TILE_LENGTH = MR * NR; // f64 of the spare tile used at the edges

/** `x` rounded up to a multiple of `to` (a power of two). */
@inline
function roundUp(x: i32, to: i32): i32 {
  return (x + to - 1) & ~(to - 1);
}

/** f64 count of the packed-B buffer: one KC x NC block at most. */
@inline
function packedBLength(k: i32, n: i32): i32 {
  return min(k, KC) * roundUp(min(n, NC), NR);
}

/** f64 count of the packed-A buffer: one MC x KC block at most. */
@inline
function packedALength(m: i32, k: i32): i32 {
  return roundUp(min(m, MC), MR) * min(k, KC);
}

/**
 * Scratch f64 elements `matmul` needs for packing: at most
 * 256 * 512 + 96 * 256 + 16 = 155,664 (1.2 MiB) whatever the shape; 0 when
 * the product is empty or k = 0.
 */
export function matmulScratchLength(m: i32, k: i32, n: i32): i32 {
  if (m == 0 || n == 0 || k == 0) return 0;
  return packedBLength(k, n) + packedALength(m, k) + TILE_LENGTH;
}

/**
 * Copies B[pc .. pc+kc, jc .. jc+nc] into panels of NR columns: panel q holds
 * row p's NR values at dst + (q kc + p) NR, contiguous in p, so the
 * micro-kernel reads B as one stream. Columns past nc are padded with 0.
 */
@inline
function packB( // Goto & van de Geijn 2008, packing of B
  bPtr: usize,
  n: i32,
  pc: i32,
  kc: i32,
  jc: i32,
  nc: i32,
  dstPtr: usize,
): void {
  const rowBytes = <usize>n << 3;
  for (let jr = 0; jr < nc; jr += NR) {
    const width = min(NR, nc - jr);
    let src = bPtr + ((<usize>pc * <usize>n + <usize>(jc + jr)) << 3);
    if (width == NR) {
      for (let p = 0; p < kc; p++) {
        if (ASC_FEATURE_SIMD) {
          v128.store(dstPtr, v128.load(src));
          v128.store(dstPtr, v128.load(src, 16), 16);
        } else {
          // u64, not f64: a copy never touches the bits (NaN payloads).
          store<u64>(dstPtr, load<u64>(src));
          store<u64>(dstPtr, load<u64>(src, 8), 8);
          store<u64>(dstPtr, load<u64>(src, 16), 16);
          store<u64>(dstPtr, load<u64>(src, 24), 24);
        }
        src += rowBytes;
        dstPtr += NR << 3;
      }
      continue;
    }
    for (let p = 0; p < kc; p++) {
      for (let j = 0; j < NR; j++) {
        const v = j < width ? load<f64>(src + (<usize>j << 3)) : 0.0;
        store<f64>(dstPtr + (<usize>j << 3), v);
      }
      src += rowBytes;
      dstPtr += NR << 3;
    }
  }
}

/**
 * Copies A[ic .. ic+mc, pc .. pc+kc] into panels of MR rows: panel q holds
 * column p's MR values at dst + (q kc + p) MR. Rows past mc are padded with 0.
 */
@inline
function packA( // Goto & van de Geijn 2008, packing of A
  aPtr: usize,
  k: i32,
  ic: i32,
  mc: i32,
  pc: i32,
  kc: i32,
  dstPtr: usize,
): void {
  const rowBytes = <usize>k << 3;
  for (let ir = 0; ir < mc; ir += MR) {
    const height = min(MR, mc - ir);
    const r0 = aPtr + ((<usize>(ic + ir) * <usize>k + <usize>pc) << 3);
    if (height == MR) {
      const r1 = r0 + rowBytes;
      const r2 = r1 + rowBytes;
      const r3 = r2 + rowBytes;
      for (let p = 0; p < kc; p++) {
        const o = <usize>p << 3;
        store<f64>(dstPtr, load<f64>(r0 + o));
        store<f64>(dstPtr, load<f64>(r1 + o), 8);
        store<f64>(dstPtr, load<f64>(r2 + o), 16);
        store<f64>(dstPtr, load<f64>(r3 + o), 24);
        dstPtr += MR << 3;
      }
      continue;
    }
    for (let p = 0; p < kc; p++) {
      for (let i = 0; i < MR; i++) {
        const src = r0 + <usize>i * rowBytes + (<usize>p << 3);
        store<f64>(dstPtr + (<usize>i << 3), i < height ? load<f64>(src) : 0.0);
      }
      dstPtr += MR << 3;
    }
  }
}

/**
 * The 4 x 4 register tile: C[0..4, 0..4] (+)= sum_p a_p b_p^T over kc steps,
 * from packed panels of A (column p at aPanel + 32 p) and B (row p at
 * bPanel + 32 p). Starts from 0 when `accumulate` is false, otherwise from
 * the partial sums already in C, so blocking over k keeps the order in p.
 * Cost: 32 flops per step for 2 B loads and 4 A splat loads.
 */
@inline
function microKernel( // Goto & van de Geijn 2008, GEBP inner kernel
  kc: i32,
  aPanel: usize,
  bPanel: usize,
  cPtr: usize,
  ldcBytes: usize,
  accumulate: bool,
): void {
  if (!ASC_FEATURE_SIMD) {
    microKernelScalar(kc, aPanel, bPanel, cPtr, ldcBytes, accumulate);
    return;
  }
  const c1Ptr = cPtr + ldcBytes;
  const c2Ptr = c1Ptr + ldcBytes;
  const c3Ptr = c2Ptr + ldcBytes;
  let c00 = f64x2.splat(0.0);
  let c01 = c00;
  let c10 = c00;
  let c11 = c00;
  let c20 = c00;
  let c21 = c00;
  let c30 = c00;
  let c31 = c00;
  if (accumulate) {
    c00 = v128.load(cPtr);
    c01 = v128.load(cPtr, 16);
    c10 = v128.load(c1Ptr);
    c11 = v128.load(c1Ptr, 16);
    c20 = v128.load(c2Ptr);
    c21 = v128.load(c2Ptr, 16);
    c30 = v128.load(c3Ptr);
    c31 = v128.load(c3Ptr, 16);
  }

  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bPanel);
    const b1 = v128.load(bPanel, 16);
    let a = v128.load64_splat(aPanel);
    c00 = f64x2.add(c00, f64x2.mul(a, b0));
    c01 = f64x2.add(c01, f64x2.mul(a, b1));
    a = v128.load64_splat(aPanel, 8);
    c10 = f64x2.add(c10, f64x2.mul(a, b0));
    c11 = f64x2.add(c11, f64x2.mul(a, b1));
    a = v128.load64_splat(aPanel, 16);
    c20 = f64x2.add(c20, f64x2.mul(a, b0));
    c21 = f64x2.add(c21, f64x2.mul(a, b1));
    a = v128.load64_splat(aPanel, 24);
    c30 = f64x2.add(c30, f64x2.mul(a, b0));
    c31 = f64x2.add(c31, f64x2.mul(a, b1));
    aPanel += MR << 3;
    bPanel += NR << 3;
  }

  v128.store(cPtr, c00);
  v128.store(cPtr, c01, 16);
  v128.store(c1Ptr, c10);
  v128.store(c1Ptr, c11, 16);
  v128.store(c2Ptr, c20);
  v128.store(c2Ptr, c21, 16);
  v128.store(c3Ptr, c30);
  v128.store(c3Ptr, c31, 16);
}

/**
 * `microKernel` for the scalar build: the same tile one row at a time.
 * Every element of C still gets a_ip b_pj added for p = 0, 1, ... in turn,
 * so the result is the SIMD kernel's to the bit. One row (4 sums) per pass
 * over the panels keeps the live values within the 16 scalar registers.
 */
@inline
function microKernelScalar(
  kc: i32,
  aPanel: usize,
  bPanel: usize,
  cPtr: usize,
  ldcBytes: usize,
  accumulate: bool,
): void {
  for (let i = 0; i < MR; i++) {
    const ci = cPtr + <usize>i * ldcBytes;
    let c0 = 0.0;
    let c1 = 0.0;
    let c2 = 0.0;
    let c3 = 0.0;
    if (accumulate) {
      c0 = load<f64>(ci);
      c1 = load<f64>(ci, 8);
      c2 = load<f64>(ci, 16);
      c3 = load<f64>(ci, 24);
    }
    let a = aPanel + (<usize>i << 3);
    let b = bPanel;
    for (let p = 0; p < kc; p++) {
      const ap = load<f64>(a);
      c0 += ap * load<f64>(b);
      c1 += ap * load<f64>(b, 8);
      c2 += ap * load<f64>(b, 16);
      c3 += ap * load<f64>(b, 24);
      a += MR << 3;
      b += NR << 3;
    }
    store<f64>(ci, c0);
    store<f64>(ci, c1, 8);
    store<f64>(ci, c2, 16);
    store<f64>(ci, c3, 24);
  }
}

/**
 * Copies the rows x cols corner of a row-major tile between C (row stride
 * ldcBytes) and the spare 4 x 4 tile, for edge tiles of C.
 */
@inline
function copyCorner(
  srcPtr: usize,
  srcStrideBytes: usize,
  dstPtr: usize,
  dstStrideBytes: usize,
  rows: i32,
  cols: i32,
): void {
  for (let i = 0; i < rows; i++) {
    memory.copy(dstPtr, srcPtr, <usize>cols << 3);
    srcPtr += srcStrideBytes;
    dstPtr += dstStrideBytes;
  }
}

/**
 * C = A B for row-major A (m x k), B (k x n), C (m x n), packed and
 * blocked as in Goto & van de Geijn, "Anatomy of high-performance matrix
 * multiplication" (2008).
 * `scratchPtr` holds `matmulScratchLength(m, k, n)` f64 for packing.
 * Loops, outer to inner: NC columns of B, KC steps of the sum (B block
 * packed), MC rows of A (A block packed), MR-row panels, NR-column panels.
 * Edge tiles run the same micro-kernel on a zero-padded spare tile.
 * Measured 20-21 GFLOPS for n = 128 .. 1024 on one core of a 2.6 GHz
 * Xeon VM (Node 20), about 22x the twin. That is the micro-kernel's own
 * speed with all its data in L1 (10.5e9 f64x2 mul or add per second), so
 * the blocking loses little. It is also the core's limit: it issues at most
 * 3 f64x2 mul or add per cycle (2 of each), measured 10-11e9 per second, so
 * no mul-then-add kernel passes ~22 GFLOPS here. Going faster needs FMA,
 * which rounds once instead of twice and so would break bit-identity with
 * the twin. Unrolling p in the source (V8 then hoists the loads and spills)
 * or splitting A rows with shuffles (they take an FP port) ran 15-30% slower.
 */
export function matmul( // Goto & van de Geijn, ACM TOMS 34(3), 2008; twin: src/kernels/linalg.ts
  aPtr: usize,
  bPtr: usize,
  cPtr: usize,
  m: i32,
  k: i32,
  n: i32,
  scratchPtr: usize,
): void {
  if (k == 0) {
    memory.fill(cPtr, 0, (<usize>m * <usize>n) << 3);
    return;
  }
  if (m == 0 || n == 0) return;
  const bPack = scratchPtr;
  const aPack = bPack + (<usize>packedBLength(k, n) << 3);
  const tile = aPack + (<usize>packedALength(m, k) << 3);
  const ldcBytes = <usize>n << 3;
  const tileStrideBytes = <usize>NR << 3;

  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const accumulate = pc > 0;
      packB(bPtr, n, pc, kc, jc, nc, bPack);

      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(aPtr, k, ic, mc, pc, kc, aPack);

        // One packed A panel stays in L1 while the B panels stream past
        // from L2.
        for (let ir = 0; ir < mc; ir += MR) {
          const rows = min(MR, mc - ir);
          const aPanel = aPack + ((<usize>ir * <usize>kc) << 3);
          for (let jr = 0; jr < nc; jr += NR) {
            const cols = min(NR, nc - jr);
            const bPanel = bPack + ((<usize>jr * <usize>kc) << 3);
            const c =
              cPtr + ((<usize>(ic + ir) * <usize>n + <usize>(jc + jr)) << 3);
            if (rows == MR && cols == NR) {
              microKernel(kc, aPanel, bPanel, c, ldcBytes, accumulate);
              continue;
            }
            if (accumulate) {
              copyCorner(c, ldcBytes, tile, tileStrideBytes, rows, cols);
            }
            microKernel(kc, aPanel, bPanel, tile, tileStrideBytes, accumulate);
            copyCorner(tile, tileStrideBytes, c, ldcBytes, rows, cols);
          }
        }
      }
    }
  }
}

/**
 * y = A x for row-major A (m x n).
 * Four rows at a time: a 2 x 2 block of A is transposed by two shuffles so
 * that one f64x2 holds rows (i, i+1) at one column j, and each lane sums its
 * own row in order j = 0, 1, 2, ... The row pairs (i, i+1), (i+2, i+3) are
 * two independent add chains. Memory-bound past the caches (8 bytes of A per
 * 2 flops).
 */
export function matvec( // twin: src/kernels/linalg.ts matvec
  aPtr: usize,
  xPtr: usize,
  yPtr: usize,
  m: i32,
  n: i32,
): void {
  const rowBytes = <usize>n << 3;
  let i = 0;
  // The scalar build runs every row through the sequential loop at the end,
  // which is each lane's order here: both builds give the same bits.
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= m; i += 4) {
      const r0 = aPtr + <usize>i * rowBytes;
      const r1 = r0 + rowBytes;
      const r2 = r1 + rowBytes;
      const r3 = r2 + rowBytes;
      let y01 = f64x2.splat(0.0);
      let y23 = y01;
      let j = 0;
      for (; j + 2 <= n; j += 2) {
        const o = <usize>j << 3;
        const a0 = v128.load(r0 + o);
        const a1 = v128.load(r1 + o);
        const a2 = v128.load(r2 + o);
        const a3 = v128.load(r3 + o);
        const x0 = v128.load64_splat(xPtr + o);
        const x1 = v128.load64_splat(xPtr + o, 8);
        y01 = f64x2.add(y01, f64x2.mul(i64x2.shuffle(a0, a1, 0, 2), x0));
        y23 = f64x2.add(y23, f64x2.mul(i64x2.shuffle(a2, a3, 0, 2), x0));
        y01 = f64x2.add(y01, f64x2.mul(i64x2.shuffle(a0, a1, 1, 3), x1));
        y23 = f64x2.add(y23, f64x2.mul(i64x2.shuffle(a2, a3, 1, 3), x1));
      }
      if (j < n) {
        const o = <usize>j << 3;
        const x0 = v128.load64_splat(xPtr + o);
        const a01 = v128.load64_lane(r1 + o, v128.load64_splat(r0 + o), 1);
        const a23 = v128.load64_lane(r3 + o, v128.load64_splat(r2 + o), 1);
        y01 = f64x2.add(y01, f64x2.mul(a01, x0));
        y23 = f64x2.add(y23, f64x2.mul(a23, x0));
      }
      const out = yPtr + (<usize>i << 3);
      v128.store(out, y01);
      v128.store(out, y23, 16);
    }
  }

  // The last m mod 4 rows (every row in the scalar build), one sequential
  // sum each.
  for (; i < m; i++) {
    const r = aPtr + <usize>i * rowBytes;
    let s = 0.0;
    for (let j = 0; j < n; j++) {
      const o = <usize>j << 3;
      s += load<f64>(r + o) * load<f64>(xPtr + o);
    }
    store<f64>(yPtr + (<usize>i << 3), s);
  }
}
