// Vector helpers shared by the kernels, f64x2 SIMD with a scalar tail.
// Summation runs in two lanes and two accumulators (four partial sums,
// added at the end); the TS twins sum left to right, so results agree
// within the usual bound |error| <= n u sum |a_j b_j|, not bit for bit.
//
// The scalar build (no SIMD, ASC_FEATURE_SIMD false) keeps the same four
// partial sums and adds them in the same order, so both builds return the
// same bits (NaN payloads aside).

/** sum_j a[j] b[j] over n elements. */
@inline
export function dot(aPtr: usize, bPtr: usize, n: i32): f64 {
  let j = 0;
  let s = 0.0;
  if (ASC_FEATURE_SIMD) {
    let acc0 = f64x2.splat(0);
    let acc1 = f64x2.splat(0);
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 3;
      acc0 = f64x2.add(acc0, f64x2.mul(v128.load(aPtr + o), v128.load(bPtr + o)));
      acc1 = f64x2.add(
        acc1,
        f64x2.mul(v128.load(aPtr + o, 16), v128.load(bPtr + o, 16)),
      );
    }
    acc0 = f64x2.add(acc0, acc1);
    s = f64x2.extract_lane(acc0, 0) + f64x2.extract_lane(acc0, 1);
  } else {
    // Partial sums s0..s3 are the lanes of acc0 and acc1 above.
    let s0 = 0.0;
    let s1 = 0.0;
    let s2 = 0.0;
    let s3 = 0.0;
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 3;
      s0 += load<f64>(aPtr + o) * load<f64>(bPtr + o);
      s1 += load<f64>(aPtr + o, 8) * load<f64>(bPtr + o, 8);
      s2 += load<f64>(aPtr + o, 16) * load<f64>(bPtr + o, 16);
      s3 += load<f64>(aPtr + o, 24) * load<f64>(bPtr + o, 24);
    }
    s = (s0 + s2) + (s1 + s3);
  }
  for (; j < n; j++) {
    const o = <usize>j << 3;
    s += load<f64>(aPtr + o) * load<f64>(bPtr + o);
  }
  return s;
}

/** y[j] += alpha x[j] over n elements (element-wise: both builds agree). */
@inline
export function axpy(alpha: f64, xPtr: usize, yPtr: usize, n: i32): void {
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    const a = f64x2.splat(alpha);
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 3;
      v128.store(yPtr + o, f64x2.add(v128.load(yPtr + o), f64x2.mul(a, v128.load(xPtr + o))));
      v128.store(
        yPtr + o,
        f64x2.add(v128.load(yPtr + o, 16), f64x2.mul(a, v128.load(xPtr + o, 16))),
        16,
      );
    }
  }
  for (; j < n; j++) {
    const o = <usize>j << 3;
    store<f64>(yPtr + o, load<f64>(yPtr + o) + alpha * load<f64>(xPtr + o));
  }
}
