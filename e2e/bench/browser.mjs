// The browser half of scripts/bench.sh: opens the release build in headless Chromium and
// measures, writing a JSON list of {name, value, unit, goal, met} (value null: the mode
// does not exist yet, or the measurement failed; `note` says which):
//   - the core in WebAssembly (bench_core / bench_bare exports, via window.wasmBindings),
//     and its ratio to the native figures of the same bench.sh run (--native FILE);
//   - fast-forward: 1,000,000 completions through the app's Timeline, one Frame, drawn;
//   - frame time (median, p95) of the main view in four cases;
//   - time from navigation to the first drawn ring;
//   - memory (JS heap after GC, wasm linear memory) over a run at maximum speed.
//
//   node e2e/bench/browser.mjs --dist DIR --out FILE [--native FILE] [--seconds 5]
//        [--memory-seconds 60] [--completions 2000000] [--runs 3]

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { serveDir } from "../serve.mjs";
import { FRAME_CASES, maxSpeed, playLooping } from "./cases.mjs";
import { median, quantile } from "./stats.mjs";

const opts = { dist: "dist", out: null, native: null, seconds: 5, "memory-seconds": 60, completions: 2_000_000, runs: 3 };
for (let i = 2; i < process.argv.length; i += 2) {
  const key = process.argv[i].replace(/^--/, "");
  if (!(key in opts)) throw new Error(`unknown option ${process.argv[i]}`);
  opts[key] = process.argv[i + 1];
}
for (const k of ["seconds", "memory-seconds", "completions", "runs"]) opts[k] = Number(opts[k]);

const log = (...a) => console.error("[bench]", ...a);

const MODELS = ["aio-2012", "aio", "proposal", "io_uring", "io_uring-5.5", "io_uring-5.1"];
const figures = [];
const fig = (name, value, unit, goal, met, note) => {
  const f = { name, value: value ?? null, unit, goal: goal ?? null, met: value == null ? null : met ?? null };
  if (note) f.note = note;
  figures.push(f);
  log(`${name}: ${value == null ? "n/a" : typeof value === "number" ? value.toFixed(2) : value} ${unit}${note ? ` (${note})` : ""}`);
};

const server = await serveDir(opts.dist);
const base = `http://127.0.0.1:${server.address().port}/`;
const launchArgs = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--enable-precise-memory-info", "--js-flags=--expose-gc"];

async function withBrowser(extraArgs, fn) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ringlab-bench-"));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROME_BIN ?? "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1360, height: 900 },
    args: [...launchArgs, ...extraArgs],
  });
  try {
    return await fn(context);
  } finally {
    await context.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function openApp(context, hash = "") {
  const page = await context.newPage();
  page.on("pageerror", (e) => log("page error:", e.message));
  await page.goto(base + hash, { waitUntil: "load" });
  await page.waitForSelector("[data-testid=ring]", { timeout: 20_000 });
  await page.waitForFunction(() => window.wasmBindings && window.wasmBindings.bench_core, null, { timeout: 20_000 });
  return page;
}

// ── 1. The core in WebAssembly ────────────────────────────────────────────────────
async function coreInWasm(context) {
  const page = await openApp(context);
  const native = opts.native ? JSON.parse(fs.readFileSync(opts.native, "utf8")) : [];
  const nativeValue = (name) => native.find((f) => f.name === name)?.value ?? null;
  const n = opts.completions;
  const runs = { bare: [] };
  for (const m of MODELS) runs[m] = [];
  // Warm-up, untimed: V8 first runs wasm from its baseline compiler and tiers hot
  // functions up to the optimizing one while they run, so the first model timed would
  // otherwise pay for it (native code needs no warm-up).
  await page.evaluate((n) => window.wasmBindings.bench_bare(n), Math.ceil(n / 10));
  for (const m of MODELS) await page.evaluate(([m, n]) => window.wasmBindings.bench_core(m, n), [m, Math.ceil(n / 10)]);
  for (let r = 0; r < opts.runs; r++) {
    runs.bare.push(await page.evaluate((n) => window.wasmBindings.bench_bare(n), n));
    for (const m of MODELS) runs[m].push(await page.evaluate(([m, n]) => window.wasmBindings.bench_core(m, n), [m, n]));
  }
  const bare = median(runs.bare);
  fig("wasm bare ring push/pop", bare, "ops/s");
  for (const m of MODELS) {
    const rate = median(runs[m]);
    fig(`wasm ${m}: simulated completions`, rate, "completions/s");
    fig(`wasm ${m}: ratio to bare wasm ring (%)`, (100 * rate) / bare, "%");
    const nat = nativeValue(`core ${m}: simulated completions`);
    const ratio = nat ? (100 * rate) / nat : null;
    fig(`wasm ${m}: ratio to native (%)`, ratio, "%", 50, ratio != null && ratio >= 50,
      nat ? undefined : "no native figure from this run");
  }
  await page.close();
}

// ── 2. Fast-forward 1,000,000 completions and redraw ─────────────────────────────
async function fastForward(context) {
  const page = await openApp(context);
  const totals = [];
  let parts;
  for (let r = 0; r < opts.runs; r++) {
    const result = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const t0 = performance.now();
          const parts = window.wasmBindings.bench_fast_forward(1_000_000);
          // Drawn: the frame after the mount has been painted.
          requestAnimationFrame(() =>
            requestAnimationFrame(() => {
              const ok = document.querySelector("[data-testid=bench-view] [data-testid=ring]") != null;
              resolve({ total: performance.now() - t0, parts: Array.from(parts), ok });
            }),
          );
        }),
    );
    if (!result.ok) throw new Error("the fast-forwarded view was not drawn");
    totals.push(result.total);
    parts = result.parts;
  }
  const total = median(totals);
  fig("fast-forward 1,000,000 completions + redraw", total, "ms", 1000, total < 1000,
    `simulate ${parts[0].toFixed(0)} ms, frame ${parts[1].toFixed(1)} ms, mount ${parts[2].toFixed(1)} ms; ` +
    `${parts[3]} completions in ${parts[4]} events; trace kept ${parts[5]} (median of ${opts.runs})`);
  fig("wasm memory after fast-forward", (await page.evaluate(() => window.wasmBindings.bench_wasm_memory_bytes())) / 1024, "KiB");
  await page.close();
}

