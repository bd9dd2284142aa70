// The demo page's logic: a plain ES module importing the package's browser
// entry by a relative URL, so it works wherever the package root is served
// (`wasmlearn demo` serves it). window.demo exposes the three experiments
// for the browser tests and for the console.
import * as wl from "../../dist/browser.js";
import { barChart, lineChart } from "./charts.js";

const $ = (id) => document.getElementById(id);
const pause = () => new Promise((done) => setTimeout(done, 0));

// --- Responsiveness: a spinner and frame counter drawn every frame --------

const heartbeat = { frames: 0, longestPauseMs: 0, busy: new Set(), last: 0 };

function beat(now) {
  if (heartbeat.busy.size > 0) {
    heartbeat.frames++;
    if (heartbeat.last)
      heartbeat.longestPauseMs = Math.max(
        heartbeat.longestPauseMs,
        now - heartbeat.last,
      );
    $("spinner").style.transform = `rotate(${(now / 3) % 360}deg)`;
    $("heartbeat-text").textContent =
      `working: ${[...heartbeat.busy].join(", ")}; ` +
      `${heartbeat.frames} frames drawn meanwhile, ` +
      `longest pause ${heartbeat.longestPauseMs.toFixed(0)} ms`;
  }
  heartbeat.last = now;
  requestAnimationFrame(beat);
}

/** Marks a task as running until the returned function is called. */
function busy(name) {
  if (heartbeat.busy.size === 0) {
    heartbeat.frames = 0;
    heartbeat.longestPauseMs = 0;
  }
  heartbeat.busy.add(name);
  document.body.classList.add("busy");
  return () => {
    heartbeat.busy.delete(name);
    if (heartbeat.busy.size > 0) return;
    document.body.classList.remove("busy");
    $("heartbeat-text").textContent =
      `idle; the last run drew ${heartbeat.frames} frames while working ` +
      `(longest pause ${heartbeat.longestPauseMs.toFixed(0)} ms)`;
  };
}

function setStatus(id, state, text) {
  const node = $(id);
  node.dataset.state = state;
  node.textContent = text;
}

