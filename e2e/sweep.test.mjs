// End-to-end: the sweep view. A sweep link opens the view, the Web Workers fill every
// cell, and each cell's data-value is the CLI's table value for the same sweep, string
// for string; hover and keyboard focus show the exact value; arrows move the focus and
// Enter opens the cell's run in the main view; cancel stops the progress; the exports are
// the CLI's CSV and JSON, byte for byte; the boundary is drawn where a threshold is set.
//
//   node --test e2e/sweep.test.mjs        (after `trunk build`; runs the CLI with cargo)

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { execFileSync } from "node:child_process";
import { openBrowser, load, root, shot, dist } from "./browser.mjs";
import { serveDir } from "./serve.mjs";

// 10 × 3 cells under two models: small enough to run twice (browser and CLI) in seconds.
const SWEEP =
  "v=1&sweep_x=ring_entries:2:20:10&sweep_y=seed:1:3:3&sweep_metric=overflow_share&sweep_models=proposal,io_uring&sweep_threshold=0";

let b;
const cliCache = new Map();
/** The CLI's table for a sweep link (`ringlab sweep LINK --csv|--json`). */
function cli(link, format) {
  const key = `${link} ${format}`;
  if (!cliCache.has(key)) {
    const out = execFileSync(
      "cargo",
      ["run", "-q", "--offline", "--release", "-p", "ringlab-core", "--bin", "ringlab", "--", "sweep", link, `--${format}`],
      { cwd: root, encoding: "utf8", timeout: 600_000, maxBuffer: 64 << 20 },
    );
    cliCache.set(key, out);
  }
  return cliCache.get(key);
}

before(async () => {
  b = await openBrowser("sweep");
});
after(async () => {
  await b?.close();
});

/** Opens a sweep link and waits until every cell is in. */
async function openSweep(page, link, query = "") {
  await load(page, `${b.base}${query}#${link}`);
  await page.waitForSelector("[data-testid=sweep]");
  await page.waitForSelector("[data-testid=sweep-progress][data-state=done]", { timeout: 60_000 });
}

const cells = (page) =>
  page.$$eval("[data-testid=sweep-cell]", (els) =>
    els.map((e) => ({ model: e.dataset.model, ix: e.dataset.ix, iy: e.dataset.iy, value: e.dataset.value })),
  );

test("a sweep link fills every cell with the CLI's values", async () => {
  const page = b.page;
  await openSweep(page, SWEEP);
  const progress = page.locator("[data-testid=sweep-progress]");
  assert.equal(await progress.getAttribute("data-done"), "60");
  assert.equal(await progress.getAttribute("data-total"), "60");
  const rows = cli(SWEEP, "csv").trim().split("\n");
  assert.equal(rows[0], "model,ix,iy,ring_entries,seed,overflow_share,run_hash");
  const want = new Map(rows.slice(1).map((r) => r.split(",")).map((c) => [`${c[0]} ${c[1]} ${c[2]}`, c[5]]));
  const got = await cells(page);
  assert.equal(got.length, want.size);
  for (const c of got) assert.equal(c.value, want.get(`${c.model} ${c.ix} ${c.iy}`), `cell ${c.model} ${c.ix} ${c.iy}`);
  assert.ok(got.some((c) => c.value !== "0") && got.some((c) => c.value === "0"), "both overflowing and clean runs");
  // The colours: each grid's canvas has a pixel per cell, the top row first; every cell in
  // is opaque, the legend's smallest value the ramp's dark end and its largest the light end.
  const legend = page.locator("[data-testid=sweep-legend]");
  const [lo, hi] = [await legend.getAttribute("data-min"), await legend.getAttribute("data-max")];
  for (const model of ["proposal", "io_uring"]) {
    const image = await page.$eval(`[data-testid=sweep-grid][data-model=${model}] canvas`, (c) => ({
      w: c.width, h: c.height, px: [...c.getContext("2d").getImageData(0, 0, c.width, c.height).data],
    }));
    assert.deepEqual([image.w, image.h], [10, 3], `${model}: a pixel per cell`);
    const at = (ix, iy) => image.px.slice(((2 - iy) * 10 + ix) * 4, ((2 - iy) * 10 + ix) * 4 + 4).join(",");
    for (const c of got.filter((c) => c.model === model)) {
      const px = at(Number(c.ix), Number(c.iy));
      assert.ok(px.endsWith(",255"), `${model} ${c.ix} ${c.iy} drawn: ${px}`);
      if (c.value === lo) assert.equal(px, "68,1,84,255", `${model} ${c.ix} ${c.iy}: the smallest value, dark`);
      if (c.value === hi) assert.equal(px, "253,231,37,255", `${model} ${c.ix} ${c.iy}: the largest value, light`);
    }
  }
  await shot(page, "sweep");
  assert.deepEqual(b.errors, []);
});

