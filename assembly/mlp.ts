// A multilayer perceptron: dense layers, SiLU between them, a linear output.
// Reference twin: src/kernels/mlp.ts (same names, same argument order).
//
// Shapes. `sizes` holds nLayers + 1 layer widths as i32 (sizes[0] inputs,
// sizes[nLayers] outputs). The parameters of layer l (nIn = sizes[l],
// nOut = sizes[l + 1]) are W (nOut x nIn, row-major) then b (nOut), layers
// one after another; the gradient has the same layout. `acts` keeps, per
// layer, the pre-activations Z (nSamples x nOut) and the activations A
// (nSamples x nOut; A = Z for the output layer), so the network's output is
// the last nSamples x sizes[nLayers] values of `acts`.
//
// Sums run in f64x2 lanes over the input dimension (or over four rows at a
// time in the backward pass), so results agree with the twin's left-to-right
// sums within n u sum |terms|, not bit for bit; SiLU calls AssemblyScript's
// exp, which may differ from V8's by an ulp. The scalar build (ASC_FEATURE_SIMD
// false) keeps each lane as its own partial sum and combines them in the
// same order, so it gives the SIMD build's results bit for bit. The wrapper (src/wasm/mlp.ts)
// has checked every length, so the loops below read memory unchecked.

/** logistic sigmoid 1 / (1 + e^-z); 0 for z < -745, 1 for z > 37. */
@inline
function sigmoid(z: f64): f64 {
  return 1.0 / (1.0 + Math.exp(-z));
}

/** f64 offset of layer `l`'s weights in the parameter vector. */
@inline
function paramOffset(sizesPtr: usize, l: i32): usize {
  let offset: usize = 0;
  for (let m = 0; m < l; m++) {
    const nIn = <usize>load<i32>(sizesPtr + (<usize>m << 2));
    const nOut = <usize>load<i32>(sizesPtr + (<usize>(m + 1) << 2));
    offset += nOut * (nIn + 1);
  }
  return offset;
}

/** f64 offset of layer `l`'s pre-activations Z in `acts`. */
@inline
function actsOffset(sizesPtr: usize, l: i32, nSamples: i32): usize {
  let offset: usize = 0;
  for (let m = 1; m <= l; m++) {
    offset += <usize>(2 * nSamples) * <usize>load<i32>(sizesPtr + (<usize>m << 2));
  }
  return offset;
}

/** y[k] += d0 x0[k] + d1 x1[k] + d2 x2[k] + d3 x3[k] over n elements. */
@inline
function axpy4(
  d0: f64, d1: f64, d2: f64, d3: f64,
  x0: usize, x1: usize, x2: usize, x3: usize,
  yPtr: usize, n: i32,
): void {
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    const a0 = f64x2.splat(d0);
    const a1 = f64x2.splat(d1);
    const a2 = f64x2.splat(d2);
    const a3 = f64x2.splat(d3);
    for (; k + 2 <= n; k += 2) {
      const o = <usize>k << 3;
      let s = f64x2.mul(a0, v128.load(x0 + o));
      s = f64x2.add(s, f64x2.mul(a1, v128.load(x1 + o)));
      s = f64x2.add(s, f64x2.mul(a2, v128.load(x2 + o)));
      s = f64x2.add(s, f64x2.mul(a3, v128.load(x3 + o)));
      v128.store(yPtr + o, f64x2.add(v128.load(yPtr + o), s));
    }
  }
  for (; k < n; k++) {
    const o = <usize>k << 3;
    const s =
      d0 * load<f64>(x0 + o) + d1 * load<f64>(x1 + o) +
      d2 * load<f64>(x2 + o) + d3 * load<f64>(x3 + o);
    store<f64>(yPtr + o, load<f64>(yPtr + o) + s);
  }
}

