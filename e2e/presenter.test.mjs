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
import { openBrowser, load, shot } from "./browser.mjs";

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