test("hover and keyboard focus show the exact value; arrows move; Enter opens the run", async () => {
  const page = b.page;
  await openSweep(page, SWEEP);
  const readout = page.locator("[data-testid=sweep-readout]");
  const cell = (model, ix, iy) => page.locator(`[data-testid=sweep-cell][data-model=${model}][data-ix="${ix}"][data-iy="${iy}"]`);

  await cell("proposal", 3, 1).hover();
  const hovered = await cell("proposal", 3, 1).getAttribute("data-value");
  await page.waitForFunction((v) => document.querySelector("[data-testid=sweep-readout]").textContent.includes(`= ${v} share`), hovered);
  assert.match(await readout.textContent(), /^proposal, ring_entries 8, seed 2: overflow_share = /);

  const events = await page.getAttribute("[data-testid=sim-time]", "data-value");
  await cell("proposal", 0, 0).focus();
  await page.keyboard.press("ArrowLeft"); // the grid's edge: nothing moves, not even the run
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowUp");
  await page.waitForFunction(() => document.activeElement?.id && document.activeElement.dataset.ix === "2");
  const focused = await page.evaluate(() => ({ ix: document.activeElement.dataset.ix, iy: document.activeElement.dataset.iy,
    tab: document.activeElement.getAttribute("tabindex"), value: document.activeElement.dataset.value }));
  assert.deepEqual([focused.ix, focused.iy, focused.tab], ["2", "1", "0"]);
  assert.equal(await page.locator("[data-testid=sweep-cell][tabindex='0']").count(), 1, "one cell in the tab order");
  assert.ok((await readout.textContent()).includes(`ring_entries 6, seed 2: overflow_share = ${focused.value} share`));
  assert.equal(await page.getAttribute("[data-testid=sim-time]", "data-value"), events, "the arrows moved the focus, not the run");

  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector("[data-testid=control-ring-entries]")?.value === "6");
  assert.equal(await page.inputValue("[data-testid=control-seed]"), "2");
  assert.equal(await page.inputValue("[data-testid=control-model]"), "proposal");

  // A click opens another cell: io_uring, ring_entries 14, seed 3.
  await cell("io_uring", 6, 2).click();
  await page.waitForFunction(() => document.querySelector("[data-testid=control-ring-entries]")?.value === "14");
  assert.equal(await page.inputValue("[data-testid=control-seed]"), "3");
  assert.equal(await page.inputValue("[data-testid=control-model]"), "io_uring");
  assert.deepEqual(b.errors, []);
});

test("the exports are the CLI's CSV and JSON, byte for byte", async () => {
  const page = b.page;
  await openSweep(page, SWEEP);
  for (const [id, format] of [["sweep-export-csv", "csv"], ["sweep-export-json", "json"]]) {
    const [download] = await Promise.all([page.waitForEvent("download", { timeout: 15_000 }), page.click(`[data-testid=${id}]`)]);
    const file = await download.path();
    assert.equal(download.suggestedFilename(), `ringlab-sweep-overflow_share.${format}`);
    assert.equal(fs.readFileSync(file, "utf8"), cli(SWEEP, format), `${format} export`);
  }
  assert.deepEqual(b.errors, []);
});

test("the boundary is drawn where a threshold is set, and not without one", async () => {
  const page = b.page;
  await openSweep(page, SWEEP);
  const boundaries = page.locator("[data-testid=sweep-boundary]");
  assert.equal(await boundaries.count(), 2, "one per model");
  for (const i of [0, 1]) assert.ok(Number(await boundaries.nth(i).getAttribute("data-edges")) > 0);
  assert.ok((await page.locator("[data-testid=sweep-boundary] line").count()) > 2);
  await page.fill("[data-testid=sweep-threshold]", "");
  await page.press("[data-testid=sweep-threshold]", "Tab");
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=sweep-boundary]").length === 0);
  // The cells stay: a threshold changes no run.
  assert.equal(await page.getAttribute("[data-testid=sweep-progress]", "data-state"), "done");
  assert.deepEqual(b.errors, []);
});

