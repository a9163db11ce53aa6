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

  // Pause 1 sits on the first overflow itself (placed by event, not by clock).
  await page.click("[data-testid=lesson-next]");
  await page.waitForSelector("[data-testid=lesson-narration][data-index='1']");
  assert.equal((await text(page, "lesson-narration")).replace(/^Pause 1 of 3/, ""), expected[0]);
  assert.equal(await value(page, "metric-in-list"), 1, "the first overflow waits on the list");
  assert.equal(await value(page, "metric-overflowed"), 1, "and it is the first");
  assert.equal(await value(page, "metric-in-ring"), 7);
  assert.equal(await page.getAttribute("[data-testid=overflow-flag]", "data-on"), "true");
  assert.equal(await page.locator("[data-testid=lesson-question]").count(), 0, "the question is gone once it runs");

  // Pause 2: the last completion.
  await page.click("[data-testid=lesson-next]");
  await page.waitForSelector("[data-testid=lesson-narration][data-index='2']");
  assert.equal((await text(page, "lesson-narration")).replace(/^Pause 2 of 3/, ""), expected[1]);
  assert.equal(await value(page, "metric-in-flight"), 0);
  assert.equal(await value(page, "metric-completed"), await value(page, "metric-submitted"), "every request completed");
  assert.equal(await value(page, "metric-in-list"), 5);

  await page.click("[data-testid=lesson-next]");
  await page.waitForSelector("[data-testid=lesson-narration][data-index='3']");
  assert.equal((await text(page, "lesson-narration")).replace(/^Pause 3 of 3/, ""), expected[2]);
  assert.equal(await value(page, "metric-in-ring"), 0, "the ring looks empty");
  assert.equal(await value(page, "metric-in-list"), 5, "while five wait on the list");

  await page.click("[data-testid=lesson-next]");
  await page.waitForSelector("[data-testid=lesson-reveal]");
  assert.match(await text(page, "lesson-reveal"), /Five completions stay on the overflow list/);
  assert.equal(await page.getAttribute("[data-testid=lesson-reveal]", "data-holds"), "true");
  assert.equal(await page.locator("[data-testid=lesson-changed]").count(), 0, "nothing was changed");
  assert.equal(await page.locator("[data-testid=lesson-narration]").count(), 0, "the reveal, not pause 3's narration");
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
  // Pause 2 is placed on an event (the reap): the ring has room while e7 still waits.
  await page.click("[data-testid=lesson-next]");
  await page.waitForSelector("[data-testid=lesson-narration][data-index='2']");
  assert.equal(await page.getAttribute("[data-testid=overflow-item]", "data-user-data"), "7");
  assert.ok((await value(page, "metric-in-ring")) < 7, "the ring has room");
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
  // The question and the goal before playing, in the caption; PageDown (a clicker) goes to
  // the first pause point, → steps one event, PageUp goes back to the pause point.
  assert.match(await text(page, "caption"), /Will it reap all 40\?/);
  assert.match(await text(page, "lesson-goal"), /all the reaping is done from userspace/);
  await page.keyboard.press("PageDown");
  await page.waitForSelector("[data-testid=lesson-narration][data-index='1']");
  assert.equal(await page.getAttribute("[data-testid=lesson]", "data-passed"), "1");
  assert.match(await text(page, "caption"), /The ring has 8 slots/);
  const atPause = await page.getAttribute("[data-testid=run-hash]", "data-value");
  await page.keyboard.press("ArrowRight");
  await page.waitForFunction((h) => document.querySelector("[data-testid=run-hash]").dataset.value !== h, atPause);
  await page.keyboard.press("PageUp");
  await page.waitForFunction((h) => document.querySelector("[data-testid=run-hash]").dataset.value === h, atPause);
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

