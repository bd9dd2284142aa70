/**
 * The course's diffusion demo, done right and compared with the course's
 * own reverse loop: noise one noisy sine forward, then run the reverse
 * process (a) with the exact noise consistent with each x_t (the oracle
 * predictor), which must give x_0 back, and (b) as the course does, with a
 * fresh standard normal draw passed off as the "predicted" noise at every
 * step, which is no prediction at all.
 */
import { getBackend, type BackendName } from "../backend.js";
import { matrix } from "../data/matrix.js";
import { Rng } from "../kernels/rng.js";
import { checkInteger } from "../models/validation.js";
import { reversePlan } from "./samplers.js";
import { makeSchedule, type ScheduleKind } from "./schedule.js";
import { courseSignal } from "./signals.js";

/** Options of {@link runCourseDemo}. */
export interface CourseDemoOptions {
  /** default "linear" (1e-4 to 0.02, the course's) */
  schedule?: ScheduleKind;
  /** T; default 50, the course's */
  steps?: number;
  /** seed of the signal's noise and of every draw; default 42 */
  seed?: number;
  backend?: BackendName;
}

/** One drawn signal of the demo. */
export interface DemoSignal {
  name: string;
  /** the timestep of a forward sample, null otherwise */
  t: number | null;
  values: number[];
}

/** What {@link runCourseDemo} returns. */
export interface CourseDemoResult {
  schedule: ScheduleKind;
  steps: number;
  seed: number;
  backend: BackendName;
  /** timesteps of the forward samples shown: 0, T/5, T/2, T - 1 */
  timesteps: number[];
  /** 1 - abar_{T-1}: the share of x_{T-1}'s variance that is noise */
  finalNoiseShare: number;
  /** reverse process with the exact noise: MSE against x_0 */
  oracle: { mse: number };
  /** the course's loop, fresh noise as the prediction: MSE against x_0 */
  courseVariant: { mse: number };
  /** reconstructing x_0 as all zeros, for scale: mean(x_0^2) */
  zeros: { mse: number };
  signals: DemoSignal[];
}

function mse(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += (a[k] - b[k]) ** 2;
  return s / a.length;
}

/**
 * Runs the demo. The oracle run is DDPM with the posterior variance (fresh
 * noise z enters every step, yet each step's x0 estimate is exactly x_0 and
 * the last step has no noise, so x_0 comes back to rounding). The course
 * variant is DDPM with variance beta_t, the course's formula.
 * @throws RangeError for an unknown schedule or steps < 1
 */
export function runCourseDemo(
  options: CourseDemoOptions = {},
): CourseDemoResult {
  const {
    schedule: kind = "linear",
    steps = 50,
    seed = 42,
    backend = "wasm",
  } = options;
  checkInteger("steps", steps, 1);
  const schedule = makeSchedule(kind, steps);
  const x0 = courseSignal(seed);
  const L = x0.length;
  const timesteps = [
    ...new Set([0, Math.round(steps / 5), Math.round(steps / 2), steps - 1]),
  ].filter((t) => t < steps);

  // Forward samples q(x_t | x_0), one fresh noise draw per timestep.
  const rng = new Rng(seed + 1);
  const be = getBackend(backend);
  const x0Rows = matrix(
    timesteps.length,
    L,
    new Float64Array(timesteps.length * L),
  );
  timesteps.forEach((_, i) => x0Rows.data.set(x0, i * L));
  const forward = be.diffusionQSample(
    x0Rows,
    Int32Array.from(timesteps),
    rng.fillNormal(timesteps.length * L),
    schedule.sqrtAlphasCumprod,
    schedule.sqrtOneMinusAlphasCumprod,
  );
  const xLast = forward.slice((timesteps.length - 1) * L);

  // Reverse from x_{T-1}: the oracle, then the course's loop.
  const session = be.diffusionSession({
    length: L,
    sqrtAbar: schedule.sqrtAlphasCumprod,
    sqrtOneMinusAbar: schedule.sqrtOneMinusAlphasCumprod,
    seed,
  });
  let oracle: Float64Array;
  let course: Float64Array;
  try {
    oracle = session.reverse(xLast, reversePlan(schedule), {
      source: "oracle",
      x0,
      seed: seed + 2,
    });
    course = session.reverse(
      xLast,
      reversePlan(schedule, { variance: "large" }),
      {
        source: "fresh",
        seed: seed + 3,
      },
    );
  } finally {
    session.dispose();
  }

  return {
    schedule: kind,
    steps,
    seed,
    backend,
    timesteps,
    finalNoiseShare: 1 - schedule.alphasCumprod[steps - 1],
    oracle: { mse: mse(oracle, x0) },
    courseVariant: { mse: mse(course, x0) },
    zeros: { mse: mse(new Float64Array(L), x0) },
    signals: [
      { name: "original", t: null, values: Array.from(x0) },
      ...timesteps.map((t, i) => ({
        name: `x_${t}`,
        t,
        values: Array.from(forward.subarray(i * L, (i + 1) * L)),
      })),
      { name: "oracle reconstruction", t: null, values: Array.from(oracle) },
      { name: "course variant", t: null, values: Array.from(course) },
    ],
  };
}
