// Trains a diffusion noise predictor off the page's main thread. The page
// posts the training settings; this worker answers with a progress message
// per epoch and, at the end, the model as JSON (NoisePredictor.toJSON),
// which the page restores with NoisePredictor.fromJSON to sample from it.
import * as wl from "../../dist/browser.js";

self.onmessage = async ({ data: settings }) => {
  try {
    await wl.ready();
    const { signals, epochs, hidden, steps, seed, backend } = settings;
    const train = wl.makeSines(signals, seed);
    const result = wl.trainNoisePredictor(train, {
      schedule: "cosine",
      nTimesteps: steps,
      epochs,
      hiddenSizes: [hidden, hidden],
      learningRate: 3e-3,
      // a short run: an average over the last ~100 steps, not ~1000
      emaDecay: 0.99,
      seed,
      backend,
      onEpoch: (epoch, loss) =>
        self.postMessage({ type: "epoch", epoch, loss }),
    });
    self.postMessage({
      type: "done",
      model: result.model.toJSON(),
      losses: result.losses,
      nSteps: result.nSteps,
      seconds: result.seconds,
    });
  } catch (err) {
    self.postMessage({ type: "error", message: String(err?.message ?? err) });
  }
};
