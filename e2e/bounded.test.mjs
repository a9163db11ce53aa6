// End-to-end: no link can freeze the page. Heavy links draw their ring at once, then
// either seek in slices (a progress bar after half a second, Pause or Escape stops it
// where it got to, with a note) and reach their instant, or are refused with a banner
// that names the fields over the ceiling on a scenario's work.
//
//   node --test e2e/bounded.test.mjs        (after `trunk build`)

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openBrowser, value, text } from "./browser.mjs";

let b;
before(async () => {
  b = await openBrowser("bounded");
});
after(async () => {
  await b?.close();
});

/** Opens `url` and returns the milliseconds until the ring is drawn. */
async function open(page, url) {
  await page.goto("about:blank");
  const started = Date.now();
  await page.goto(url, { waitUntil: "load", timeout: 30_000 });
  await page.waitForSelector("[data-testid=ring]", { timeout: 5_000 });
  return Date.now() - started;
}

/** Whether the page still answers: a script round trip within `ms`. */
async function responsive(page, ms = 1_000) {
  const started = Date.now();
  await page.evaluate(() => 1 + 1);
  return Date.now() - started < ms;
}

test("links over the ceiling on work draw the default run and name the fields", async () => {
  const page = b.page;
  for (const hash of [
    "#v=1&p0.duration_ns=100000000000&p0.submit_rate=1000000000&p0.kind=nop&p0.queue_depth=1048576&t=100000000000&paused=1",
    "#v=1&p0.duration_ns=100000000000&p0.submit_rate=1000000000&p0.kind=nop&events=18446744073709551615&paused=1",
    "#v=1&reap_interval_ns=1&p0.duration_ns=100000000000&t=100000000000&paused=1",
  ]) {
    const ms = await open(page, b.base + hash);
    assert.ok(ms < 5_000, `ring drawn in ${ms} ms`);
    await page.waitForSelector("[data-testid=link-error]", { timeout: 2_000 });
    const banner = await text(page, "link-error");
    assert.match(banner, /at most/, banner);
    assert.match(banner, /submit_rate|duration_ns|interval_ns/, banner);
    assert.ok(await responsive(page));
  }
  assert.deepEqual(b.errors, []);
});

test("a heavy link under the ceiling seeks in slices with progress, and Escape stops it", async () => {
  const page = b.page;
  // About 4·10^7 requests in 2 s of simulated time, just under the ceiling on work:
  // several seconds of simulation in the browser.
  const end = 2_000_000_000;
  const heavy = `#v=1&p0.duration_ns=${end}&p0.submit_rate=20000000&p0.queue_depth=1024&p0.latency=fixed:50000&reap_interval_ns=10000&t=${end}&paused=1`;
  const ms = await open(page, b.base + heavy);
  assert.ok(ms < 5_000, `ring drawn in ${ms} ms`);
  await page.waitForSelector("[data-testid=seek-progress]", { timeout: 10_000 });
  assert.ok(await responsive(page), "the page answers while it seeks");
  const before = await value(page, "sim-time");
  assert.ok(before < end, `not there yet: ${before}`);
  await page.keyboard.press("Escape");
  await page.waitForSelector("[data-testid=notice]", { timeout: 2_000 });
  assert.match(await text(page, "notice"), /cancelled/);
  assert.equal(await page.locator("[data-testid=seek-progress]").count(), 0);
  const stopped = await value(page, "sim-time");
  assert.ok(stopped > 0 && stopped < end, `stopped at ${stopped}`);
  assert.deepEqual(b.errors, []);
});

test("a seek that completes lands on the same run hash as the link's", async () => {
  const page = b.page;
  const link = "#v=1&p0.duration_ns=200000000&p0.submit_rate=5000000&p0.queue_depth=128&t=150000000&paused=1";
  await open(page, b.base + link);
  await page.waitForFunction(() => !document.querySelector("[data-testid=seek-progress]") &&
    Number(document.querySelector("[data-testid=sim-time]")?.dataset.value) === 150000000, null, { timeout: 60_000 });
  const first = await page.getAttribute("[data-testid=run-hash]", "data-value");
  await open(page, b.base + link);
  await page.waitForFunction(() => Number(document.querySelector("[data-testid=sim-time]")?.dataset.value) === 150000000, null, { timeout: 60_000 });
  assert.equal(await page.getAttribute("[data-testid=run-hash]", "data-value"), first);
  assert.deepEqual(b.errors, []);
});
