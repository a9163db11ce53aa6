// End-to-end: presenter mode on a projector, at 1024×768 and 1920×1080. The ring, the
// overflow list, its flag and the timer (and the caption) are inside the viewport without
// scrolling; at 1080 lines the caption, the ids on the list and in the ring, the flag and
// the timer are at least 24 px, readable from the back of a room. The screenshots
// (e2e/screenshots/presenter-<width>x<height>.png) show the settled state: taken once no
// animation runs.
//
//   node --test e2e/presenter.test.mjs        (after `trunk build`)

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { openBrowser, load, shot, root } from "./browser.mjs";

/** The stuck lesson at its second pause point: five ids on the list, the flag set, a caption. */
const LESSON = "#v=1&lesson=stuck&t=420000&paused=1&present=1";
const DEFAULT = "#v=1&t=1500000&paused=1&present=1";
const IN_VIEW = ["ring", "overflow-list", "overflow-flag", "timer", "caption"];

let b;
before(async () => {
  b = await openBrowser("presenter", { width: 1024, height: 768 });
});
after(async () => {
  await b?.close();
});

const settled = (page) => page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running"), null, { timeout: 5_000 });

/** Font sizes in CSS px as shown: SVG text scaled by its drawing's size on the page. */
const fontSizes = (page) => page.evaluate(() => {
  const px = (el) => parseFloat(getComputedStyle(el).fontSize);
  const svg = document.querySelector("[data-testid=ring]");
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const min = (els, f) => Math.min(...[...els].map(f));
  return {
    caption: px(document.querySelector("[data-testid=caption]")),
    "list ids": min(document.querySelectorAll("[data-testid=overflow-item]"), px),
    "ring ids": min(svg.querySelectorAll(".ring__data"), (t) => px(t) * scale),
    flag: px(document.querySelector("[data-testid=overflow-flag]")),
    timer: px(document.querySelector("[data-testid=timer]")),
  };
});

for (const [width, height] of [[1024, 768], [1920, 1080]]) {
  test(`presenter mode at ${width}×${height}: the ring, the list, the flag and the timer in view`, async () => {
    const page = b.page;
    await page.setViewportSize({ width, height });
    for (const hash of [LESSON, DEFAULT]) {
      await load(page, `${b.base}${hash}`);
      assert.equal(await page.getAttribute("[data-testid=app]", "data-present"), "true");
      await settled(page);
      for (const id of IN_VIEW) {
        const box = await page.locator(`[data-testid=${id}]`).boundingBox();
        assert.ok(box && box.x >= 0 && box.y >= 0 && box.x + box.width <= width + 1 && box.y + box.height <= height + 1,
          `${width}×${height} ${hash}: ${id} at ${JSON.stringify(box)}`);
      }
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scrollWidth <= width, `nothing scrolls sideways (${scrollWidth})`);
    }
    await load(page, `${b.base}${LESSON}`);
    assert.ok((await page.locator("[data-testid=overflow-item]").count()) >= 5, "the lesson's ids wait on the list");
    await settled(page);
    assert.ok(await page.evaluate(() => document.getAnimations().every((a) => a.playState !== "running")), "settled");
    await shot(page, `presenter-${width}x${height}`);
    if (height >= 1080) {
      const sizes = await fontSizes(page);
      for (const [what, px] of Object.entries(sizes)) assert.ok(px >= 24, `${what}: ${px.toFixed(1)} px at ${width}×${height}`);
    }
    assert.deepEqual(b.errors, []);
  });
}

// A lecturer's walkthrough of every lesson in presenter mode: the goal and the question
// before playing; PageDown (a clicker) to each pause point, each with its narration as the
// caption and nothing in flight; the reveal at the end (not the last pause's narration);
// at every stop the ring and the counters the lesson's claims name are on the one screen.

/** The lessons by link name, in the order the app lists them (core/src/lessons.rs). */
const LESSON_NAMES = [...fs.readFileSync(path.join(root, "core", "src", "lessons.rs"), "utf8")
  .matchAll(/^\s*\("([^"]+)", include_str!/gm)].map((m) => m[1]);

/** A lesson file's narrations (TOML basic strings), and the counters its claims name. */
function lessonText(name) {
  const toml = fs.readFileSync(path.join(root, "scenarios", "lessons", `${name}.toml`), "utf8");
  const narrations = [...toml.matchAll(/^narration = "((?:[^"\\]|\\.)*)"/gm)].map((m) => JSON.parse(`"${m[1]}"`));
  const reveal = JSON.parse(`"${toml.match(/^reveal = "((?:[^"\\]|\\.)*)"/m)[1]}"`);
  const keys = new Set([...toml.matchAll(/(?:expect|reveal_expect) = \{([^}]*)\}/g)]
    .flatMap((m) => [...m[1].matchAll(/(\w+) =/g)].map((k) => k[1])));
  const METRIC = { ring_len: "in-ring", ring_len_min: "in-ring", list_len: "in-list", list_len_min: "in-list",
    in_flight: "in-flight", dropped: "dropped", dropped_min: "dropped", overflowed: "overflowed", overflowed_min: "overflowed",
    eagain: "eagain", eagain_min: "eagain", ebusy: "ebusy", ebusy_min: "ebusy", timer_fires: "timer-fires",
    timer_fires_min: "timer-fires", flushed_timer_min: "flushed", flushed_syscall_min: "flushed", flushed_syscall: "flushed",
    flushed_submit_min: "flushed", flushed_completion_min: "flushed", all_reaped: "reaped", reaped: "reaped",
    reaped_min: "reaped", submitted: "submitted", cq_overflow: "cq-overflow" };
  const metrics = [...new Set([...keys].map((k) => METRIC[k]).filter(Boolean))].map((m) => `metric-${m}`);
  return { narrations, reveal, metrics };
}

