// End-to-end: lessons. Opens a lesson by its link, checks the question asked before
// playing, walks the pause points with `lesson-next` checking each narration and the
// counters the lesson claims, reaches the reveal; plays a lesson and checks that playback
// stops at the first pause point; loads a lesson from the picker; presenter mode.
//
//   node --test e2e/lessons.test.mjs        (after `trunk build`)

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { openBrowser, load, value, text, shot, root } from "./browser.mjs";

let b;
before(async () => {
  b = await openBrowser("lessons");
});
after(async () => {
  await b?.close();
});

/** The narration of each pause point of a lesson file, in order (TOML basic strings). */
function narrations(name) {
  const toml = fs.readFileSync(path.join(root, "scenarios", "lessons", `${name}.toml`), "utf8");
  return [...toml.matchAll(/^narration = "((?:[^"\\]|\\.)*)"/gm)].map((m) => JSON.parse(`"${m[1]}"`));
}

test("a lesson link walks its pause points, narration and counters, to the reveal", async () => {
  const page = b.page;
  await load(page, `${b.base}#v=1&lesson=stuck&paused=1`);
  assert.match(await text(page, "scenario-title"), /Stuck on the list/);
  assert.match(await text(page, "lesson-goal"), /all the reaping is done from userspace/);
  assert.match(await text(page, "lesson-question"), /Will it reap all 40\?/);
  assert.equal(await page.locator("[data-testid=lesson-play]").count(), 1, "Play to find out");
  assert.equal(await page.locator("[data-testid=link-error]").count(), 0);
  const expected = narrations("stuck");
  assert.equal(expected.length, 3);

  await page.click("[data-testid=lesson-next]");
  await page.waitForSelector("[data-testid=lesson-narration][data-index='1']");
  assert.equal((await text(page, "lesson-narration")).replace(/^Pause 1 of 3/, ""), expected[0]);
  assert.equal(await value(page, "sim-time"), 90_000);
  assert.equal(await value(page, "metric-in-list"), 1, "the first overflow waits on the list");
  assert.ok((await value(page, "metric-overflowed")) >= 1);
  assert.equal(await page.getAttribute("[data-testid=overflow-flag]", "data-on"), "true");
  assert.equal(await page.locator("[data-testid=lesson-question]").count(), 0, "the question is gone once it runs");

  await page.click("[data-testid=lesson-next]");
  await page.waitForSelector("[data-testid=lesson-narration][data-index='2']");
  assert.equal((await text(page, "lesson-narration")).replace(/^Pause 2 of 3/, ""), expected[1]);
  assert.equal(await value(page, "sim-time"), 420_000);
  assert.equal(await value(page, "metric-in-flight"), 0);
  assert.equal(await value(page, "metric-in-list"), 5);

  await page.click("[data-testid=lesson-next]");
  await page.waitForSelector("[data-testid=lesson-narration][data-index='3']");
  assert.equal((await text(page, "lesson-narration")).replace(/^Pause 3 of 3/, ""), expected[2]);
  assert.equal(await value(page, "sim-time"), 600_000);
  assert.equal(await value(page, "metric-in-ring"), 0, "the ring looks empty");
  assert.equal(await value(page, "metric-in-list"), 5, "while five wait on the list");

  await page.click("[data-testid=lesson-next]");
  await page.waitForSelector("[data-testid=lesson-reveal]");
  assert.match(await text(page, "lesson-reveal"), /Five completions stay on the overflow list/);
  const m = { submitted: await value(page, "metric-submitted"), reaped: await value(page, "metric-reaped"), list: await value(page, "metric-in-list") };
  assert.ok(m.reaped < m.submitted && m.list >= 1, `not all reaped: ${JSON.stringify(m)}`);
  await shot(page, "lesson-stuck-reveal");
  assert.deepEqual(b.errors, []);
});