test("a changed setting in a lesson link: the reveal says what changed and what the counters show", async () => {
  const page = b.page;
  await load(page, `${b.base}#v=1&lesson=stuck&reaper=syscall&paused=1`);
  assert.equal(await page.locator("[data-testid=link-error]").count(), 0);
  for (let i = 0; i < 4 && (await page.locator("[data-testid=lesson-reveal]").count()) === 0; i++) {
    await page.click("[data-testid=lesson-next]");
    await page.waitForTimeout(50);
  }
  await page.waitForSelector("[data-testid=lesson-reveal]");
  assert.equal(await page.getAttribute("[data-testid=lesson-reveal]", "data-holds"), "false");
  const changed = await text(page, "lesson-changed");
  assert.match(changed, /reaper/i);
  assert.match(changed, /ring → syscall/);
  const reveal = await text(page, "lesson-reveal");
  assert.doesNotMatch(reveal, /Five completions stay on the overflow list/, "not the lesson's claim");
  const reaped = await value(page, "metric-reaped");
  const list = await value(page, "metric-in-list");
  assert.equal(list, 0, "syscalls drain the list");
  assert.ok(reveal.includes(String(reaped)), `what the counters show (reaped ${reaped}): ${reveal}`);
  await shot(page, "lesson-stuck-syscall-reveal");
  // Presenter mode carries the same reveal.
  await load(page, `${b.base}#v=1&lesson=stuck&reaper=syscall&paused=1&present=1`);
  for (let i = 0; i < 4; i++) await page.keyboard.press("PageDown");
  await page.waitForSelector("[data-testid=caption] [data-testid=lesson-reveal][data-holds=false]");
  assert.match(await text(page, "caption"), /ring → syscall/);
  assert.deepEqual(b.errors, []);
});

test("a lesson that compares opens with its lanes on the same clock", async () => {
  const page = b.page;
  await load(page, `${b.base}#v=1&lesson=libaio&paused=1&present=1`);
  assert.equal(await page.locator("[data-testid=compare-lane]").count(), 2, "the ring and libaio reapers side by side");
  const before = await page.locator("[data-testid=compare-hash]").allTextContents();
  await page.keyboard.press("PageDown");
  await page.waitForSelector("[data-testid=lesson-narration][data-index='1']");
  await page.waitForFunction((b) => [...document.querySelectorAll("[data-testid=compare-hash]")].every((h, i) => h.textContent !== b[i]), before);
  assert.deepEqual(b.errors, []);
});

test("a lecture link steps into its second lesson with its progress", async () => {
  const page = b.page;
  await load(page, `${b.base}#v=1&lecture=class-50&paused=1&present=1`);
  assert.equal(await page.locator("[data-testid=link-error]").count(), 0);
  const first = await text(page, "lecture-progress");
  assert.match(first, /lesson 1 of \d+/);
  const total = await page.getAttribute("[data-testid=lesson]", "data-total");
  for (let i = 0; i <= Number(total); i++) await page.keyboard.press("PageDown");
  await page.waitForSelector("[data-testid=lesson-reveal]");
  assert.match(await text(page, "lesson-next"), /Next lesson/);
  const hash = await page.evaluate(() => location.hash);
  await page.keyboard.press("PageDown");
  await page.waitForFunction(() => /lesson 2 of/.test(document.querySelector("[data-testid=lecture-progress]")?.textContent ?? ""));
  assert.equal(await page.getAttribute("[data-testid=lesson]", "data-passed"), "0", "the next lesson opens at its start");
  assert.equal(await page.locator("[data-testid=lesson-question]").count(), 1, "with its question");
  assert.equal(await page.locator("[data-testid=lesson-goal]").count(), 1, "and its goal");
  await page.waitForFunction((h) => location.hash !== h && location.hash.includes("lecture=class-50"), hash, { timeout: 5_000 });
  // The address reopens the second lesson, in the lecture.
  await load(page, `${b.base}${await page.evaluate(() => location.hash)}`);
  assert.match(await text(page, "lecture-progress"), /lesson 2 of/);
  assert.deepEqual(b.errors, []);
});

test("the share bar's lecture button starts the lecture at its first lesson", async () => {
  const page = b.page;
  await load(page, b.base);
  await page.click("details.share__more > summary"); // "Compare, teach and export"
  await page.click("[data-testid=lecture-class-50]");
  await page.waitForFunction(() => /lesson 1 of/.test(document.querySelector("[data-testid=lecture-progress]")?.textContent ?? ""));
  assert.equal(await page.getAttribute("[data-testid=lecture-class-50]", "aria-pressed"), "true");
  assert.equal(await page.getAttribute("[data-testid=lesson]", "data-passed"), "0");
  await page.waitForFunction(() => location.hash.includes("lecture=class-50"), null, { timeout: 5_000 });
  assert.deepEqual(b.errors, []);
});
