/**
 * Wasm wrappers of the diffusion kernels (assembly/diffusion.ts), and the
 * Wasm backend's resident {@link DiffusionSession}: the schedule, the
 * network with its Adam state, the time embedding, the training signals and
 * the generator state are copied into Wasm memory once; a training step
 * sends only the batch's row indices in and the loss out, and a reverse
 * loop copies x in and the result out once, whatever its number of steps.
 */
import type { Matrix } from "../data/matrix.js";
import type { ReverseStep } from "../diffusion/samplers.js";
import {
  ADAM,
  checkPredictNoise,
  checkTrainStep,
  checkQSample,
  checkReverse,
  checkSessionOptions,
  moveAverage,
  preconditionBatch,
  preconditionInput,
  preconditionOutput,
  type DiffusionSession,
  type DiffusionSessionOptions,
  type ReverseOptions,
} from "../diffusion/session.js";
import { mlpActsLength } from "../kernels/mlp.js";
import { wasm } from "./load.js";
import { WasmArena, withArena } from "./memory.js";
import { copyInI32 } from "./mlp.js";

/** q(x_t | x_0) for each row of x0 at its own t[i]; one-shot. */
export function diffusionQSample(
  x0: Matrix,
  t: Int32Array,
  noise: Float64Array,
  sqrtAbar: Float64Array,
  sqrtOneMinusAbar: Float64Array,
): Float64Array {
  checkQSample(x0, t, noise, sqrtAbar, sqrtOneMinusAbar);
  return withArena("diffusionQSample", (arena) => {
    const x0Ptr = arena.copyIn(x0.data, "signals x0");
    const tPtr = copyInI32(arena, t, "timesteps");
    const nPtr = arena.copyIn(noise, "noise");
    const aPtr = arena.copyIn(sqrtAbar, "sqrt(abar)");
    const bPtr = arena.copyIn(sqrtOneMinusAbar, "sqrt(1 - abar)");
    const outPtr = arena.allocF64(x0.data.length, "x_t");
    arena.exports.diffusionQSample(
      x0Ptr,
      tPtr,
      nPtr,
      aPtr,
      bPtr,
      x0.rows,
      x0.cols,
      outPtr,
    );
    return arena.copyOutF64(outPtr, x0.data.length);
  });
}

/** Buffers of one training batch size, kept until the size changes. */
interface BatchBuffers {
  arena: WasmArena;
  size: number;
  indices: number;
  t: number;
  uniform: number;
  noise: number;
  input: number;
  acts: number;
  dOut: number;
  scratch: number;
}

/**
 * A session resident in Wasm memory (see {@link DiffusionSession}). Holds
 * about 8 (4 nParams + nSignals length + T embedDim) bytes until `dispose()`.
 * @throws WasmMemoryError when the data cannot fit in Wasm memory
 */
