// The sweep half of scripts/bench.sh (issue 16): opens sweep links in the release build in
// headless Chromium and writes a JSON list of {name, value, unit, goal, met} (each name
// contains "sweep"; value null and a `note` when a measurement failed):
//   - a 24×24 sweep of the default scenario: time from navigation until every cell is in
//     (goal < 5 s);
//   - throughput with 2 workers against 1 (a page address with `?workers=N` forces N;
//     cells heavy enough that messages do not dominate): cells per second while the
//     sweep runs (from the 20th to the 80th percent of its cells: the workers' start-up,
//     spawning and compiling, is a latency the 24×24 row counts, and the last batches
//     leave a worker idle whatever their number), goal ≥ 1.8×; the same from the view's
//     first drawing to the last cell is printed beside it;
//   - the main thread's frame time (median, p95) while the main view plays at ×8 and a
//     sweep runs: the same measure as browser.mjs (a frame's work, up to its paint), goal
//     p95 < 16.7 ms;
//   - the bundles, gzip -9: the app (< 300 KB) and the sweep worker (< 150 KB).
//
//   node e2e/bench/sweep.mjs --dist DIR --out FILE [--runs 3] [--seconds 3]

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { serveDir } from "../serve.mjs";
import { gzipSize, median, quantile } from "./stats.mjs";

const opts = { dist: "dist", out: null, runs: 3, seconds: 3 };
for (let i = 2; i < process.argv.length; i += 2) {
  const key = process.argv[i].replace(/^--/, "");
  if (!(key in opts)) throw new Error(`unknown option ${process.argv[i]}`);
  opts[key] = process.argv[i + 1];
}
opts.runs = Number(opts.runs);
opts.seconds = Number(opts.seconds);

const log = (...a) => console.error("[bench sweep]", ...a);
const figures = [];
const fig = (name, value, unit, goal, met, note) => {
  const f = { name, value: value ?? null, unit, goal: goal ?? null, met: value == null ? null : met ?? null };
  if (note) f.note = note;
  figures.push(f);
  log(`${name}: ${value == null ? "n/a" : value.toFixed(2)} ${unit}${note ? ` (${note})` : ""}`);
};

// The default scenario, 24 ring sizes × 24 submit rates (log steps).
const GRID_24 = "v=1&sweep_x=ring_entries:2:64:24:log&sweep_y=submit_rate:50000:1000000:24:log&sweep_models=proposal";
// Heavier cells: a 400 ms burst at 1 M/s (about 3 ms a cell natively), 32 × 32 of them
// (2 to 4 s: the hand-overs every 100 ms are a few percent of the time measured).
const HEAVY_RUN = "v=1&p0.duration_ns=400000000&p0.submit_rate=1000000";
const HEAVY = `${HEAVY_RUN}&sweep_x=ring_entries:8:64:32&sweep_y=seed:1:32:32&sweep_models=proposal`;
// 64 × 64 of them: running all through the frame-time measure.
const LONG_RUN = HEAVY_RUN;
const LONG = `${LONG_RUN}&sweep_x=ring_entries:2:64:64&sweep_y=seed:1:64:64&sweep_models=proposal`;

const server = await serveDir(opts.dist);
const base = `http://127.0.0.1:${server.address().port}/`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ringlab-bench-sweep-"));
const context = await chromium.launchPersistentContext(dir, {
  executablePath: process.env.CHROME_BIN ?? "/usr/bin/chromium",
  headless: true,
  viewport: { width: 1360, height: 900 },
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});

/**
 * Opens a sweep link; resolves to { ms: from navigation until every cell is in, sweepMs:
 * from the view's first drawing (the workers being spawned) until then, cells, steady:
 * cells per second from the 20th to the 80th percent of the cells }.
 */