/** y[k] += d x[k] over n elements. */
@inline
function axpy1(d: f64, xPtr: usize, yPtr: usize, n: i32): void {
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    const a = f64x2.splat(d);
    for (; k + 2 <= n; k += 2) {
      const o = <usize>k << 3;
      v128.store(yPtr + o, f64x2.add(v128.load(yPtr + o), f64x2.mul(a, v128.load(xPtr + o))));
    }
  }
  for (; k < n; k++) {
    const o = <usize>k << 3;
    store<f64>(yPtr + o, load<f64>(yPtr + o) + d * load<f64>(xPtr + o));
  }
}

/**
 * Z = A W^T + b for A (nSamples x nIn), W (nOut x nIn); Z is nSamples x
 * nOut. A 1 x 4 register tile: one row of A against four rows of W, so each
 * load of A feeds four multiply-adds. Cost: 2 nSamples nIn nOut flops.
 */
function denseForward(
  aPtr: usize, wPtr: usize, bPtr: usize,
  nSamples: i32, nIn: i32, nOut: i32, zPtr: usize,
): void {
  const rowIn = <usize>nIn << 3;
  for (let i = 0; i < nSamples; i++) {
    const ai = aPtr + <usize>i * rowIn;
    const zi = zPtr + ((<usize>i * <usize>nOut) << 3);
    let o = 0;
    for (; o + 4 <= nOut; o += 4) {
      const w0 = wPtr + <usize>o * rowIn;
      const w1 = w0 + rowIn;
      const w2 = w1 + rowIn;
      const w3 = w2 + rowIn;
      let k = 0;
      let r0 = 0.0;
      let r1 = 0.0;
      let r2 = 0.0;
      let r3 = 0.0;
      if (ASC_FEATURE_SIMD) {
        let s0 = f64x2.splat(0);
        let s1 = f64x2.splat(0);
        let s2 = f64x2.splat(0);
        let s3 = f64x2.splat(0);
        for (; k + 2 <= nIn; k += 2) {
          const off = <usize>k << 3;
          const x = v128.load(ai + off);
          s0 = f64x2.add(s0, f64x2.mul(x, v128.load(w0 + off)));
          s1 = f64x2.add(s1, f64x2.mul(x, v128.load(w1 + off)));
          s2 = f64x2.add(s2, f64x2.mul(x, v128.load(w2 + off)));
          s3 = f64x2.add(s3, f64x2.mul(x, v128.load(w3 + off)));
        }
        r0 = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1);
        r1 = f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1);
        r2 = f64x2.extract_lane(s2, 0) + f64x2.extract_lane(s2, 1);
        r3 = f64x2.extract_lane(s3, 0) + f64x2.extract_lane(s3, 1);
      } else {
        // Even and odd k in separate sums: the two lanes above.
        let e0 = 0.0, e1 = 0.0, e2 = 0.0, e3 = 0.0;
        let o0 = 0.0, o1 = 0.0, o2 = 0.0, o3 = 0.0;
        for (; k + 2 <= nIn; k += 2) {
          const off = <usize>k << 3;
          const xe = load<f64>(ai + off);
          const xo = load<f64>(ai + off, 8);
          e0 += xe * load<f64>(w0 + off);
          o0 += xo * load<f64>(w0 + off, 8);
          e1 += xe * load<f64>(w1 + off);
          o1 += xo * load<f64>(w1 + off, 8);
          e2 += xe * load<f64>(w2 + off);
          o2 += xo * load<f64>(w2 + off, 8);
          e3 += xe * load<f64>(w3 + off);
          o3 += xo * load<f64>(w3 + off, 8);
        }
        r0 = e0 + o0;
        r1 = e1 + o1;
        r2 = e2 + o2;
        r3 = e3 + o3;
      }
      if (k < nIn) {
        const off = <usize>k << 3;
        const x = load<f64>(ai + off);
        r0 += x * load<f64>(w0 + off);
        r1 += x * load<f64>(w1 + off);
        r2 += x * load<f64>(w2 + off);
        r3 += x * load<f64>(w3 + off);
      }
      const bo = bPtr + (<usize>o << 3);
      const zo = zi + (<usize>o << 3);
      store<f64>(zo, r0 + load<f64>(bo));
      store<f64>(zo, r1 + load<f64>(bo, 8), 8);
      store<f64>(zo, r2 + load<f64>(bo, 16), 16);
      store<f64>(zo, r3 + load<f64>(bo, 24), 24);
    }
    for (; o < nOut; o++) {
      const wo = wPtr + <usize>o * rowIn;
      let r = 0.0;
      for (let k = 0; k < nIn; k++) {
        r += load<f64>(ai + (<usize>k << 3)) * load<f64>(wo + (<usize>k << 3));
      }
      store<f64>(zi + (<usize>o << 3), r + load<f64>(bPtr + (<usize>o << 3)));
    }
  }
}