// ── 3. Frame time ─────────────────────────────────────────────────────────────────
// Frame time = the main thread's work for a frame: from the frame's start (the
// requestAnimationFrame timestamp) until a message posted from the frame's callbacks is
// delivered, i.e. after every animation callback (the app's Tick, its render), style,
// layout and paint of that frame. Headless Chromium paces frames at 60 Hz, so the gaps
// between frames would only show 16.7 ms; the work inside them is what must fit.
// Returns {work: [ms...], gaps: [ms...]}.
async function frameTimes(page, seconds) {
  return page.evaluate(
    (ms) =>
      new Promise((resolve) => {
        const work = [];
        const gaps = [];
        const channel = new MessageChannel();
        let frameStart = 0;
        channel.port1.onmessage = () => work.push(performance.now() - frameStart);
        let last = null;
        const start = performance.now();
        const tick = (t) => {
          if (last != null) gaps.push(t - last);
          last = t;
          frameStart = t;
          channel.port2.postMessage(0);
          if (t - start < ms) requestAnimationFrame(tick);
          else setTimeout(() => resolve({ work: work.slice(1), gaps }), 50);
        };
        requestAnimationFrame(tick);
      }),
    seconds * 1000,
  );
}

// One case, played --runs times (each on a fresh page, --seconds long): the figures are
// the medians over the runs of each run's median and 95th percentile, so that one run
// disturbed by another process on the machine does not decide them.
async function frameCase(context, label, setup) {
  const runs = [];
  for (let r = 0; r < opts.runs; r++) {
    const page = await openApp(context, setup.hash ?? "");
    if (setup.hash && !(await setup.check(page))) {
      fig(`frame time, ${label}: median`, null, "ms", 8, null, setup.missing);
      fig(`frame time, ${label}: p95`, null, "ms", 16.7, null);
      await page.close();
      return;
    }
    if (setup.prepare) await setup.prepare(page);
    await playLooping(page);
    await frameTimes(page, 0.5); // warm-up
    const { work, gaps } = await frameTimes(page, opts.seconds);
    const speed = (await page.textContent("[data-testid=speed-label]")).split(" ")[0];
    runs.push({ med: median(work), p95: quantile(work, 0.95), frames: work.length, speed, gaps });
    await page.close();
  }
  const med = median(runs.map((r) => r.med));
  const p95 = median(runs.map((r) => r.p95));
  const gaps = runs.flatMap((r) => r.gaps);
  const late = gaps.filter((g) => g > 25).length;
  const each = runs.map((r) => `${r.med.toFixed(1)}/${r.p95.toFixed(1)}`).join(", ");
  const note = `median of ${runs.length} run(s) of ${opts.seconds} s at ${runs[0].speed} (median/p95 each: ${each} ms); ` +
    `${runs.map((r) => r.frames).join("+")} frames; frame gaps median ${median(gaps).toFixed(1)} ms, ${late} over 25 ms`;
  fig(`frame time, ${label}: median`, med, "ms", 8, med < 8, note);
  fig(`frame time, ${label}: p95`, p95, "ms", 16.7, p95 < 16.7);
}