/** Runs `work` with the section's status, button and heartbeat wired up. */
async function task(section, name, work) {
  const button = $(`${section}-run`);
  button.disabled = true;
  const done = busy(name);
  setStatus(`${section}-status`, "running", `${name}…`);
  try {
    const result = await work((text) =>
      setStatus(`${section}-status`, "running", text),
    );
    return result;
  } catch (err) {
    setStatus(`${section}-status`, "error", `error: ${err.message ?? err}`);
    throw err;
  } finally {
    done();
    button.disabled = false;
  }
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function fillTable(table, headers, rows) {
  table.replaceChildren();
  const head = table.createTHead().insertRow();
  for (const h of headers) {
    const th = document.createElement("th");
    th.textContent = h;
    head.append(th);
  }
  const body = table.createTBody();
  return rows.map(() => body.insertRow());
}

function int(id, min, max) {
  const raw = $(id).value;
  const v = Number(raw);
  if (raw.trim() === "" || !Number.isInteger(v) || v < min || v > max) {
    throw new RangeError(
      `${id.replace(/^\w+-/, "")} must be an integer from ${min} to ${max}, got "${raw}"`,
    );
  }
  return v;
}

// --- Capabilities -----------------------------------------------------------

async function showCapabilities() {
  const facts = {
    "Wasm core": "loaded",
    "logical cores (navigator.hardwareConcurrency)":
      navigator.hardwareConcurrency ?? "unknown",
    "cross-origin isolated (SharedArrayBuffer)": String(
      globalThis.crossOriginIsolated === true,
    ),
    "module Web Workers": String(typeof Worker === "function"),
  };
  if (typeof wl.capabilities === "function") {
    const caps = await wl.capabilities();
    for (const [k, v] of Object.entries(caps ?? {}))
      facts[`capabilities().${k}`] =
        typeof v === "object" ? JSON.stringify(v) : String(v);
  }
  const table = $("capabilities");
  table.replaceChildren();
  for (const [k, v] of Object.entries(facts)) {
    const row = table.insertRow();
    row.dataset.key = k;
    cell(row, k, "key");
    cell(row, String(v));
  }
  return facts;
}

// --- Fusion -----------------------------------------------------------------

let mfeat = null;

/**
 * The data sets and the split defaults of `wasmlearn fusion`: synthetic
 * data keeps the course's head split (first 800 rows train), files use a
 * seeded stratified 75/25 split.
 */
const FUSION_DATA = {
  synthetic: {
    load: (seed) => wl.makeMultimodal({ nSamples: 1000, seed }),
    testSize: 0.2,
    split: "head",
  },
  mfeat: {
    load: () =>
      (mfeat ??= wl.fetchMfeat().catch((err) => {
        mfeat = null;
        throw err;
      })),
    testSize: 0.25,
    split: "stratified",
  },
};

const MODEL_TITLES = {
  logistic: "logistic regression",
  forest: "random forest",
};

/**
 * Runs the fusion experiment with `wasmlearn fusion`'s defaults and shows
 * the table and chart.
 * @param o {dataset, model: "logistic"|"forest"|"both", seed, trees, jobs, backend}
 */
async function runFusionDemo(o) {
  return task("fusion", `fusion on ${o.dataset}`, async (status) => {
    const spec = FUSION_DATA[o.dataset];
    if (!spec) throw new RangeError(`unknown data set ${o.dataset}`);
    status(`loading ${o.dataset}…`);
    const data = await spec.load(o.seed);
    const models = o.model === "both" ? ["logistic", "forest"] : [o.model];
    const t0 = performance.now();
    const result = await wl.runFusionAsync(data, {
      models,
      nEstimators: o.trees,
      backend: o.backend,
      seed: o.seed,
      testSize: spec.testSize,
      split: spec.split,
      crossK: 3,
      scale: true,
      maxIter: 1000,
      C: 1,
      nJobs: o.jobs,
      onProgress: status,
    });
    const seconds = (performance.now() - t0) / 1000;
    showFusion(result, models, seconds);
    // with one job the trees grow on this page; with more, in that many
    // Web Workers (never more than there are trees)
    const jobs = Math.min(o.jobs, o.trees ?? o.jobs);
    const workers = !models.includes("forest")
      ? ""
      : jobs <= 1
        ? " (forests grown on this page: choose 2 workers or more to keep it responsive)"
        : ` (forests in ${jobs} Web Workers)`;
    setStatus(
      "fusion-status",
      "done",
      `done in ${seconds.toFixed(2)} s${workers}`,
    );
    return result;
  });
}

function showFusion(result, models, seconds) {
  const views = result.modalities
    .map((m) => `${m.name} ${m.nFeatures}`)
    .join(", ");
  $("fusion-summary").textContent =
    `${result.dataset}: ${result.modalities.length} modalities (${views} features), ` +
    `${result.classes.length} classes; ${models.map((m) => MODEL_TITLES[m]).join(" and ")} ` +
    `(${result.backend} kernels), ${result.nTrain} train / ${result.nTest} test rows ` +
    `(${result.split} split, seed ${result.seed}); always predicting the majority ` +
    `class scores ${result.majority.toFixed(4)}`;

  const best = Math.max(...result.results.map((r) => r.accuracy));
  const table = $("fusion-table");
  const rows = fillTable(
    table,
    ["method", "model", "features", "accuracy", "time ms"],
    result.results,
  );
  result.results.forEach((r, i) => {
    const row = rows[i];
    row.dataset.method = r.method;
    row.dataset.model = r.model;
    row.dataset.accuracy = String(r.accuracy);
    cell(row, r.method);
    cell(row, r.model);
    cell(row, String(r.nFeatures), "num");
    cell(
      row,
      r.accuracy.toFixed(4) + (r.accuracy === best ? " *" : ""),
      "num accuracy",
    );
    cell(row, r.ms.toFixed(1), "num");
  });
  const caption = table.createCaption();
  caption.textContent = `test accuracy; * best; ${seconds.toFixed(2)} s in all`;

  const methods = [...new Set(result.results.map((r) => r.method))];
  const min = Math.min(
    result.majority,
    ...result.results.map((r) => r.accuracy),
  );
  const chart = barChart(
    methods.map((method) => ({
      label: method,
      values: models.map(
        (m) =>
          result.results.find((r) => r.method === method && r.model === m)
            .accuracy,
      ),
    })),
    models.map((m) => MODEL_TITLES[m]),
    {
      min: Math.floor(min * 20) / 20,
      max: 1,
      xLabel: "test accuracy",
      title: `Fusion on ${result.dataset}, seed ${result.seed}`,
    },
  );
  $("fusion-chart").replaceChildren(chart);
}

function fusionFromForm() {
  return {
    dataset: $("fusion-dataset").value,
    model: $("fusion-model").value,
    seed: int("fusion-seed", 0, 2 ** 32 - 1),
    trees: int("fusion-trees", 1, 1000),
    jobs: int("fusion-jobs", 1, 16),
    backend: $("fusion-backend").value,
  };
}

// --- Diffusion --------------------------------------------------------------

/** Trains in a Web Worker, then samples here and draws the signals. */
async function trainDiffusion(o) {
  return task("diffusion", "training a noise predictor", async (status) => {
    const worker = new Worker(
      new URL("./diffusion-worker.js", import.meta.url),
      {
        type: "module",
        name: "wasmlearn-diffusion",
      },
    );
    let trained;
    try {
      trained = await new Promise((resolve, reject) => {
        worker.onmessage = ({ data }) => {
          if (data.type === "epoch") {
            status(
              `epoch ${data.epoch}/${o.epochs}, loss ${data.loss.toFixed(4)} (in a Web Worker)`,
            );
          } else if (data.type === "done") resolve(data);
          else reject(new Error(data.message));
        };
        worker.onerror = (event) => {
          event.preventDefault();
          reject(new Error(event.message || "the diffusion worker failed"));
        };
        worker.postMessage({
          signals: o.signals,
          epochs: o.epochs,
          hidden: o.hidden,
          steps: 100,
          seed: o.seed,
          backend: "wasm",
        });
      });
    } finally {
      worker.terminate();
    }

    status("sampling…");
    await pause();
    const model = wl.NoisePredictor.fromJSON(trained.model);
    const n = 4;
    const samples = model.sample({ n, seed: o.seed + 1, sampler: "ddpm" });
    const L = samples.cols;
    const noise = new wl.Rng(o.seed + 2).fillNormal(n * L);
    const quality = wl.meanSineResidual(samples.data, L).residual;
    const noiseQuality = wl.meanSineResidual(noise, L).residual;
    const example = wl.makeSines(1, o.seed + 3).data;
    showDiffusion(trained, samples, example, o);
    setStatus(
      "diffusion-status",
      "done",
      `trained ${trained.nSteps} Adam step${trained.nSteps === 1 ? "" : "s"} in ${trained.seconds.toFixed(1)} s in a Web Worker; ` +
        `sine residual of ${n} samples ${quality.toFixed(3)} against ${noiseQuality.toFixed(3)} for pure noise`,
    );
    return {
      losses: trained.losses,
      samples: Array.from({ length: n }, (_, i) =>
        Array.from(samples.data.subarray(i * L, (i + 1) * L)),
      ),
      residual: quality,
      noiseResidual: noiseQuality,
    };
  });
}

function showDiffusion(trained, samples, example, o) {
  const L = samples.cols;
  const charts = [
    lineChart(
      [
        {
          name: "loss",
          values: trained.losses,
          xs: trained.losses.map((_, i) => i + 1),
        },
      ],
      {
        title: "training loss (mean per epoch)",
        xLabel: "epoch",
        yLabel: "loss",
      },
    ),
    lineChart([{ name: "a training signal", values: Array.from(example) }], {
      title: "a training signal (random sine)",
      xLabel: "position",
      yLabel: "value",
    }),
  ];
  for (let i = 0; i < samples.rows; i++) {
    const values = Array.from(samples.data.subarray(i * L, (i + 1) * L));
    charts.push(
      lineChart([{ name: `sample ${i + 1}`, values }], {
        title: `sample ${i + 1} of ${samples.rows} (DDPM)`,
        xLabel: "position",
        yLabel: "value",
      }),
    );
  }
  $("diffusion-charts").replaceChildren(...charts);
}

function diffusionFromForm() {
  return {
    signals: int("diffusion-signals", 64, 100_000),
    epochs: int("diffusion-epochs", 1, 10_000),
    hidden: int("diffusion-hidden", 8, 1024),
    seed: int("diffusion-seed", 0, 2 ** 31 - 1),
  };
}

// --- Benchmark --------------------------------------------------------------

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The cases: each makes a function that runs once on a backend. */
function benchCases() {
  const square = (n, seed) => new wl.Rng(seed).fillNormal(n * n);
  const problem = wl.makeClassification({
    nSamples: 2000,
    nFeatures: 20,
    randomState: 0,
  });
  return [64, 128, 256]
    .map((n) => {
      const a = square(n, 1);
      const b = square(n, 2);
      return {
        kernel: "matmul",
        size: `${n}x${n}x${n}`,
        make: (backend) => () => wl.getBackend(backend).matmul(a, b, n, n, n),
      };
    })
    .concat([
      {
        kernel: "logistic-fit",
        size: "2000x20",
        make: (backend) => () =>
          new wl.LogisticRegression({ backend }).fit(problem.X, problem.y),
      },
      {
        kernel: "forest-fit",
        size: "2000x20, 10 trees",
        make: (backend) => () =>
          new wl.RandomForestClassifier({
            backend,
            nEstimators: 10,
            randomState: 0,
          }).fit(problem.X, problem.y),
      },
    ]);
}

/** Median ms per run over `repeats` batches, each at least ~20 ms long. */
async function time(fn, repeats) {
  const t0 = performance.now();
  fn();
  const once = Math.max(performance.now() - t0, 0.05);
  const batch = Math.max(1, Math.ceil(20 / once));
  const samples = [];
  for (let r = 0; r < repeats; r++) {
    await pause();
    const start = performance.now();
    for (let k = 0; k < batch; k++) fn();
    samples.push((performance.now() - start) / batch);
  }
  return median(samples);
}

async function runBench(o) {
  return task("bench", "benchmark", async (status) => {
    const rows = [];
    for (const c of benchCases()) {
      const ms = {};
      for (const backend of ["wasm", "ts"]) {
        status(`${c.kernel} ${c.size} on ${backend}…`);
        await pause();
        ms[backend] = await time(c.make(backend), o.repeats);
      }
      rows.push({
        kernel: c.kernel,
        size: c.size,
        wasmMs: ms.wasm,
        tsMs: ms.ts,
        wasmOverTs: ms.ts / ms.wasm,
      });
    }
    showBench(rows);
    setStatus(
      "bench-status",
      "done",
      `done: median of ${o.repeats} timed batches per case`,
    );
    return rows;
  });
}

function showBench(rows) {
  const trs = fillTable(
    $("bench-table"),
    ["kernel", "size", "wasm ms", "ts ms", "speed-up (ts / wasm)"],
    rows,
  );
  rows.forEach((r, i) => {
    trs[i].dataset.kernel = r.kernel;
    cell(trs[i], r.kernel);
    cell(trs[i], r.size);
    cell(trs[i], r.wasmMs.toPrecision(3), "num");
    cell(trs[i], r.tsMs.toPrecision(3), "num");
    cell(trs[i], `${r.wasmOverTs.toFixed(2)}x`, "num");
  });
  const top = Math.max(1, ...rows.map((r) => r.wasmOverTs));
  $("bench-chart").replaceChildren(
    barChart(
      rows.map((r) => ({
        label: `${r.kernel} ${r.size.split(",")[0]}`,
        values: [r.wasmOverTs],
      })),
      ["speed-up"],
      {
        min: 0,
        max: Math.ceil(top),
        xLabel: "speed-up of Wasm over TypeScript (x)",
        title: "TS time / Wasm time (1 = the same speed)",
        digits: 2,
      },
    ),
  );
}

// --- Wiring -----------------------------------------------------------------

/** Runs the section's experiment on submit; errors go to its status line. */
function onSubmit(section, run) {
  $(`${section}-form`).addEventListener("submit", (event) => {
    event.preventDefault();
    run().catch((err) =>
      setStatus(`${section}-status`, "error", `error: ${err.message ?? err}`),
    );
  });
}

async function start() {
  requestAnimationFrame(beat);
  await wl.ready();
  $("heartbeat-text").textContent = "ready";
  await showCapabilities();
  onSubmit("fusion", async () => runFusionDemo(fusionFromForm()));
  onSubmit("diffusion", async () => trainDiffusion(diffusionFromForm()));
  onSubmit("bench", async () =>
    runBench({ repeats: int("bench-repeats", 1, 50) }),
  );
}

const ready = start();
ready.catch((err) => {
  $("heartbeat-text").textContent = `cannot start: ${err.message ?? err}`;
  document.body.classList.add("failed");
});

window.demo = {
  ready,
  runFusion: runFusionDemo,
  trainDiffusion,
  runBench,
  heartbeat,
};
