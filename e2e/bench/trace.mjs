// Where a frame's time goes: plays one of the frame-time cases of e2e/bench/browser.mjs
// in headless Chromium, records a devtools trace, and prints the renderer main thread's
// CPU time (thread time, so other processes on the machine count less than in the
// wall-clock frame time) per frame: script, style, layout, pre-paint, paint, and the
// heaviest frames with their parts. A diagnostic for docs/benchmarks.md, not a goal.
//
//   node e2e/bench/trace.mjs --dist DIR [--case default|max|4096|compare] [--seconds 3]
//        [--heavy 3]
//
// DIR is a release build (`trunk build --release --dist DIR`). Chromium: $CHROME_BIN or
// /usr/bin/chromium.

import { chromium } from "playwright-core";
import { serveDir } from "../serve.mjs";
import { FRAME_CASES, playLooping } from "./cases.mjs";

const opts = { dist: null, case: "max", seconds: "3", heavy: "3" };
for (let i = 2; i < process.argv.length; i += 2) {
  const key = process.argv[i].replace(/^--/, "");
  if (!(key in opts)) throw new Error(`unknown option ${process.argv[i]} (see the header of ${process.argv[1]})`);
  opts[key] = process.argv[i + 1];
}
if (!opts.dist) throw new Error("--dist DIR is required: a release build of the app");
const setup = FRAME_CASES.find((c) => c.id === opts.case);
if (!setup) throw new Error(`--case must be one of ${FRAME_CASES.map((c) => c.id).join(", ")}`);

const server = await serveDir(opts.dist);
const browser = await chromium.launch({
  executablePath: process.env.CHROME_BIN ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  await page.goto(`http://127.0.0.1:${server.address().port}/${setup.hash ?? ""}`, { waitUntil: "load" });
  await page.waitForSelector("[data-testid=ring]");
  if (setup.check && !(await setup.check(page))) throw new Error(setup.missing);
  if (setup.prepare) await setup.prepare(page);
  await playLooping(page); // as the benchmark does

  await page.waitForTimeout(500);
  await browser.startTracing(page, { categories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "blink"] });
  await page.waitForTimeout(Number(opts.seconds) * 1000);
  const { traceEvents } = JSON.parse((await browser.stopTracing()).toString());

  const main = traceEvents.find((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain");
  const events = traceEvents.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === "X");
  const cpu = (e) => (e.tdur ?? e.dur) / 1000;
  // One frame = one top-level task that ran animation-frame callbacks or a lifecycle update.
  const tasks = events.filter((e) => e.name === "RunTask").sort((a, b) => a.ts - b.ts);
  const parts = { script: ["FireAnimationFrame"], style: ["UpdateLayoutTree"], layout: ["Layout"],
    "pre-paint": ["PrePaint"], paint: ["Paint"], layerize: ["Layerize"], commit: ["Commit"] };
  const inside = (t) => events.filter((e) => e !== t && e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur);
  const frames = [];
  for (const t of tasks) {
    const kids = inside(t);
    if (!kids.some((e) => e.name === "FireAnimationFrame" || e.name === "UpdateLayoutTree" || e.name === "Paint")) continue;
    const f = { total: cpu(t) };
    for (const [part, names] of Object.entries(parts)) {
      // Outermost events only (Paint nests in Paint).
      const mine = kids.filter((e) => names.includes(e.name));
      f[part] = mine.filter((e) => !mine.some((o) => o !== e && o.ts <= e.ts && o.ts + o.dur >= e.ts + e.dur)).reduce((s, e) => s + cpu(e), 0);
    }
    frames.push(f);
  }
  const q = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
  const row = (f) => Object.entries(f).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(", ");
  console.log(`case ${opts.case}: ${frames.length} frames in ${opts.seconds} s; main-thread CPU ms per frame`);
  console.log(`  median ${q(frames.map((f) => f.total), 0.5).toFixed(2)}, p95 ${q(frames.map((f) => f.total), 0.95).toFixed(2)}`);
  const mean = {};
  for (const k of Object.keys(frames[0] ?? {})) mean[k] = frames.reduce((s, f) => s + f[k], 0) / frames.length;
  console.log(`  mean: ${row(mean)}`);
  for (const f of [...frames].sort((a, b) => b.total - a.total).slice(0, Number(opts.heavy))) console.log(`  heavy: ${row(f)}`);
} finally {
  await browser.close();
  server.close();
}