export function diffusionSession(
  options: DiffusionSessionOptions,
): DiffusionSession {
  const T = checkSessionOptions(options);
  const { length, network, data } = options;
  const arena = new WasmArena();
  let batch: BatchBuffers | null = null;
  try {
    const ex = arena.exports;
    const aPtr = arena.copyIn(options.sqrtAbar, "sqrt(abar)");
    const bPtr = arena.copyIn(options.sqrtOneMinusAbar, "sqrt(1 - abar)");
    const state = arena.alloc(16, "generator state");
    ex.rngSeed(state, options.seed >>> 0);
    const sizes = network ? network.sizes : new Int32Array(0);
    const nLayers = sizes.length - 1;
    const nParams = network ? network.params.length : 0;
    const maxWidth = network ? Math.max(...sizes) : 0;
    const E = network ? network.embedDim : 0;
    const sizesPtr = copyInI32(arena, sizes, "layer sizes");
    const pPtr = arena.copyIn(network ? network.params : [], "parameters");
    const mPtr = arena.allocF64(nParams, "Adam first moments");
    const vPtr = arena.allocF64(nParams, "Adam second moments");
    const gPtr = arena.allocF64(nParams, "gradient");
    arena.f64(mPtr, nParams).fill(0);
    arena.f64(vPtr, nParams).fill(0);
    const embedPtr = arena.copyIn(
      network ? network.embedding : [],
      "time embedding",
    );
    const dataPtr = arena.copyIn(data ? data.data : [], "training signals");
    let adamStep = 0;

    const checkAlive = () => {
      if (wasm() !== ex) {
        throw new Error(
          "the wasm instance was reset after a trap: create a new session",
        );
      }
    };

    const batchBuffers = (B: number): BatchBuffers => {
      if (batch && batch.size === B) return batch;
      batch?.arena.free();
      batch = null;
      const a = new WasmArena();
      try {
        batch = {
          arena: a,
          size: B,
          indices: a.alloc(4 * B, "batch indices"),
          t: a.alloc(4 * B, "batch timesteps"),
          uniform: a.allocF64(B, "batch uniforms"),
          noise: a.allocF64(B * length, "batch noise"),
          input: a.allocF64(B * (length + E), "batch input"),
          acts: a.allocF64(mlpActsLength(sizes, B), "activations"),
          dOut: a.allocF64(B * length, "output gradient"),
          scratch: a.allocF64(2 * B * maxWidth, "backprop scratch"),
        };
      } catch (err) {
        a.free();
        throw err;
      }
      return batch;
    };

    /**
     * The noise estimate for x (nSamples rows) at timesteps tPtr into
     * epsPtr (which may be 0 for a bare network: then the estimate stays
     * in acts). Returns the estimate's pointer.
     */
    const predict = (
      xPtr: number,
      tPtr: number,
      nSamples: number,
      inputPtr: number,
      actsPtr: number,
      epsPtr: number,
    ): number => {
      const p = network!.precondition;
      const n = nSamples * length;
      ex.diffusionModelInput(
        xPtr,
        tPtr,
        nSamples,
        length,
        embedPtr,
        E,
        inputPtr,
      );
      const t = () => new Int32Array(ex.memory.buffer, tPtr, nSamples);
      if (p) {
        const input = new Float64Array(
          ex.memory.buffer,
          inputPtr,
          nSamples * (length + E),
        );
        preconditionInput(input, length + E, t(), p, nSamples, length);
      }
      ex.mlpForward(pPtr, sizesPtr, nLayers, inputPtr, nSamples, actsPtr);
      const outPtr = actsPtr + 8 * (mlpActsLength(sizes, nSamples) - n);
      if (!p) return outPtr;
      const view = (ptr: number) => new Float64Array(ex.memory.buffer, ptr, n);
      preconditionOutput(
        view(epsPtr),
        view(outPtr),
        view(xPtr),
        t(),
        p,
        nSamples,
        length,
      );
      return epsPtr;
    };

    return {
      trainStep(indices: Int32Array, learningRate: number): number {
        const { network, data } = checkTrainStep(options, indices);
        checkAlive();
        const B = indices.length;
        const buf = batchBuffers(B);
        new Int32Array(ex.memory.buffer, buf.indices, B).set(indices);
        ex.diffusionTrainBatch(
          dataPtr,
          length,
          buf.indices,
          B,
          T,
          aPtr,
          bPtr,
          embedPtr,
          E,
          state,
          buf.t,
          buf.uniform,
          buf.noise,
          buf.input,
        );
        const p = network.precondition;
        if (p) {
          const buffer = ex.memory.buffer;
          preconditionBatch(
            new Float64Array(buffer, buf.input, B * (length + E)),
            new Float64Array(buffer, buf.noise, B * length),
            length + E,
            new Int32Array(buffer, buf.t, B),
            p,
            B,
            length,
          );
        }
        adamStep++;
        return ex.mlpTrainStep(
          pPtr,
          sizesPtr,
          nLayers,
          nParams,
          buf.input,
          buf.noise,
          B,
          buf.acts,
          buf.dOut,
          gPtr,
          buf.scratch,
          mPtr,
          vPtr,
          learningRate,
          ADAM.beta1,
          ADAM.beta2,
          ADAM.epsilon,
          1 - ADAM.beta1 ** adamStep,
          1 - ADAM.beta2 ** adamStep,
        );
      },
      predictNoise(xt: Float64Array, t: Int32Array): Float64Array {
        checkPredictNoise(options, T, xt, t);
        checkAlive();
        const n = t.length;
        return withArena("predictNoise", (w) => {
          const xPtr = w.copyIn(xt, "signals x_t");
          const tPtr = copyInI32(w, t, "timesteps");
          const inputPtr = w.allocF64(n * (length + E), "model input");
          const actsPtr = w.allocF64(mlpActsLength(sizes, n), "activations");
          const epsPtr = w.allocF64(n * length, "noise estimate");
          const outPtr = predict(xPtr, tPtr, n, inputPtr, actsPtr, epsPtr);
          return w.copyOutF64(outPtr, n * length);
        });
      },
      reverse(
        x: Float64Array,
        steps: readonly ReverseStep[],
        o: ReverseOptions,
      ) {
        const nSamples = checkReverse(x, length, T, steps, o, Boolean(network));
        checkAlive();
        const n = x.length;
        const clip = o.clip ?? Infinity;
        return withArena("diffusion reverse", (w) => {
          const xPtr = w.copyIn(x, "signals x");
          const x0Ptr =
            o.source === "oracle" ? w.copyIn(o.x0!, "signals x0") : 0;
          const epsPtr = w.allocF64(n, "noise estimate");
          const zPtr = w.allocF64(n, "step noise");
          w.f64(zPtr, n).fill(0);
          const tPtr = w.alloc(4 * nSamples, "timesteps");
          const model = o.source === "model";
          const inputPtr = model
            ? w.allocF64(nSamples * (length + E), "model input")
            : 0;
          const actsPtr = model
            ? w.allocF64(mlpActsLength(sizes, nSamples), "activations")
            : 0;
          const stepState = w.alloc(16, "step generator state");
          ex.rngSeed(stepState, o.seed >>> 0);
          for (const step of steps) {
            let eps = epsPtr;
            if (o.source === "oracle") {
              ex.diffusionOracleNoise(
                xPtr,
                x0Ptr,
                n,
                step.sqrtAbar,
                step.sqrtOneMinusAbar,
                epsPtr,
              );
            } else if (o.source === "fresh") {
              ex.rngNormal(stepState, epsPtr, n);
            } else {
              new Int32Array(ex.memory.buffer, tPtr, nSamples).fill(step.t);
              eps = predict(xPtr, tPtr, nSamples, inputPtr, actsPtr, epsPtr);
            }
            if (step.sigma > 0) ex.rngNormal(stepState, zPtr, n);
            const kernel =
              step.sampler === "ddim"
                ? ex.diffusionDdimStep
                : ex.diffusionDdpmStep;
            kernel(
              xPtr,
              eps,
              zPtr,
              n,
              step.sqrtAbar,
              step.sqrtOneMinusAbar,
              step.c1,
              step.c2,
              step.sigma,
              clip,
              xPtr,
            );
          }
          return w.copyOutF64(xPtr, n);
        });
      },
      averageParams(average: Float64Array, decay: number): void {
        checkAlive();
        moveAverage(average, arena.f64(pPtr, nParams), decay);
      },
      params(): Float64Array {
        checkAlive();
        return arena.copyOutF64(pPtr, nParams);
      },
      dispose() {
        (batch as BatchBuffers | null)?.arena.free();
        batch = null;
        arena.free();
      },
    };
  } catch (err) {
    arena.free();
    throw err;
  }
}