/**
 * Output of the network for X (nSamples x sizes[0]); see the layout above.
 * Cost: 2 nSamples sum_l sizes[l] sizes[l + 1] flops plus one exp per
 * hidden unit and sample.
 */
export function mlpForward(
  paramsPtr: usize,
  sizesPtr: usize,
  nLayers: i32,
  xPtr: usize,
  nSamples: i32,
  actsPtr: usize,
): void {
  let wPtr = paramsPtr;
  let inPtr = xPtr;
  let zPtr = actsPtr;
  for (let l = 0; l < nLayers; l++) {
    const nIn = load<i32>(sizesPtr + (<usize>l << 2));
    const nOut = load<i32>(sizesPtr + (<usize>(l + 1) << 2));
    const n = <usize>nSamples * <usize>nOut;
    const bPtr = wPtr + ((<usize>nOut * <usize>nIn) << 3);
    const aPtr = zPtr + (n << 3);
    denseForward(inPtr, wPtr, bPtr, nSamples, nIn, nOut, zPtr);
    if (l == nLayers - 1) {
      memory.copy(aPtr, zPtr, n << 3);
    } else {
      for (let p: usize = 0; p < n; p++) {
        const z = load<f64>(zPtr + (p << 3));
        store<f64>(aPtr + (p << 3), z * sigmoid(z));
      }
    }
    wPtr = bPtr + (<usize>nOut << 3);
    inPtr = aPtr;
    zPtr = aPtr + (n << 3);
  }
}

/**
 * Gradient of a loss with respect to every parameter, by backpropagation,
 * given dOut = dLoss/dOutput (nSamples x sizes[nLayers]) and the `acts` of
 * an `mlpForward` on the same X. Overwrites `grad`. `scratchPtr` holds
 * 2 nSamples max(sizes) f64. SiLU'(z) = s (1 + z (1 - s)), s = sigmoid(z).
 * Cost: about twice the forward pass.
 */