async function frameTimeCases(context) {
  // The browser's own floor: an empty animation loop on a blank page.
  const blank = await context.newPage();
  await blank.goto("about:blank");
  const floor = await frameTimes(blank, 2);
  fig("frame time floor (blank page): median", median(floor.work), "ms", null, null,
    `frame gaps median ${median(floor.gaps).toFixed(1)} ms`);
  await blank.close();
  for (const c of FRAME_CASES) await frameCase(context, c.label, c);
}

// ── 4. Navigation to the first drawn ring ─────────────────────────────────────────
async function firstRing(context) {
  const times = [];
  for (let r = 0; r < 5; r++) {
    const page = await context.newPage();
    await page.addInitScript(() => {
      new MutationObserver((_, obs) => {
        if (document.querySelector("[data-testid=ring]")) {
          obs.disconnect();
          // Drawn: the animation frame that paints it.
          requestAnimationFrame(() => (window.__ringDrawn = performance.now()));
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(base, { waitUntil: "commit" });
    await page.waitForFunction(() => window.__ringDrawn != null, null, { timeout: 20_000 });
    times.push(await page.evaluate(() => window.__ringDrawn)); // since navigation start
    await page.close();
  }
  const t = median(times);
  fig("navigation to first drawn ring (localhost)", t, "ms", 1000, t <= 1000,
    `median of 5 cold loads: ${times.map((x) => x.toFixed(0)).join(", ")} ms`);
}

// ── 5. Memory over a run at maximum speed ─────────────────────────────────────────
async function memoryRun(context) {
  const page = await openApp(context);
  await maxSpeed(page);
  await playLooping(page);
  const samples = [];
  const t0 = Date.now();
  const ms = opts["memory-seconds"] * 1000;
  while (Date.now() - t0 < ms) {
    await new Promise((r) => setTimeout(r, Math.min(1000, Math.max(100, ms / 60))));
    samples.push(
      await page.evaluate(() => {
        window.gc?.();
        return { heap: performance.memory.usedJSHeapSize, wasm: window.wasmBindings.bench_wasm_memory_bytes(),
          events: Number(document.querySelector("[data-testid=sim-time]")?.getAttribute("data-value")) };
      }),
    );
  }
  const n = samples.length;
  const early = samples[Math.floor(n / 10)];
  const late = samples[n - 1];
  const peak = (k) => Math.max(...samples.map((s) => s[k])) / 1024;
  const dur = `${opts["memory-seconds"]} s at maximum speed, the default scenario replayed each time it ends; ${n} samples after GC`;
  fig("browser memory: JS heap peak", peak("heap"), "KiB", null, null, dur);
  const heapGrowth = (late.heap - early.heap) / 1024;
  fig("browser memory: JS heap growth, 10% to 100% of run", heapGrowth, "KiB", 1024, heapGrowth <= 1024);
  fig("browser memory: wasm memory peak", peak("wasm"), "KiB");
  const wasmGrowth = (late.wasm - early.wasm) / 1024;
  fig("browser memory: wasm memory growth, 10% to 100%", wasmGrowth, "KiB", 1024, wasmGrowth <= 1024);
  await page.close();
}

const only = process.env.BENCH_ONLY;
const sections = [
  ["core in wasm", coreInWasm, []],
  ["fast-forward", fastForward, []],
  ["first ring", firstRing, []],
  ["frame time", frameTimeCases, []],
  ["memory", memoryRun, []],
];
let failed = 0;
try {
  for (const [name, fn, args] of sections) {
    if (only && !only.split(",").includes(name)) continue;
    log(`── ${name}`);
    try {
      await withBrowser(args, fn);
    } catch (e) {
      failed++;
      log(`${name} could not be measured: ${e.stack ?? e}`);
      fig(`${name}: not measured`, null, "", null, null, String(e.message ?? e).split("\n")[0]);
    }
  }
} finally {
  server.close();
}
if (opts.out) fs.writeFileSync(opts.out, JSON.stringify(figures, null, 2) + "\n");
process.exit(failed === sections.length ? 1 : 0);