test("a scripted lesson pauses after its steps", async () => {
  const page = b.page;
  await load(page, `${b.base}#v=1&lesson=reorder&paused=1`);
  await page.click("[data-testid=lesson-next]");
  await page.waitForSelector("[data-testid=lesson-narration][data-index='1']");
  assert.match(await text(page, "lesson-narration"), /e7 waits on the overflow list/);
  assert.equal(await page.getAttribute("[data-testid=overflow-list]", "data-length"), "1");
  assert.equal(await page.getAttribute("[data-testid=overflow-item]", "data-user-data"), "7");
  await page.click("[data-testid=lesson-next]");
  await page.waitForSelector("[data-testid=lesson-reveal]");
  assert.match(await text(page, "lesson-reveal"), /e8 overtakes e7/);
});

test("Play to find out plays until the first pause point and stops there", async () => {
  const page = b.page;
  await load(page, `${b.base}#v=1&lesson=timer&paused=1`);
  for (let i = 0; i < 6; i++) await page.keyboard.press("]"); // faster
  await page.click("[data-testid=lesson-play]");
  await page.waitForSelector("[data-testid=lesson-narration][data-index='1']", { timeout: 30_000 });
  assert.equal(await page.getAttribute("[data-testid=play]", "aria-pressed"), "false", "paused at the pause point");
  const narration = await text(page, "lesson-narration");
  assert.ok(narration.includes(narrations("timer")[0]), narration);
});

test("the picker loads every lesson and the default scenario", async () => {
  const page = b.page;
  await load(page, b.base);
  const options = await page.locator("[data-testid=scenario-picker] option").evaluateAll((os) => os.map((o) => o.value));
  assert.ok(options.length >= 10, `default + nine lessons: ${options}`);
  for (const name of options.filter((o) => o !== "default")) {
    await page.selectOption("[data-testid=scenario-picker]", name);
    await page.waitForSelector("[data-testid=lesson]");
    assert.equal(await page.getAttribute("[data-testid=lesson]", "data-passed"), "0", name);
    // The address follows (debounced), so the lesson can be shared straight away.
    await page.waitForFunction((n) => location.hash.includes(`lesson=${n}`), name, { timeout: 5_000 });
  }
  await page.selectOption("[data-testid=scenario-picker]", "default");
  await page.waitForFunction(() => !document.querySelector("[data-testid=lesson]"));
  assert.deepEqual(b.errors, []);
});

test("presenter mode: transport only, captions, large type, blank screen", async () => {
  const page = b.page;
  await load(page, `${b.base}#v=1&lesson=stuck&paused=1&present=1`);
  assert.equal(await page.getAttribute("[data-testid=app]", "data-present"), "true");
  assert.equal(await page.locator("[data-testid=controls]").count(), 0, "controls hidden");
  assert.equal(await page.locator("[data-testid=play]").count(), 1, "transport kept");
  await page.keyboard.press("PageDown");
  assert.equal(await value(page, "sim-time") > 0 || (await page.textContent(".stage__clock")).includes("event 1"), true);
  await page.click("[data-testid=lesson-next]");
  await page.waitForSelector("[data-testid=caption]");
  assert.match(await text(page, "caption"), /The ring has 8 slots/);
  const size = await page.locator("[data-testid=caption]").evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  assert.ok(size >= 24, `caption font ${size}px`);
  const body = await page.locator("[data-testid=app]").evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  assert.ok(body >= 22, `presenter font ${body}px`);
  // The settled picture, not one mid-animation.
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running"), null, { timeout: 5_000 });
  await shot(page, "presenter");
  await page.keyboard.press("b");
  assert.equal(await page.locator("[data-testid=blank]").count(), 1);
  await page.keyboard.press("b");
  assert.equal(await page.locator("[data-testid=blank]").count(), 0);
  await page.keyboard.press("p");
  assert.equal(await page.getAttribute("[data-testid=app]", "data-present"), "false");
  assert.equal(await page.locator("[data-testid=controls]").count(), 1);
});

test("embed mode shows only the view and the transport", async () => {
  const page = b.page;
  await load(page, `${b.base}#v=1&embed=1&paused=1`);
  assert.equal(await page.locator("[data-testid=app-header]").count(), 0);
  assert.equal(await page.locator("[data-testid=controls]").count(), 0);
  assert.equal(await page.locator("[data-testid=copy-link]").count(), 0);
  assert.equal(await page.locator("[data-testid=play]").count(), 1);
  await shot(page, "embed");
  assert.deepEqual(b.errors, []);
});