export function mlpBackward(
  paramsPtr: usize,
  sizesPtr: usize,
  nLayers: i32,
  xPtr: usize,
  nSamples: i32,
  actsPtr: usize,
  dOutPtr: usize,
  gradPtr: usize,
  scratchPtr: usize,
): void {
  let maxWidth = 0;
  for (let l = 0; l <= nLayers; l++) {
    maxWidth = max(maxWidth, load<i32>(sizesPtr + (<usize>l << 2)));
  }
  let delta = scratchPtr;
  let dPrev = scratchPtr + ((<usize>nSamples * <usize>maxWidth) << 3);
  const nLast = load<i32>(sizesPtr + (<usize>nLayers << 2));
  memory.copy(delta, dOutPtr, (<usize>nSamples * <usize>nLast) << 3);

  for (let l = nLayers - 1; l >= 0; l--) {
    const nIn = load<i32>(sizesPtr + (<usize>l << 2));
    const nOut = load<i32>(sizesPtr + (<usize>(l + 1) << 2));
    const rowIn = <usize>nIn << 3;
    const rowOut = <usize>nOut << 3;
    const pOff = paramOffset(sizesPtr, l) << 3;
    const wPtr = paramsPtr + pOff;
    const gwPtr = gradPtr + pOff;
    const gbPtr = gwPtr + <usize>nOut * rowIn;
    const inPtr = l == 0
      ? xPtr
      : actsPtr + ((actsOffset(sizesPtr, l - 1, nSamples) + <usize>nSamples * <usize>nIn) << 3);

    // dW[o, :] = sum_i delta[i, o] A[i, :], four samples at a time; db[o] = sum_i delta[i, o].
    memory.fill(gwPtr, 0, <usize>nOut * (rowIn + 8));
    for (let o = 0; o < nOut; o++) {
      const gwo = gwPtr + <usize>o * rowIn;
      const dCol = delta + (<usize>o << 3);
      let i = 0;
      let db = 0.0;
      for (; i + 4 <= nSamples; i += 4) {
        const d0 = load<f64>(dCol + <usize>i * rowOut);
        const d1 = load<f64>(dCol + <usize>(i + 1) * rowOut);
        const d2 = load<f64>(dCol + <usize>(i + 2) * rowOut);
        const d3 = load<f64>(dCol + <usize>(i + 3) * rowOut);
        const a0 = inPtr + <usize>i * rowIn;
        axpy4(d0, d1, d2, d3, a0, a0 + rowIn, a0 + 2 * rowIn, a0 + 3 * rowIn, gwo, nIn);
        db += d0 + d1 + d2 + d3;
      }
      for (; i < nSamples; i++) {
        const d = load<f64>(dCol + <usize>i * rowOut);
        axpy1(d, inPtr + <usize>i * rowIn, gwo, nIn);
        db += d;
      }
      store<f64>(gbPtr + (<usize>o << 3), db);
    }
    if (l == 0) break;

    // dA[i, :] = sum_o delta[i, o] W[o, :], then through SiLU of layer l - 1.
    const zPrev = actsPtr + (actsOffset(sizesPtr, l - 1, nSamples) << 3);
    memory.fill(dPrev, 0, <usize>nSamples * rowIn);
    for (let i = 0; i < nSamples; i++) {
      const di = delta + <usize>i * rowOut;
      const gi = dPrev + <usize>i * rowIn;
      let o = 0;
      for (; o + 4 <= nOut; o += 4) {
        const w0 = wPtr + <usize>o * rowIn;
        const dio = di + (<usize>o << 3);
        axpy4(
          load<f64>(dio), load<f64>(dio, 8), load<f64>(dio, 16), load<f64>(dio, 24),
          w0, w0 + rowIn, w0 + 2 * rowIn, w0 + 3 * rowIn, gi, nIn,
        );
      }
      for (; o < nOut; o++) {
        axpy1(load<f64>(di + (<usize>o << 3)), wPtr + <usize>o * rowIn, gi, nIn);
      }
      for (let k = 0; k < nIn; k++) {
        const z = load<f64>(zPrev + <usize>i * rowIn + (<usize>k << 3));
        const s = sigmoid(z);
        const g = gi + (<usize>k << 3);
        store<f64>(g, load<f64>(g) * (s * (1.0 + z * (1.0 - s))));
      }
    }
    const t = delta;
    delta = dPrev;
    dPrev = t;
  }
}

/**
 * One Adam update (Kingma & Ba 2015, Algorithm 1) of n parameters in place:
 * m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2,
 * p -= lr (m / c1) / (sqrt(v / c2) + eps) with the bias corrections
 * c1 = 1 - b1^step and c2 = 1 - b2^step passed in (the caller computes the
 * powers, so both twins use the same ones). Same operations, same order as
 * the twin: bit-identical.
 */