async function timeSweep(link, query = "") {
  const page = await context.newPage();
  page.on("pageerror", (e) => log("page error:", e.message));
  try {
    // Notes when the view first appears, from the page's first script on, and then when
    // each count of cells done was first drawn.
    await page.addInitScript(() => {
      window.__sweepDone = [];
      const look = (t) => {
        const p = document.querySelector("[data-testid=sweep-progress]");
        if (p) {
          window.__sweepShown ??= performance.now();
          const done = Number(p.dataset.done);
          if (window.__sweepDone.at(-1)?.[1] !== done) window.__sweepDone.push([t, done]);
        }
        if (p?.dataset.state !== "done") requestAnimationFrame(look);
      };
      requestAnimationFrame(look);
    });
    await page.goto(`${base}${query}#${link}`, { waitUntil: "load" });
    const handle = await page.waitForFunction(
      () => {
        const p = document.querySelector("[data-testid=sweep-progress]");
        if (p?.dataset.state !== "done" || window.__sweepShown == null) return null;
        const total = Number(p.dataset.total);
        const at = (share) => window.__sweepDone.find(([, done]) => done >= share * total);
        const [a, b] = [at(0.2), at(0.8)];
        return {
          ms: performance.now(),
          sweepMs: performance.now() - window.__sweepShown,
          cells: total,
          steady: a && b && b[0] > a[0] ? (b[1] - a[1]) / ((b[0] - a[0]) / 1000) : null,
        };
      },
      null,
      { timeout: 120_000, polling: "raf" },
    );
    return await handle.jsonValue();
  } finally {
    await page.close();
  }
}

async function measure(what, fn) {
  try {
    await fn();
  } catch (e) {
    log(`${what} failed: ${e.message}`);
    return e.message.split("\n")[0];
  }
  return null;
}

// ── 1. 24 × 24, default scenario, one worker per core ─────────────────────────────
{
  const times = [];
  const failed = await measure("24x24", async () => {
    for (let r = 0; r < opts.runs; r++) times.push((await timeSweep(GRID_24)).ms);
  });
  const ms = median(times);
  fig("sweep 24×24 default scenario, navigation to last cell", ms, "ms", 5000, ms != null && ms < 5000,
    failed ?? `median of ${times.length} run(s): ${times.map((t) => t.toFixed(0)).join(", ")} ms; workers: one per core (${os.cpus().length} here)`);
}

// ── 2. 2 workers against 1 ─────────────────────────────────────────────────────────
{
  const per = { 1: [], 2: [] };
  const failed = await measure("workers", async () => {
    for (let r = 0; r < opts.runs; r++) {
      for (const n of [1, 2]) per[n].push(await timeSweep(HEAVY, `?workers=${n}`));
    }
  });
  const steady = (runs) => median(runs.map((r) => r.steady).filter((v) => v != null));
  const overall = (runs) => median(runs.map((r) => r.cells / (r.sweepMs / 1000)));
  const one = steady(per[1]);
  const two = steady(per[2]);
  fig("sweep throughput, 1 worker", one, "cells/s", null, null,
    failed ?? "32×32 cells, each a 400 ms burst at 1 M/s; cells per second from the 20th to the 80th percent of the cells");
  fig("sweep throughput, 2 workers", two, "cells/s", null, null, failed ?? undefined);
  const ratio = one && two ? two / one : null;
  fig("sweep throughput, 2 workers over 1", ratio, "×", 1.8, ratio != null && ratio >= 1.8,
    failed ?? `while the sweep runs (20 % to 80 % of its cells), median of ${per[1].length} run(s) each; ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}`);
  const [oneAll, twoAll] = [overall(per[1]), overall(per[2])];
  const ratioAll = oneAll && twoAll ? twoAll / oneAll : null;
  fig("sweep throughput with the workers' start-up, 2 workers over 1", ratioAll, "×", null, null,
    failed ?? `from the view's first drawing (workers spawned then) to the last cell: ${oneAll?.toFixed(0)} and ${twoAll?.toFixed(0)} cells/s`);
}