/** Asserts each test id is inside the viewport (the one screen, no scrolling). */
async function inView(page, ids, where) {
  const { width, height } = page.viewportSize();
  for (const id of ids) {
    const box = await page.locator(`[data-testid=${id}]`).first().boundingBox();
    assert.ok(box && box.x >= 0 && box.y >= 0 && box.x + box.width <= width + 1 && box.y + box.height <= height + 1,
      `${where}: ${id} at ${JSON.stringify(box)} in ${width}×${height}`);
  }
}

for (const [width, height] of [[1366, 900], [1920, 1080]]) {
  test(`a lecturer walks every lesson in presenter mode at ${width}×${height}`, async () => {
    const page = b.page;
    await page.setViewportSize({ width, height });
    assert.ok(LESSON_NAMES.length >= 13, LESSON_NAMES.join(", "));
    for (const name of LESSON_NAMES) {
      const { narrations, reveal, metrics } = lessonText(name);
      await load(page, `${b.base}#v=1&lesson=${name}&paused=1&present=1`);
      const where = `${name} at ${width}×${height}`;
      assert.ok((await page.textContent("[data-testid=lesson-goal]")).length > 10, `${where}: the goal before playing`);
      assert.equal(await page.locator("[data-testid=caption] [data-testid=lesson-question]").count(), 1, `${where}: the question is the caption`);
      await inView(page, ["ring", "lesson-question", "lesson-next", ...metrics], `${where}, at the start`);
      for (let i = 1; i <= narrations.length; i++) {
        await page.keyboard.press("PageDown");
        await page.waitForSelector(`[data-testid=lesson-narration][data-index='${i}']`);
        assert.equal(await page.getAttribute("[data-testid=lesson]", "data-passed"), String(i));
        const caption = await page.textContent("[data-testid=caption]");
        assert.ok(caption.includes(narrations[i - 1]), `${where}: pause ${i}'s narration in the caption: ${caption}`);
        assert.equal(await page.locator("[data-testid=flying-token]").count(), 0, `${where}: nothing in flight at pause ${i}`);
        await inView(page, ["ring", "caption", "lesson-next", ...metrics], `${where}, pause ${i}`);
      }
      await page.keyboard.press("PageDown");
      await page.waitForSelector("[data-testid=lesson-reveal]");
      assert.equal(await page.getAttribute("[data-testid=lesson]", "data-revealed"), "true");
      assert.equal(await page.getAttribute("[data-testid=lesson]", "data-passed"), String(narrations.length));
      assert.equal(await page.getAttribute("[data-testid=lesson-reveal]", "data-holds"), "true", where);
      const caption = await page.textContent("[data-testid=caption]");
      assert.ok(caption.includes(reveal), `${where}: the reveal is the caption`);
      assert.equal(await page.locator("[data-testid=lesson-narration]").count(), 0, `${where}: not the last pause's narration`);
      await inView(page, ["ring", "caption", ...metrics], `${where}, the reveal`);
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scrollWidth <= width, `${where}: nothing scrolls sideways (${scrollWidth})`);
    }
    await shot(page, `presenter-lesson-reveal-${width}x${height}`);
    assert.deepEqual(b.errors, []);
  });
}

test("in normal mode at 1366×900 the lesson panel leaves the ring on the first screen", async () => {
  const page = b.page;
  await page.setViewportSize({ width: 1366, height: 900 });
  for (const name of ["stuck", "libaio", "aio-2012-eagain"]) {
    await load(page, `${b.base}#v=1&lesson=${name}&paused=1`);
    const ring = await page.locator("[data-testid=ring]").first().boundingBox();
    assert.ok(ring.y + ring.height / 2 <= 900, `${name}: the ring's middle is above the fold: ${JSON.stringify(ring)}`);
    assert.equal(await page.locator("[data-testid=lesson-question]").count(), 1);
  }
  await shot(page, "lesson-normal-1366x900");
});