export function mlpAdam(
  paramsPtr: usize,
  gradPtr: usize,
  mPtr: usize,
  vPtr: usize,
  n: i32,
  learningRate: f64,
  beta1: f64,
  beta2: f64,
  epsilon: f64,
  correction1: f64,
  correction2: f64,
): void {
  let p = 0;
  if (ASC_FEATURE_SIMD) {
    const b1 = f64x2.splat(beta1);
    const b2 = f64x2.splat(beta2);
    const a1 = f64x2.splat(1.0 - beta1);
    const a2 = f64x2.splat(1.0 - beta2);
    const c1 = f64x2.splat(correction1);
    const c2 = f64x2.splat(correction2);
    const lr = f64x2.splat(learningRate);
    const eps = f64x2.splat(epsilon);
    for (; p + 2 <= n; p += 2) {
      const o = <usize>p << 3;
      const g = v128.load(gradPtr + o);
      const m = f64x2.add(f64x2.mul(b1, v128.load(mPtr + o)), f64x2.mul(a1, g));
      const v = f64x2.add(f64x2.mul(b2, v128.load(vPtr + o)), f64x2.mul(a2, f64x2.mul(g, g)));
      v128.store(mPtr + o, m);
      v128.store(vPtr + o, v);
      const step = f64x2.div(
        f64x2.mul(lr, f64x2.div(m, c1)),
        f64x2.add(f64x2.sqrt(f64x2.div(v, c2)), eps),
      );
      v128.store(paramsPtr + o, f64x2.sub(v128.load(paramsPtr + o), step));
    }
  }
  for (; p < n; p++) {
    const o = <usize>p << 3;
    const g = load<f64>(gradPtr + o);
    const m = beta1 * load<f64>(mPtr + o) + (1.0 - beta1) * g;
    const v = beta2 * load<f64>(vPtr + o) + (1.0 - beta2) * (g * g);
    store<f64>(mPtr + o, m);
    store<f64>(vPtr + o, v);
    const step = (learningRate * (m / correction1)) / (Math.sqrt(v / correction2) + epsilon);
    store<f64>(paramsPtr + o, load<f64>(paramsPtr + o) - step);
  }
}

/**
 * One training step on the mean squared error: forward on X, loss
 * mean((out - target)^2) over nSamples x sizes[nLayers] values, backward,
 * then `mlpAdam`. Returns the loss before the update. `gradPtr` and
 * `scratchPtr` as for `mlpBackward`; `dOutPtr` holds nSamples x
 * sizes[nLayers] f64 of scratch.
 */
export function mlpTrainStep(
  paramsPtr: usize,
  sizesPtr: usize,
  nLayers: i32,
  nParams: i32,
  xPtr: usize,
  targetPtr: usize,
  nSamples: i32,
  actsPtr: usize,
  dOutPtr: usize,
  gradPtr: usize,
  scratchPtr: usize,
  mPtr: usize,
  vPtr: usize,
  learningRate: f64,
  beta1: f64,
  beta2: f64,
  epsilon: f64,
  correction1: f64,
  correction2: f64,
): f64 {
  mlpForward(paramsPtr, sizesPtr, nLayers, xPtr, nSamples, actsPtr);
  const nOut = load<i32>(sizesPtr + (<usize>nLayers << 2));
  const n = <usize>nSamples * <usize>nOut;
  const outPtr = actsPtr + ((actsOffset(sizesPtr, nLayers, nSamples) - n) << 3);

  // Loss and dLoss/dOut = 2 (out - target) / n.
  const scale = n > 0 ? 2.0 / <f64>n : 0.0;
  let loss = 0.0;
  for (let p: usize = 0; p < n; p++) {
    const r = load<f64>(outPtr + (p << 3)) - load<f64>(targetPtr + (p << 3));
    loss += r * r;
    store<f64>(dOutPtr + (p << 3), scale * r);
  }

  mlpBackward(paramsPtr, sizesPtr, nLayers, xPtr, nSamples, actsPtr, dOutPtr, gradPtr, scratchPtr);
  mlpAdam(
    paramsPtr, gradPtr, mPtr, vPtr, nParams, learningRate, beta1, beta2,
    epsilon, correction1, correction2,
  );
  return n > 0 ? loss / <f64>n : 0.0;
}
