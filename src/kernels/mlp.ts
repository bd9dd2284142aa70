/**
 * A multilayer perceptron (dense layers, SiLU between them, linear output),
 * the TypeScript twin of assembly/mlp.ts: same names, same argument order,
 * arrays in place of pointers.
 *
 * `sizes` holds nLayers + 1 widths. Layer l's parameters are W (sizes[l+1] x
 * sizes[l], row-major) then b (sizes[l+1]), layer after layer. `acts` holds
 * per layer Z then A (each nSamples x sizes[l+1]); the output is its last
 * nSamples x sizes[nLayers] values.
 */

/** Number of parameters of a network with these layer widths. */
export function mlpParamCount(sizes: ArrayLike<number>): number {
  let n = 0;
  for (let l = 0; l + 1 < sizes.length; l++) n += sizes[l + 1] * (sizes[l] + 1);
  return n;
}

/** Length of `acts` for nSamples rows: 2 nSamples sum_{l >= 1} sizes[l]. */
export function mlpActsLength(
  sizes: ArrayLike<number>,
  nSamples: number,
): number {
  let n = 0;
  for (let l = 1; l < sizes.length; l++) n += 2 * nSamples * sizes[l];
  return n;
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** Output of the network for X (nSamples x sizes[0]) into `acts`. */
export function mlpForward(
  params: Float64Array,
  sizes: Int32Array,
  nLayers: number,
  X: Float64Array,
  nSamples: number,
  acts: Float64Array,
): void {
  let w = 0;
  let input = X;
  let inOff = 0;
  let z = 0;
  for (let l = 0; l < nLayers; l++) {
    const nIn = sizes[l];
    const nOut = sizes[l + 1];
    const b = w + nOut * nIn;
    const a = z + nSamples * nOut;
    for (let i = 0; i < nSamples; i++) {
      for (let o = 0; o < nOut; o++) {
        let s = 0;
        for (let k = 0; k < nIn; k++) {
          s += input[inOff + i * nIn + k] * params[w + o * nIn + k];
        }
        const v = s + params[b + o];
        acts[z + i * nOut + o] = v;
        acts[a + i * nOut + o] = l === nLayers - 1 ? v : v * sigmoid(v);
      }
    }
    w = b + nOut;
    input = acts;
    inOff = a;
    z = a + nSamples * nOut;
  }
}

/**
 * Gradient of a loss with respect to every parameter by backpropagation,
 * given dOut (nSamples x sizes[nLayers]) and the `acts` of `mlpForward` on
 * the same X; overwrites `grad`. `scratch` holds 2 nSamples max(sizes).
 */
export function mlpBackward(
  params: Float64Array,
  sizes: Int32Array,
  nLayers: number,
  X: Float64Array,
  nSamples: number,
  acts: Float64Array,
  dOut: Float64Array,
  grad: Float64Array,
  scratch: Float64Array,
): void {
  const maxWidth = Math.max(...Array.from(sizes.subarray(0, nLayers + 1)));
  let delta = scratch.subarray(0, nSamples * maxWidth);
  let dPrev = scratch.subarray(nSamples * maxWidth, 2 * nSamples * maxWidth);
  delta.set(dOut.subarray(0, nSamples * sizes[nLayers]));
  const paramOff: number[] = [0];
  const actsOff: number[] = [0];
  for (let l = 0; l < nLayers; l++) {
    paramOff.push(paramOff[l] + sizes[l + 1] * (sizes[l] + 1));
    actsOff.push(actsOff[l] + 2 * nSamples * sizes[l + 1]);
  }

  for (let l = nLayers - 1; l >= 0; l--) {
    const nIn = sizes[l];
    const nOut = sizes[l + 1];
    const w = paramOff[l];
    const b = w + nOut * nIn;
    const input = l === 0 ? X : acts;
    const inOff = l === 0 ? 0 : actsOff[l - 1] + nSamples * nIn;

    // dW = delta^T A_in, db = column sums of delta.
    for (let o = 0; o < nOut; o++) {
      let db = 0;
      for (let k = 0; k < nIn; k++) grad[w + o * nIn + k] = 0;
      for (let i = 0; i < nSamples; i++) {
        const d = delta[i * nOut + o];
        db += d;
        for (let k = 0; k < nIn; k++) {
          grad[w + o * nIn + k] += d * input[inOff + i * nIn + k];
        }
      }
      grad[b + o] = db;
    }
    if (l === 0) break;

    // dA = delta W, then through SiLU'(z) = s (1 + z (1 - s)).
    const zPrev = actsOff[l - 1];
    for (let i = 0; i < nSamples; i++) {
      for (let k = 0; k < nIn; k++) {
        let s = 0;
        for (let o = 0; o < nOut; o++)
          s += delta[i * nOut + o] * params[w + o * nIn + k];
        const z = acts[zPrev + i * nIn + k];
        const sg = sigmoid(z);
        dPrev[i * nIn + k] = s * (sg * (1 + z * (1 - sg)));
      }
    }
    [delta, dPrev] = [dPrev, delta];
  }
}

/**
 * One Adam update in place (Kingma & Ba 2015): m = b1 m + (1 - b1) g,
 * v = b2 v + (1 - b2) g^2, p -= lr (m / c1) / (sqrt(v / c2) + eps), with the
 * bias corrections c1 = 1 - b1^step, c2 = 1 - b2^step passed in.
 */
export function mlpAdam(
  params: Float64Array,
  grad: Float64Array,
  m: Float64Array,
  v: Float64Array,
  n: number,
  learningRate: number,
  beta1: number,
  beta2: number,
  epsilon: number,
  correction1: number,
  correction2: number,
): void {
  for (let p = 0; p < n; p++) {
    const g = grad[p];
    const mp = beta1 * m[p] + (1 - beta1) * g;
    const vp = beta2 * v[p] + (1 - beta2) * (g * g);
    m[p] = mp;
    v[p] = vp;
    const step =
      (learningRate * (mp / correction1)) /
      (Math.sqrt(vp / correction2) + epsilon);
    params[p] = params[p] - step;
  }
}

/**
 * One step on the mean squared error between the output for X and
 * `target`: forward, loss, backward, Adam. Returns the loss before the
 * update. `dOut` is scratch for nSamples x sizes[nLayers] values.
 */
export function mlpTrainStep(
  params: Float64Array,
  sizes: Int32Array,
  nLayers: number,
  nParams: number,
  X: Float64Array,
  target: Float64Array,
  nSamples: number,
  acts: Float64Array,
  dOut: Float64Array,
  grad: Float64Array,
  scratch: Float64Array,
  m: Float64Array,
  v: Float64Array,
  learningRate: number,
  beta1: number,
  beta2: number,
  epsilon: number,
  correction1: number,
  correction2: number,
): number {
  mlpForward(params, sizes, nLayers, X, nSamples, acts);
  const n = nSamples * sizes[nLayers];
  const out = mlpActsLength(sizes.subarray(0, nLayers + 1), nSamples) - n;
  const scale = n > 0 ? 2 / n : 0;
  let loss = 0;
  for (let p = 0; p < n; p++) {
    const r = acts[out + p] - target[p];
    loss += r * r;
    dOut[p] = scale * r;
  }
  mlpBackward(params, sizes, nLayers, X, nSamples, acts, dOut, grad, scratch);
  mlpAdam(
    params,
    grad,
    m,
    v,
    nParams,
    learningRate,
    beta1,
    beta2,
    epsilon,
    correction1,
    correction2,
  );
  return n > 0 ? loss / n : 0;
}
