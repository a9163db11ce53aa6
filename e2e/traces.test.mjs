// End-to-end: recorded traces (docs/traces.md). A fio latency log chosen in the file
// picker replays with exactly the counters the CLI prints for the same file; a malformed
// one shows the CLI's message; a dropped CSV loads; a 10^6-request log loads in slices
// with progress; a link names a built-in trace; the scenario file with its trace reopens
// the run.
//
//   node --test e2e/traces.test.mjs        (after `trunk build`; runs the CLI with cargo)

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync, spawnSync } from "node:child_process";
import { openBrowser, load, root, value } from "./browser.mjs";

let b;
before(async () => {
  b = await openBrowser("traces");
});
after(async () => {
  await b?.close();
});

const traces = path.join(root, "scenarios", "traces");
/** The counters both the page and `ringlab run --json` show, page hook → summary key. */
const COUNTERS = {
  submitted: "submitted", completed: "completed", reaped: "reaped", overflowed: "overflowed", flushed: "flushed",
  dropped: "dropped", eagain: "eagain", ebusy: "ebusy", syscalls: "syscalls", "timer-fires": "timer_fires",
  "in-flight": "in_flight", "in-ring": "in_ring", "in-list": "in_list",
};

/** Runs the CLI (`cargo run`, so the binary is current) in `cwd`; returns { status, stdout, stderr }. */
function cli(args, cwd = root) {
  const r = spawnSync("cargo", ["run", "-q", "--offline", "--manifest-path", path.join(root, "core", "Cargo.toml"),
    "--bin", "ringlab", "--", ...args], { cwd, encoding: "utf8", timeout: 900_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function cliSummary(args) {
  const r = cli([...args, "--json"]);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

async function pageCounters(page) {
  const out = {};
  for (const [hook, key] of Object.entries(COUNTERS)) out[key] = await value(page, `metric-${hook}`);
  return out;
}

/** Plays the run to its end at full speed (the loaded trace's span). */
async function playToEnd(page) {
  await page.locator("[data-testid=speed]").evaluate((el) => {
    el.value = el.max;
    el.dispatchEvent(new Event("input", { bubbles: true }));
  });
  await page.click("[data-testid=play]");
  await page.waitForFunction(() => {
    const time = Number(document.querySelector("[data-testid=sim-time]").getAttribute("data-value"));
    const end = Number(document.querySelector("[data-testid=scrubber]").getAttribute("max"));
    return time >= end && document.querySelector("[data-testid=play]").getAttribute("aria-pressed") === "false";
  }, null, { timeout: 60_000 });
  // The readouts catch up once playing stops.
  await page.waitForTimeout(300);
}

test("a fio log from the file picker replays with the CLI's counters", async () => {
  const page = b.page;
  await load(page, b.base);
  const file = path.join(traces, "randread-qd32.lat.log");
  const requests = fs.readFileSync(file, "utf8").trim().split("\n").length;
  await page.setInputFiles("[data-testid=trace-file]", file);
  await page.waitForSelector("[data-testid=trace-loaded]");
  assert.equal(await page.getAttribute("[data-testid=trace-loaded]", "data-requests"), String(requests));
  assert.equal(await page.getAttribute("[data-testid=trace-loaded]", "data-name"), "randread-qd32.lat.log");
  // A link cannot carry it: the page says so and offers the scenario with its trace.
  assert.match(await page.textContent("[data-testid=trace-link-note]"), /A link cannot carry this trace/);
  assert.equal(await page.locator("[data-testid=trace-bundle]").count(), 1);
  await playToEnd(page);
  const want = cliSummary(["run", "--trace", file]);
  assert.equal(want.trace_requests, requests);
  assert.deepEqual(await pageCounters(page), Object.fromEntries(Object.values(COUNTERS).map((k) => [k, want[k]])));
  assert.deepEqual(b.errors, []);
});

test("the scenario file with its trace downloads, and reopens the same run", async () => {
  const page = b.page;
  const hash = await page.getAttribute("[data-testid=run-hash]", "data-value");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("[data-testid=trace-bundle]")]);
  assert.equal(download.suggestedFilename(), "ringlab-randread-qd32.json");
  const saved = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ringlab-bundle-")), download.suggestedFilename());
  await download.saveAs(saved);
  const bundle = JSON.parse(fs.readFileSync(saved, "utf8"));
  assert.equal(bundle.workload.phases[0].trace, "randread-qd32.lat.log");
  assert.ok(bundle.workload.phases[0].trace_data.length > 100);
  // The CLI reads it: the same counters as the log itself.
  assert.deepEqual(cliSummary(["run", saved]), cliSummary(["run", "--trace", path.join(traces, "randread-qd32.lat.log")]));
  // The page reads it back (a reload first: nothing of the first load is left).
  await load(page, b.base);
  await page.setInputFiles("[data-testid=trace-file]", saved);
  await page.waitForSelector("[data-testid=trace-loaded]");
  await playToEnd(page);
  assert.equal(await page.getAttribute("[data-testid=run-hash]", "data-value"), hash);
  assert.deepEqual(b.errors, []);
});

test("a malformed file shows where it is wrong, as the CLI says it, and nothing changes", async () => {
  const page = b.page;
  await load(page, b.base);
  const hash = await page.getAttribute("[data-testid=run-hash]", "data-value");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ringlab-bad-"));
  const text = "0, 10, 0, 4096, 0\n1, x, 0, 4096, 0\n";
  fs.writeFileSync(path.join(dir, "bad.log"), text);
  await page.setInputFiles("[data-testid=trace-file]", { name: "bad.log", mimeType: "text/plain", buffer: Buffer.from(text) });
  await page.waitForSelector("[data-testid=trace-error]");
  const shown = (await page.textContent("[data-testid=trace-error]")).trim();
  assert.equal(shown, "bad.log: line 2: column 2 (latency, ns): `x` is not a whole number");
  const r = cli(["run", "--trace", "bad.log"], dir);
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim(), `ringlab: ${shown}`);
  assert.equal(await page.getAttribute("[data-testid=run-hash]", "data-value"), hash, "nothing half-loaded");
  assert.equal(await page.locator("[data-testid=trace-loaded]").count(), 0);
  assert.deepEqual(b.errors, []);
});

test("a CSV dropped on the loader replays", async () => {
  const page = b.page;
  await load(page, b.base);
  const csv = fs.readFileSync(path.join(traces, "bursty.tracepoints.csv"), "utf8");
  const transfer = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], "bursty.tracepoints.csv", { type: "text/csv" }));
    return dt;
  }, csv);
  await page.dispatchEvent("[data-testid=trace-drop]", "drop", { dataTransfer: transfer });
  await page.waitForSelector("[data-testid=trace-loaded]");
  assert.equal(await page.getAttribute("[data-testid=trace-loaded]", "data-requests"), String(csv.trim().split("\n").length - 1));
  assert.deepEqual(b.errors, []);
});