// ── 3. The main view's frame time while a sweep runs ────────────────────────────────
// Measured with and without a sweep, alternately, so that the machine's load weighs on both.
async function playingFrames(link) {
  const page = await context.newPage();
  try {
    await page.goto(`${base}#${link}`, { waitUntil: "load" });
    await page.waitForSelector("[data-testid=ring]", { timeout: 20_000 });
    if (link.includes("sweep_x")) {
      await page.waitForSelector("[data-testid=sweep-progress][data-state=running]", { timeout: 20_000 });
    }
    await page.evaluate(() => document.activeElement && document.activeElement.blur());
    for (let i = 0; i < 3; i++) await page.keyboard.press("]");
    await page.click("[data-testid=play]");
    const result = await page.evaluate(
      (ms) =>
        new Promise((resolve) => {
          const work = [];
          const channel = new MessageChannel();
          let frameStart = 0;
          channel.port1.onmessage = () => work.push(performance.now() - frameStart);
          const start = performance.now();
          const progress = () => document.querySelector("[data-testid=sweep-progress]");
          const doneAtStart = Number(progress()?.dataset.done ?? 0);
          const tick = (t) => {
            frameStart = t;
            channel.port2.postMessage(0);
            if (t - start < ms) requestAnimationFrame(tick);
            else
              setTimeout(() => resolve({ work: work.slice(1), cells: Number(progress()?.dataset.done ?? 0) - doneAtStart,
                running: progress()?.dataset.state === "running" }), 50);
          };
          requestAnimationFrame(tick);
        }),
      opts.seconds * 1000,
    );
    return { med: median(result.work), p95: quantile(result.work, 0.95), cells: result.cells, running: result.running };
  } finally {
    await page.close();
  }
}
{
  const runs = [];
  const alone = [];
  const failed = await measure("frame time", async () => {
    for (let r = 0; r < opts.runs; r++) {
      runs.push(await playingFrames(LONG));
      alone.push(await playingFrames(LONG_RUN));
    }
  });
  const med = median(runs.map((r) => r.med));
  const p95 = median(runs.map((r) => r.p95));
  const note = failed ??
    `main view playing at ×8 while a sweep runs (${runs.map((r) => `${r.cells} cells in ${opts.seconds} s${r.running ? "" : ", ended early"}`).join("; ")}); ` +
      `median of ${runs.length} run(s); load average ${os.loadavg()[0].toFixed(1)}`;
  fig("sweep running: main frame time median", med, "ms", 8, med != null && med < 8, note);
  fig("sweep running: main frame time p95", p95, "ms", 16.7, p95 != null && p95 < 16.7);
  const aloneP95 = median(alone.map((r) => r.p95));
  fig("sweep not running (same run, for comparison): main frame time p95", aloneP95, "ms", null, null,
    failed ?? "the same page and speed without a sweep");
}

// ── 4. The bundles ─────────────────────────────────────────────────────────────────
{
  // The page's first bundle (ringlab-*), the worker (sweep_worker*) and the sweep view's
  // bundle (sweep_view*: the app with the view, loaded when a sweep is opened).
  const kind = (f) => (f.startsWith("sweep_worker") ? "worker" : f.startsWith("sweep_view") ? "view" : "app");
  const gz = { app: 0, worker: 0, view: 0 };
  for (const f of fs.readdirSync(opts.dist).filter((x) => /\.(wasm|js)$/.test(x))) {
    gz[kind(f)] += gzipSize(path.join(opts.dist, f));
  }
  const { app, worker, view } = gz;
  fig("sweep worker bundle wasm + JS gzip (KB = 1000 bytes)", worker ? worker / 1000 : null, "KB", 150 * 1.024,
    worker > 0 && worker < 153600, worker ? "sweep_worker.js + sweep_worker_bg.wasm; goal 150 KiB (153,600 bytes)" : "no sweep worker in the build");
  fig("sweep: app bundle wasm + JS gzip (KB = 1000 bytes)", app / 1000, "KB", 300, app < 300000,
    "what the page loads first (the sweep view's bundle is loaded when a sweep is opened)");
  fig("sweep view bundle wasm + JS gzip (KB = 1000 bytes)", view ? view / 1000 : null, "KB", null, null,
    "sweep_view.js + sweep_view_bg.wasm: the app with the sweep view, loaded when a sweep is opened");
}

await context.close();
server.close();
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(path.dirname(opts.out), { recursive: true });
fs.writeFileSync(opts.out, JSON.stringify(figures, null, 2) + "\n");
