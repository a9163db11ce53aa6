// End-to-end: every label matches the screen. io_uring's cq.overflow under its kernel name
// beside the drops; syscalls split into submit and getevents under each model's call names;
// the proposal with its timer turned off says so; models without an overflow list say what a
// full ring does instead of introducing the list; aio draws its global pool and CPU caches.
//
//   node --test e2e/labels.test.mjs        (after `trunk build`)

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openBrowser, load, value, text } from "./browser.mjs";

let b;
before(async () => {
  b = await openBrowser("labels");
});
after(async () => {
  await b?.close();
});

const label = async (page, hook) => (await page.textContent(`[data-testid=metric-${hook}] dt`))?.trim();
const count = (page, sel) => page.locator(sel).count();
const counts = (page, hook) =>
  page.$$eval(`[data-testid=${hook}]`, (els) => els.map((e) => Number(e.dataset.count)));

test("io_uring-5.1's drops lesson shows cq.overflow 4 beside the drops, and no list counter", async () => {
  const page = b.page;
  await load(page, `${b.base}#v=1&lesson=io_uring-5.1-drops&paused=1`);
  // Walk the pause points to the one whose narration names cq.overflow.
  const narration = async () =>
    (await count(page, "[data-testid=lesson-narration]")) ? await text(page, "lesson-narration") : "";
  for (let i = 1; !/cq\.overflow/.test(await narration()); i++) {
    assert.ok(i <= 5, "a pause point names cq.overflow");
    await page.click("[data-testid=lesson-next]");
    await page.waitForSelector(`[data-testid=lesson-narration][data-index='${i}']`);
  }
  assert.equal(await label(page, "cq-overflow"), "cq.overflow");
  assert.equal(await value(page, "metric-cq-overflow"), 4);
  assert.equal(await value(page, "metric-dropped"), 4);
  assert.match(await page.getAttribute("[data-testid=metric-cq-overflow]", "title"), /every CQE dropped/);
  assert.equal(await count(page, "[data-testid=metric-overflowed]"), 0, "5.1 has no list to overflow to");
  // Its calls are io_uring_enter's, and they add up to the total.
  assert.equal(await label(page, "submit-calls"), "io_uring_enter (submit)");
  assert.equal(await label(page, "getevents-calls"), "io_uring_enter (GETEVENTS)");
  assert.ok((await value(page, "metric-submit-calls")) >= 3, "the submits so far");
  assert.equal(await value(page, "metric-getevents-calls"), 0, "nothing reaped yet");
  assert.equal(
    (await value(page, "metric-submit-calls")) + (await value(page, "metric-getevents-calls")),
    await value(page, "metric-syscalls"),
  );
  // No list: no list introduction, but what a full CQ ring does.
  assert.equal(await count(page, ".explainer:not([data-testid=ring-full-intro])"), 0);
  assert.match(await text(page, "ring-full-intro"), /dropped and counted in cq\.overflow/);
  assert.deepEqual(b.errors, []);
});

test("aio draws its global pool and CPU caches, and says io_submit refuses before the ring can overflow", async () => {
  const page = b.page;
  await load(page, `${b.base}#v=1&lesson=aio-oversize&paused=1`);
  // Before anything: the whole ring (126 slots) waits in the global pool, both caches empty.
  assert.deepEqual(await counts(page, "slot-pool-global"), [126]);
  assert.deepEqual(await counts(page, "slot-pool-cpu"), [0, 0]);
  await page.click("[data-testid=lesson-next]");
  await page.waitForSelector("[data-testid=lesson-narration][data-index='1']");
  assert.equal(await value(page, "metric-in-flight"), 120);
  // Eight batches of 15 went to CPU 0's cache and were used; 6 stay stranded in the pool.
  assert.deepEqual(await counts(page, "slot-pool-global"), [6]);
  assert.deepEqual(await counts(page, "slot-pool-cpu"), [0, 0]);
  assert.match(await text(page, "slot-pool-global"), /less than a batch/);
  assert.equal(await label(page, "submit-calls"), "io_submit");
  assert.equal(await label(page, "getevents-calls"), "io_getevents");
  assert.equal(await count(page, "[data-testid=metric-overflowed]"), 0);
  assert.equal(await count(page, "[data-testid=metric-cq-overflow]"), 0);
  assert.equal(await count(page, ".explainer:not([data-testid=ring-full-intro])"), 0, "no overflow-list introduction");
  assert.match(await text(page, "ring-full-intro"), /io_submit refuses with EAGAIN before the ring can overflow/);

  // In presenter mode at 1366×900 the pools are beside the ring, on the one screen.
  await page.setViewportSize({ width: 1366, height: 900 });
  await load(page, `${b.base}#v=1&lesson=aio-oversize&paused=1&present=1`);
  for (const hook of ["slot-pool-global", "slot-pool-cpu"]) {
    const box = await page.locator(`[data-testid=${hook}]`).first().boundingBox();
    assert.ok(box && box.y >= 0 && box.y + box.height <= 900 && box.x + box.width <= 1366, `${hook} at ${JSON.stringify(box)}`);
  }
  await page.setViewportSize({ width: 1360, height: 900 });

  // 2012's aio: one global count, no CPU caches.
  await load(page, `${b.base}#v=1&model=aio-2012&paused=1`);
  assert.equal(await count(page, "[data-testid=slot-pool-global]"), 1);
  assert.equal(await count(page, "[data-testid=slot-pool-cpu]"), 0);
  assert.match(await text(page, "slot-pool-global"), /reqs_active/);
  // The proposal has neither.
  await load(page, `${b.base}#v=1&model=proposal&paused=1`);
  assert.equal(await count(page, "[data-testid^=slot-pool]"), 0);
  assert.equal(await count(page, "[data-testid=ring-full-intro]"), 0);
  assert.equal(await label(page, "overflowed"), "overflowed");
  assert.deepEqual(b.errors, []);
});

test("the proposal with its timer turned off says the timer is off, not that it has none", async () => {
  const page = b.page;
  await load(page, `${b.base}#v=1&model=proposal&timer_ns=0&paused=1`);
  assert.equal(await page.getAttribute("[data-testid=timer]", "data-off"), "true");
  assert.match(await text(page, "timer"), /off \(turned off in settings\)/);
  assert.doesNotMatch(await text(page, "timer"), /no flush timer/);
  await load(page, `${b.base}#v=1&model=io_uring&paused=1`);
  assert.equal(await page.getAttribute("[data-testid=timer]", "data-off"), "false");
  assert.match(await text(page, "timer"), /this model has no flush timer/);
  assert.deepEqual(b.errors, []);
});