test("a 10^6-request log loads in slices, with progress, and the page keeps drawing", async () => {
  const page = b.page;
  await load(page, b.base);
  const n = 1_000_000;
  const lines = [];
  for (let i = 0; i < n; i++) lines.push(`${Math.floor(i / 100)}, ${20000 + (i % 977) * 100}, 0, 4096, 0\n`);
  const buffer = Buffer.from(lines.join(""));
  // Count animation frames while the file loads: the page is not frozen.
  await page.evaluate(() => {
    window.__frames = 0;
    const tick = () => {
      window.__frames++;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.setInputFiles("[data-testid=trace-file]", { name: "big.lat.log", mimeType: "text/plain", buffer });
  await page.waitForSelector("[data-testid=trace-progress]", { timeout: 30_000 });
  const percent = Number(await page.getAttribute("[data-testid=trace-progress]", "aria-valuenow"));
  assert.ok(percent >= 0 && percent < 100, `progress ${percent}`);
  await page.waitForSelector("[data-testid=trace-loaded]", { timeout: 120_000 });
  assert.equal(await page.getAttribute("[data-testid=trace-loaded]", "data-requests"), String(n));
  const frames = await page.evaluate(() => window.__frames);
  assert.ok(frames >= 20, `${frames} animation frames while loading`);
  assert.deepEqual(b.errors, []);
});

test("a link names a built-in trace, with the CLI's counters at its end", async () => {
  const page = b.page;
  await load(page, `${b.base}#v=1&phases=1&p0.trace=bursty&t=100000000000&paused=1`);
  await page.waitForSelector("[data-testid=trace-loaded]");
  assert.equal(await page.locator("[data-testid=link-error]").count(), 0);
  assert.equal(await page.getAttribute("[data-testid=trace-loaded]", "data-name"), "bursty");
  assert.equal(await page.locator("[data-testid=trace-link-note]").count(), 0, "a link carries a built-in trace");
  await page.waitForFunction(() => !document.querySelector("[data-testid=seek-progress]"));
  await page.waitForTimeout(300);
  const want = cliSummary(["run", "--trace", "bursty"]);
  assert.deepEqual(await pageCounters(page), Object.fromEntries(Object.values(COUNTERS).map((k) => [k, want[k]])));
  // Another built-in trace, scaled; the lesson sizes a ring for one.
  await load(page, `${b.base}#v=1&phases=1&p0.trace=randread-qd128&p0.trace_scale=2`);
  await page.waitForSelector("[data-testid=trace-loaded][data-name=randread-qd128]");
  assert.equal(await page.locator("[data-testid=link-error]").count(), 0);
  await load(page, `${b.base}#v=1&lesson=trace-ring-size`);
  await page.waitForSelector("[data-testid=lesson]");
  assert.equal(await page.getAttribute("[data-testid=trace-loaded]", "data-name"), "bursty");
  assert.deepEqual(b.errors, []);
});