test("changing the metric runs again; cancel stops the progress", async () => {
  const page = b.page;
  // One worker and 64 × 32 cells of 100,000 completions each: long enough to cancel half-way.
  const big = "v=1&p0.duration_ns=100000000&p0.submit_rate=1000000&sweep_x=ring_entries:2:64:64&sweep_y=submit_rate:50000:400000:32:log&sweep_models=proposal";
  await load(page, `${b.base}?workers=1#${big}`);
  await page.waitForSelector("[data-testid=sweep-progress][data-state=running]");
  await page.waitForFunction(() => Number(document.querySelector("[data-testid=sweep-progress]").dataset.done) > 0, null,
    { timeout: 30_000 });
  await page.click("[data-testid=sweep-cancel]");
  await page.waitForSelector("[data-testid=sweep-progress][data-state=cancelled]");
  const done = await page.getAttribute("[data-testid=sweep-progress]", "data-done");
  assert.ok(Number(done) < 64 * 32, `cancelled before the end (${done} done)`);
  await page.waitForTimeout(800);
  assert.equal(await page.getAttribute("[data-testid=sweep-progress]", "data-done"), done, "no cell arrives after cancel");

  await page.selectOption("[data-testid=sweep-metric]", "longest_list");
  await page.waitForSelector("[data-testid=sweep-progress][data-state=running]");
  assert.match(await page.textContent("[data-testid=sweep] h3"), /longest overflow list/);
  await page.click("[data-testid=sweep-cancel]");
  await page.waitForSelector("[data-testid=sweep-progress][data-state=cancelled]");
  assert.deepEqual(b.errors, []);
});

test("a bad sweep form says what is wrong; the Sweep button opens and closes the view", async () => {
  const page = b.page;
  await load(page, b.base);
  assert.equal(await page.locator("[data-testid=sweep]").count(), 0);
  await page.click("[data-testid=sweep-toggle]");
  await page.waitForSelector("[data-testid=sweep-progress][data-state=done]", { timeout: 60_000 });
  await page.selectOption("[data-testid=sweep-y-field]", "ring_entries");
  await page.waitForSelector("[data-testid=sweep-error]");
  assert.match(await page.textContent("[data-testid=sweep-error]"), /both set ring_entries/);
  await page.click("[data-testid=sweep-toggle]");
  await page.waitForFunction(() => !document.querySelector("[data-testid=sweep]"));
  assert.deepEqual(b.errors, []);
});

test("under a sub-path the workers are found beside the page", async () => {
  const server = await serveDir(dist, 0, { prefix: "/ringlab/" });
  const page = await b.context.newPage();
  try {
    await page.goto(`http://127.0.0.1:${server.address().port}/ringlab/#${SWEEP}`, { waitUntil: "load" });
    await page.waitForSelector("[data-testid=sweep-progress][data-state=done]", { timeout: 60_000 });
    assert.equal(await page.getAttribute("[data-testid=sweep-progress]", "data-done"), "60");
  } finally {
    await page.close();
    await new Promise((resolve) => server.close(resolve));
  }
  assert.deepEqual(b.errors, []);
});

test("the sizing lesson shows its sweep", async () => {
  const page = b.page;
  await load(page, `${b.base}#v=1&lesson=ring-size-sweep`);
  await page.click("[data-testid=lesson-sweep]");
  await page.waitForSelector("[data-testid=sweep-progress][data-state=done]", { timeout: 60_000 });
  assert.equal(await page.getAttribute("[data-testid=sweep-progress]", "data-total"), String(32 * 8 * 3));
  const models = await page.$$eval("[data-testid=sweep-grid]", (els) => els.map((e) => e.dataset.model));
  assert.deepEqual(models, ["proposal", "io_uring", "aio"]);
  // The reveal's numbers: with seed 1 the proposal needs 14 entries, io_uring 16 (9 and up round to 16).
  const at = (model, entries) =>
    page.getAttribute(`[data-testid=sweep-cell][data-model=${model}][data-ix="${entries - 2}"][data-iy="0"]`, "data-value");
  assert.notEqual(await at("proposal", 13), "0");
  assert.equal(await at("proposal", 14), "0");
  assert.notEqual(await at("io_uring", 8), "0");
  assert.equal(await at("io_uring", 9), "0");
  assert.equal(await page.locator("[data-testid=sweep-boundary]").count(), 3);
  assert.deepEqual(b.errors, []);
});

test("axe: no serious or critical violation in the sweep view", async () => {
  const page = b.page;
  await openSweep(page, SWEEP);
  await page.addScriptTag({ path: `${root}/node_modules/axe-core/axe.min.js` });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document.querySelector("[data-testid=sweep]"), { resultTypes: ["violations"] });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
  });
  assert.deepEqual(violations, []);
});
