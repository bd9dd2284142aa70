/**
 * Wasm wrappers of the perceptron kernels (assembly/mlp.ts) for one-shot
 * calls: the network's output and its parameter gradient. Training keeps
 * everything resident instead (src/wasm/diffusion.ts).
 */
import type { Matrix } from "../data/matrix.js";
import { checkNetwork } from "../diffusion/session.js";
import { mlpActsLength } from "../kernels/mlp.js";
import { type WasmArena, withArena } from "./memory.js";

/** Copies i32 values into a new allocation; returns the pointer. */
export function copyInI32(
  arena: WasmArena,
  src: Int32Array,
  what: string,
): number {
  const ptr = arena.alloc(4 * src.length, what);
  new Int32Array(arena.exports.memory.buffer, ptr, src.length).set(src);
  return ptr;
}

/**
 * Output of the network `sizes`/`params` for X (nSamples x sizes[0]);
 * returns nSamples x sizes[last]. Copies everything in and out.
 * @throws RangeError when shapes disagree
 */
export function mlpForward(
  sizes: Int32Array,
  params: Float64Array,
  X: Matrix,
): Float64Array {
  checkNetwork(sizes, params, X);
  return withArena("mlpForward", (arena) => {
    const nActs = mlpActsLength(sizes, X.rows);
    const sizesPtr = copyInI32(arena, sizes, "layer sizes");
    const pPtr = arena.copyIn(params, "parameters");
    const xPtr = arena.copyIn(X.data, "matrix X");
    const actsPtr = arena.allocF64(nActs, "activations");
    arena.exports.mlpForward(
      pPtr,
      sizesPtr,
      sizes.length - 1,
      xPtr,
      X.rows,
      actsPtr,
    );
    const nOut = X.rows * sizes[sizes.length - 1];
    return arena.copyOutF64(actsPtr + 8 * (nActs - nOut), nOut);
  });
}

/**
 * Gradient with respect to the parameters of sum(dOut * output) for X,
 * i.e. backpropagation of dOut (nSamples x sizes[last]).
 * @throws RangeError when shapes disagree
 */
export function mlpGradient(
  sizes: Int32Array,
  params: Float64Array,
  X: Matrix,
  dOut: Float64Array,
): Float64Array {
  checkNetwork(sizes, params, X, dOut);
  return withArena("mlpBackward", (arena) => {
    const nLayers = sizes.length - 1;
    const sizesPtr = copyInI32(arena, sizes, "layer sizes");
    const pPtr = arena.copyIn(params, "parameters");
    const xPtr = arena.copyIn(X.data, "matrix X");
    const actsPtr = arena.allocF64(mlpActsLength(sizes, X.rows), "activations");
    const dPtr = arena.copyIn(dOut, "output gradient");
    const gPtr = arena.allocF64(params.length, "gradient");
    const sPtr = arena.allocF64(
      2 * X.rows * Math.max(...sizes),
      "backprop scratch",
    );
    const ex = arena.exports;
    ex.mlpForward(pPtr, sizesPtr, nLayers, xPtr, X.rows, actsPtr);
    ex.mlpBackward(
      pPtr,
      sizesPtr,
      nLayers,
      xPtr,
      X.rows,
      actsPtr,
      dPtr,
      gPtr,
      sPtr,
    );
    return arena.copyOutF64(gPtr, params.length);
  });
}
