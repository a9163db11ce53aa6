// End-to-end: the first screen on a phone (390×844), a tablet (768×1024) and a laptop
// (1280×720). Each shows the ring, the overflow list's count, the transport (Play, Step,
// Back) and the run hash without scrolling, nothing covers them, nothing scrolls sideways;
// on the phone and the tablet every button and fold is at least 44 px and the controls,
// the mail notes and the charts start folded (their hooks stay in the page); the scrubber
// follows a finger. Screenshots: e2e/screenshots/layout-<width>x<height>.png.
//
//   node --test e2e/layout.test.mjs        (after `trunk build`)

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openBrowser, load, shot } from "./browser.mjs";

const VIEWPORTS = [
  { name: "phone", width: 390, height: 844, small: true },
  { name: "tablet", width: 768, height: 1024, small: true },
  { name: "laptop", width: 1280, height: 720, small: false },
];
/** What the first screen must show, by hook: the ring, the list's count, the transport, the run hash. */
const FIRST_SCREEN = ["ring", "overflow-length", "play", "step", "step-back", "run-hash"];

let b;
before(async () => {
  b = await openBrowser("layout", { width: 390, height: 844 });
});
after(async () => {
  await b?.close();
});

const settled = (page) => page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running"), null, { timeout: 5_000 });

/** The boxes of the first screen's hooks, and for each whether the element itself is what the
 * page shows at its centre (nothing covers it). */
const firstScreen = (page) => page.evaluate((ids) => ids.map((id) => {
  const el = document.querySelector(`[data-testid=${id}]`);
  if (!el) return { id, missing: true };
  const r = el.getBoundingClientRect();
  const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
  return { id, x: r.x, y: r.y, right: r.right, bottom: r.bottom, width: r.width, height: r.height,
    covered: !(hit && (el === hit || el.contains(hit))), by: hit && !el.contains(hit) ? hit.outerHTML.slice(0, 80) : null };
}), FIRST_SCREEN);

const overlap = (a, b) => a.x < b.right - 0.5 && b.x < a.right - 0.5 && a.y < b.bottom - 0.5 && b.y < a.bottom - 0.5;

for (const vp of VIEWPORTS) {
  test(`${vp.name} ${vp.width}×${vp.height}: the ring, the list's count, the transport and the run hash on the first screen`, async () => {
    const page = b.page;
    await page.setViewportSize({ width: vp.width, height: vp.height });
    await load(page, b.base);
    await settled(page);
    await shot(page, `layout-${vp.width}x${vp.height}`);
    assert.equal(await page.evaluate(() => scrollY), 0, "the page opens at its top");
    const boxes = await firstScreen(page);
    for (const box of boxes) {
      assert.ok(!box.missing, `${box.id} is in the page`);
      assert.ok(box.width > 0 && box.height > 0, `${box.id} has a size`);
      assert.ok(box.x >= 0 && box.y >= 0 && box.right <= vp.width + 0.5 && box.bottom <= vp.height + 0.5,
        `${box.id} is inside the ${vp.width}×${vp.height} viewport without scrolling: ${JSON.stringify(box)}`);
      assert.ok(!box.covered, `${box.id} is not covered (found ${box.by} at its centre)`);
    }
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        assert.ok(!overlap(boxes[i], boxes[j]), `${boxes[i].id} and ${boxes[j].id} overlap: ${JSON.stringify([boxes[i], boxes[j]])}`);
      }
    }
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth }));
    assert.ok(scrollWidth <= innerWidth, `nothing scrolls sideways: scrollWidth ${scrollWidth} > ${innerWidth}`);
    // The actors read as words, not a word per line.
    const actors = await page.$$eval(".actor", (els) => els.map((e) => Math.round(e.getBoundingClientRect().height)));
    assert.ok(actors.length === 3 && actors.every((h) => h <= 110), `actor boxes ${actors} px tall`);
    assert.deepEqual(b.errors, []);
  });

  test(`${vp.name}: the controls, mail notes and charts ${vp.small ? "start folded" : "start open"}; every hook stays in the page`, async () => {
    const page = b.page;
    await page.setViewportSize({ width: vp.width, height: vp.height });
    await load(page, `${b.base}#v=1&model=proposal&paused=1`);
    const open = await page.evaluate(() => ({
      controls: document.querySelector(".controls__fold").open,
      charts: document.querySelector(".fold--charts").open,
      mail: document.querySelector("[data-testid=mail-notes]").open,
    }));
    assert.deepEqual(open, { controls: !vp.small, charts: !vp.small, mail: !vp.small });
    for (const id of ["controls", "control-model", "control-seed", "control-reaper-policy", "chart-ring", "chart-syscalls", "mail-notes",
      "mail-notes-option", "copy-link", "scenario-picker", "present", "export-csv", "speed", "speed-label", "scrubber", "event-log",
      "metric-submitted", "ledger", "shortcuts-open", "live-summary"]) {
      assert.ok((await page.locator(`[data-testid=${id}]`).count()) >= 1, `${id} is in the page`);
    }
    if (vp.small) {
      // A fold opens on demand, and its controls work.
      await page.click(".controls__fold > summary");
      assert.ok(await page.locator("[data-testid=control-seed]").isVisible());
      await page.click(".fold--charts > summary");
      assert.ok(await page.locator("[data-testid=chart-ring]").isVisible());
    }
  });
}

