// End-to-end: share links. A link copied from the app (clipboard, and the address kept
// up to date) reopens the same run at the same instant with the same run hash; bad links
// (unknown keys, out-of-range values, garbled, truncated, wrong version, over 8 KB,
// markup in the title, and randomly generated ones) show the banner naming each problem
// and the app still runs; a pasted link (hashchange) loads; compare mode; exports.
//
//   node --test e2e/links.test.mjs        (after `trunk build`)

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { openBrowser, load, value, text, shot } from "./browser.mjs";

let b;
before(async () => {
  b = await openBrowser("links");
  await b.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: b.base.replace(/\/$/, "") });
});
after(async () => {
  await b?.close();
});

const hash = (page) => page.getAttribute("[data-testid=run-hash]", "data-value");

test("a link copied from the app reopens the same run with the same hash", async () => {
  const page = b.page;
  await load(page, b.base);
  for (let i = 0; i < 37; i++) await page.click("[data-testid=step]");
  await page.fill("[data-testid=control-seed]", "7");
  await page.press("[data-testid=control-seed]", "Tab");
  for (let i = 0; i < 23; i++) await page.click("[data-testid=step]");
  const want = { hash: await hash(page), time: await value(page, "sim-time") };
  assert.match(want.hash, /^[0-9a-f]{8}$/);
  await page.click("[data-testid=copy-link]");
  await page.waitForSelector("[data-testid=copy-status]");
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(copied, /#v=1&/);
  assert.match(copied, /seed=7/);
  assert.match(copied, /paused=1/);
  // The address is kept up to date too (debounced).
  await page.waitForFunction((link) => location.href === link, copied, { timeout: 5_000 });

  const other = await b.context.newPage();
  await load(other, copied);
  assert.equal(await hash(other), want.hash);
  assert.equal(await value(other, "sim-time"), want.time);
  assert.equal(await other.locator("[data-testid=link-error]").count(), 0);
  assert.equal(await other.inputValue("[data-testid=control-seed]"), "7");
  await other.close();
  assert.deepEqual(b.errors, []);
});

test("a scripted lesson's link mid-way reopens at the same step", async () => {
  const page = b.page;
  await load(page, `${b.base}#v=1&lesson=reorder&paused=1`);
  await page.click("[data-testid=lesson-next]");
  await page.waitForSelector("[data-testid=lesson-narration]");
  const want = await hash(page);
  await page.waitForFunction(() => location.hash.includes("events=2"), null, { timeout: 5_000 });
  const link = await page.evaluate(() => location.href);
  const other = await b.context.newPage();
  await load(other, link);
  assert.equal(await hash(other), want);
  assert.equal(await other.getAttribute("[data-testid=lesson-narration]", "data-index"), "1");
  await other.close();
});

const BAD = [
  ["#v=1&bogus=1", /bogus: unknown key/],
  ["#v=1&ring_entries=999999999", /ring_entries:/],
  ["#v=1&seed=-4&reap_batch=0", /seed: .*reap_batch:/s],
  ["#v=7&model=proposal", /v: link version `7` is not known/],
  ["#model=proposal&ring_entries=8", /v: the link has no version/],
  ["#v=1&model=quantum", /model: unknown model `quantum`/],
  ["#v=1&lesson=nope", /lesson: there is no lesson `nope`/],
  ["#v=1&lesson=reorder&steps=eyJvcCI6InN1Ym", /steps: /],
  ["#v=1&p0.latency=uniform:5&t=banana", /p0\.latency: .*t: /s],
  ["#%ZZ%%&&==&v=1&=", /unknown key|version/],
  ["#v=1&compare=aio", /compare: 1 models/],
  [`#v=1&note=${"x".repeat(9000)}`, /link: it is \d+ bytes; at most 8192/],
];

test("bad links show the banner naming each problem, and the app runs", async () => {
  const page = b.page;
  for (const [fragment, expected] of BAD) {
    await load(page, `${b.base}${fragment}`);
    await page.waitForSelector("[data-testid=link-error]");
    const banner = await text(page, "link-error");
    assert.match(banner, expected, fragment);
    assert.match(banner, /used .* instead/, fragment);
    const before = await page.textContent(".stage__clock");
    await page.click("[data-testid=step]");
    assert.notEqual(await page.textContent(".stage__clock"), before, `the app runs after ${fragment.slice(0, 60)}`);
  }
  await shot(page, "link-error");
  await page.click("[data-testid=link-error-dismiss]");
  assert.equal(await page.locator("[data-testid=link-error]").count(), 0, "dismissed");
  assert.deepEqual(b.errors, []);
});

test("text from a link is shown as text, never as markup", async () => {
  const page = b.page;
  const title = "<script>window.__pwned=1</script><img src=x onerror=window.__pwned=2>";
  await load(page, `${b.base}#v=1&title=${encodeURIComponent(title)}&note=${encodeURIComponent("<b>bold?</b>")}&paused=1`);
  assert.equal(await text(page, "scenario-title"), title);
  assert.equal(await text(page, "link-note"), "<b>bold?</b>");
  assert.equal(await page.locator("[data-testid=scenario-title] script, [data-testid=scenario-title] img, [data-testid=link-note] b").count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
});

test("randomly generated links never break the app", async () => {
  const page = b.page;
  await load(page, b.base);
  let seed = 0x2012;
  const rnd = (n) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  const keys = ["v", "model", "ring_entries", "max_requests", "flag", "timer_ns", "reaper", "reap_batch", "reap_interval_ns",
    "seed", "phases", "p0.submit_rate", "p0.latency", "p1.batch", "p3.kind", "t", "events", "paused", "steps", "lesson",
    "compare", "title", "zzz", ""];
  const values = ["1", "0", "-1", "99999999999999999999", "proposal", "io_uring-5.1", "aio", "nan", "1e309", "%", "%E2%82",
    "uniform:1:0", "fixed:500", "stuck", "reorder", "aio,io_uring", "&", "=", "<b>x</b>", "AAAA", "true", "3"];
  for (let i = 0; i < 30; i++) {
    const pairs = Array.from({ length: 1 + rnd(8) }, () => `${keys[rnd(keys.length)]}=${values[rnd(values.length)]}`);
    let fragment = pairs.join("&");
    if (rnd(4) === 0) fragment = fragment.slice(0, rnd(fragment.length + 1)); // truncated
    // A pasted link: the hashchange path.
    await page.evaluate((f) => (location.hash = f), fragment);
    await page.waitForFunction(() => !!document.querySelector("[data-testid=run-hash]")?.dataset.value);
    await page.keyboard.press("ArrowRight");
    assert.equal(await page.locator("[data-testid=ring]").count() >= 1, true, fragment);
    assert.deepEqual(b.errors, [], `after #${fragment}`);
  }
});

test("a pasted link loads without a reload", async () => {
  const page = b.page;
  await load(page, b.base);
  await page.evaluate(() => {
    window.__sameDocument = true;
    location.hash = "v=1&lesson=flag&paused=1";
  });
  await page.waitForSelector("[data-testid=lesson]");
  assert.equal(await page.evaluate(() => window.__sameDocument), true);
  assert.equal(await page.inputValue("[data-testid=scenario-picker]"), "flag");
});

test("compare mode: models side by side on one clock, differences highlighted", async () => {
  const page = b.page;
  await load(page, `${b.base}#v=1&compare=aio,proposal,io_uring&paused=1`);
  await page.waitForSelector("[data-testid=compare]");
  assert.equal(await page.locator("[data-testid=compare-lane]").count(), 3);
  for (let i = 0; i < 80; i++) await page.keyboard.press("ArrowRight");
  const differs = await page.locator("[data-testid=compare-row][data-differs=true]").count();
  assert.ok(differs >= 1, "some counters differ between the models");
  // The shared clock: step back moves every lane too (their hashes change).
  const before = await page.locator("[data-testid=compare-hash]").allTextContents();
  await page.click("[data-testid=reset]");
  const after = await page.locator("[data-testid=compare-hash]").allTextContents();
  assert.notDeepEqual(after, before);
  await shot(page, "compare");
  // The picker turns it off.
  await page.click("summary");
  await page.uncheck("[data-testid=compare-model-aio]");
  await page.uncheck("[data-testid=compare-model-proposal]");
  assert.equal(await page.locator("[data-testid=compare]").count(), 0);
  assert.deepEqual(b.errors, []);
});

test("exports: trace CSV and JSON, ring SVG, link QR code", async () => {
  const page = b.page;
  await load(page, `${b.base}#v=1&lesson=stuck&paused=1`);
  await page.click("[data-testid=lesson-next]");
  await page.click("summary");
  for (const [id, check] of [
    ["export-csv", (t) => t.startsWith("at_ns,kind,") && t.split("\n").length > 10],
    ["export-json", (t) => Array.isArray(JSON.parse(t))],
    ["export-svg", (t) => t.includes("<svg") && t.includes("http://www.w3.org/2000/svg")],
  ]) {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click(`[data-testid=${id}]`)]);
    const body = fs.readFileSync(await download.path(), "utf8");
    assert.ok(check(body), `${id}: ${body.slice(0, 80)}`);
    assert.match(download.suggestedFilename(), /^ringlab-proposal-[0-9a-f]{8}\./);
  }
  await page.click("[data-testid=export-qr]");
  const src = await page.getAttribute("[data-testid=qr]", "src");
  assert.match(src, /^data:image\/svg\+xml/);
});
