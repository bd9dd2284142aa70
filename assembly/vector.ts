// Vector helpers shared by the kernels, f64x2 SIMD with a scalar tail.
// Summation runs in two lanes and two accumulators (four partial sums,
// added at the end); the TS twins sum left to right, so results agree
// within the usual bound |error| <= n u sum |a_j b_j|, not bit for bit.

/** sum_j a[j] b[j] over n elements. */
@inline
export function dot(aPtr: usize, bPtr: usize, n: i32): f64 {
  let acc0 = f64x2.splat(0);
  let acc1 = f64x2.splat(0);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = <usize>j << 3;
    acc0 = f64x2.add(acc0, f64x2.mul(v128.load(aPtr + o), v128.load(bPtr + o)));
    acc1 = f64x2.add(
      acc1,
      f64x2.mul(v128.load(aPtr + o, 16), v128.load(bPtr + o, 16)),
    );
  }
  acc0 = f64x2.add(acc0, acc1);
  let s = f64x2.extract_lane(acc0, 0) + f64x2.extract_lane(acc0, 1);
  for (; j < n; j++) {
    const o = <usize>j << 3;
    s += load<f64>(aPtr + o) * load<f64>(bPtr + o);
  }
  return s;
}

/** y[j] += alpha x[j] over n elements. */
@inline
export function axpy(alpha: f64, xPtr: usize, yPtr: usize, n: i32): void {
  const a = f64x2.splat(alpha);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = <usize>j << 3;
    v128.store(yPtr + o, f64x2.add(v128.load(yPtr + o), f64x2.mul(a, v128.load(xPtr + o))));
    v128.store(
      yPtr + o,
      f64x2.add(v128.load(yPtr + o, 16), f64x2.mul(a, v128.load(xPtr + o, 16))),
      16,
    );
  }
  for (; j < n; j++) {
    const o = <usize>j << 3;
    store<f64>(yPtr + o, load<f64>(yPtr + o) + alpha * load<f64>(xPtr + o));
  }
}