test("phone and tablet: every button, field and fold is at least 44 px", async () => {
  const page = b.page;
  for (const vp of VIEWPORTS.filter((v) => v.small)) {
    await page.setViewportSize({ width: vp.width, height: vp.height });
    await load(page, `${b.base}#v=1&lesson=stuck&paused=1`);
    // Open every fold, so that what is inside is measured too.
    await page.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = true)));
    const small = await page.evaluate(() => [...document.querySelectorAll("button, summary, select, input[type=text], input[type=number], input[type=file]")]
      // Shown, and not visually hidden behind a label that is the target (a 1 px file input).
      .filter((e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden"
        && e.getBoundingClientRect().width > 2 && e.getBoundingClientRect().height > 2)
      .map((e) => ({ what: e.dataset.testid || e.textContent.trim().slice(0, 30) || e.tagName, w: e.getBoundingClientRect().width, h: e.getBoundingClientRect().height }))
      .filter((r) => r.h < 44 || (r.w < 44)));
    assert.deepEqual(small, [], `${vp.width}×${vp.height}: targets under 44 px`);
  }
});

test("phone: a finger drags the scrubber (touch pointer events move the run)", async () => {
  const page = b.page;
  await page.setViewportSize({ width: 390, height: 844 });
  const cdp = await b.context.newCDPSession(page);
  await cdp.send("Emulation.setTouchEmulationEnabled", { enabled: true, maxTouchPoints: 5 });
  try {
    await load(page, b.base);
    const scrubber = page.locator("[data-testid=scrubber]");
    await scrubber.scrollIntoViewIfNeeded();
    const box = await scrubber.boundingBox();
    assert.ok(box.height >= 44, `the scrubber is ${box.height} px tall`);
    await page.evaluate(() => {
      window.__pointers = [];
      document.querySelector("[data-testid=scrubber]").addEventListener("pointermove", (e) => window.__pointers.push(e.pointerType));
    });
    const y = box.y + box.height / 2;
    const before = Number(await page.getAttribute("[data-testid=sim-time]", "data-value"));
    await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x: box.x + 6, y }] });
    for (let i = 1; i <= 12; i++) {
      await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [{ x: box.x + 6 + (i * box.width * 0.5) / 12, y }] });
    }
    await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
    await page.waitForFunction((t) => Number(document.querySelector("[data-testid=sim-time]").dataset.value) > t, before, { timeout: 5_000 });
    const after = Number(await page.getAttribute("[data-testid=sim-time]", "data-value"));
    const end = Number(await scrubber.getAttribute("max"));
    assert.ok(after > end * 0.3 && after < end * 0.7, `dragged to about the middle: ${after} of ${end}`);
    assert.ok((await page.evaluate(() => window.__pointers)).includes("touch"), "touch pointer events reached the scrubber");
    assert.equal(await page.evaluate(() => scrollX), 0, "the drag did not scroll the page sideways");
  } finally {
    await cdp.send("Emulation.setTouchEmulationEnabled", { enabled: false });
    await cdp.detach();
  }
  assert.deepEqual(b.errors, []);
});

test("phone: no view scrolls sideways or is cut at the edge (lesson, four models compared, bad link, presenter, embed)", async () => {
  const page = b.page;
  await page.setViewportSize({ width: 390, height: 844 });
  for (const hash of ["#v=1&lesson=stuck&paused=1", "#v=1&compare=proposal,io_uring,aio,io_uring-5.1&paused=1", "#v=1&model=nope",
    "#v=1&lesson=stuck&t=420000&paused=1&present=1", "#v=1&embed=1&paused=1"]) {
    await load(page, `${b.base}${hash}`);
    await settled(page);
    const { scrollWidth, cut } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      // Panels clip what overflows them (contain: paint), so look at every box too.
      cut: [...document.querySelectorAll("body *")].filter((e) => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && (r.right > innerWidth + 1 || r.left < -1);
      }).slice(0, 5).map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().left)}..${Math.round(e.getBoundingClientRect().right)}`),
    }));
    assert.ok(scrollWidth <= 390, `${hash}: scrollWidth ${scrollWidth}`);
    assert.deepEqual(cut, [], `${hash}: boxes past the edge`);
  }
  assert.deepEqual(b.errors, []);
});

test("a phone turned sideways (844×390) still shows the share bar", async () => {
  const page = b.page;
  await page.setViewportSize({ width: 390, height: 844 });
  await load(page, b.base);
  await page.setViewportSize({ width: 844, height: 390 });
  assert.ok(await page.locator("[data-testid=copy-link]").isVisible(), "the share bar is not left folded away");
  await page.setViewportSize({ width: 390, height: 844 });
});
