// End-to-end: the polish of the animated view. The mail-notes panel (the proposal's
// words vs ringlab's reading) shows for the proposal only; flying tokens move events
// after a step, and none are made under prefers-reduced-motion; presenter mode keeps
// the ring, the overflow list, the flag and the timer above the fold at 1360×900 and
// 1920×1080 (screenshots in e2e/screenshots/presenter-<width>.png).
//
//   node --test e2e/polish.test.mjs        (after `trunk build`)

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openBrowser, load, shot } from "./browser.mjs";

let b;
before(async () => {
  b = await openBrowser("polish");
});
after(async () => {
  await b?.close();
});

const tokens = () => b.page.locator("[data-testid=flying-token]").count();
const moved = async (page) => {
  const get = (sel, attr) => page.getAttribute(sel, attr);
  return [await get("[data-testid=ring]", "data-len"), await get("[data-testid=ring]", "data-tail-slot"),
    await get("[data-testid=ring]", "data-head-slot"), await get("[data-testid=overflow-list]", "data-length")].join(",");
};

test("the mail-notes panel shows for the proposal and not for io_uring", async () => {
  const page = b.page;
  await load(page, `${b.base}#v=1&model=proposal&timer_rearm=false&paused=1`);
  const notes = page.locator("[data-testid=mail-notes]");
  assert.equal(await notes.count(), 1);
  assert.match(await notes.textContent(), /What the mail says/);
  assert.equal(await page.locator("[data-testid=mail-notes-word]").count(), 4, "the mail's four rules");
  assert.equal(await page.locator("[data-testid=mail-notes-option]").count(), 7);
  const rearm = page.locator("[data-testid=mail-notes-option][data-key=timer_rearm]");
  assert.equal(await rearm.getAttribute("data-value"), "off", "the option's value comes from the scenario");
  assert.match(await rearm.textContent(), /timer_rearm: off/);
  await load(page, `${b.base}#v=1&model=io_uring&paused=1`);
  assert.equal(await page.locator("[data-testid=mail-notes]").count(), 0);
  await load(page, `${b.base}#v=1&model=aio&paused=1`);
  assert.equal(await page.locator("[data-testid=mail-notes]").count(), 0);
  assert.deepEqual(b.errors, []);
});

/** Steps until the ring or the list changes (at most `limit` steps); returns the tokens seen right after. */
async function stepUntilMoved(page, limit = 80) {
  for (let i = 0; i < limit; i++) {
    const before = await moved(page);
    await page.click("[data-testid=step]");
    await page.waitForFunction(() => true);
    if ((await moved(page)) !== before) return tokens();
  }
  throw new Error(`nothing moved in ${limit} steps`);
}

test("reduced motion: stepping moves events without any flying token", async () => {
  const page = b.page;
  await page.emulateMedia({ reducedMotion: "reduce" });
  try {
    await load(page, `${b.base}#v=1&model=proposal&paused=1`);
    for (let i = 0; i < 4; i++) {
      assert.equal(await stepUntilMoved(page), 0, "no token under prefers-reduced-motion");
      await page.waitForTimeout(30);
      assert.equal(await tokens(), 0);
    }
  } finally {
    await page.emulateMedia({ reducedMotion: "no-preference" });
  }
  assert.deepEqual(b.errors, []);
});

test("a step that moves an event starts a flying token, which then leaves", async () => {
  const page = b.page;
  await load(page, `${b.base}#v=1&model=proposal&paused=1`);
  assert.ok((await stepUntilMoved(page)) >= 1, "a token flies after a step that moved an event");
  const kind = await page.getAttribute("[data-testid=flying-token]", "data-kind");
  assert.ok(["to_ring", "to_list", "flush", "reaped"].includes(kind), kind);
  await page.waitForFunction(() => !document.querySelector("[data-testid=flying-token]"), null, { timeout: 5_000 });
  // A flush carries its trigger. (Each step waits for the tokens in flight to land: new
  // moves that would crowd the air are not animated.)
  await load(page, `${b.base}#v=1&lesson=stuck&paused=1`);
  const landed = () => page.waitForFunction(() => !document.querySelector("[data-testid=flying-token]"), null, { timeout: 5_000 });
  let trigger = null;
  for (let i = 0; i < 200 && !trigger; i++) {
    await landed();
    await page.click("[data-testid=step]");
    trigger = await page.locator("[data-testid=flying-token][data-kind=flush]").first().getAttribute("data-trigger", { timeout: 50 }).catch(() => null);
  }
  assert.ok(["completion", "syscall", "submit", "timer"].includes(trigger), `flush trigger ${trigger}`);
  assert.deepEqual(b.errors, []);
});

test("presenter mode keeps the ring, the list, the flag and the timer above the fold", async () => {
  const page = b.page;
  for (const [width, height] of [[1360, 900], [1920, 1080]]) {
    await page.setViewportSize({ width, height });
    for (const hash of ["#v=1&lesson=stuck&t=300000&paused=1&present=1", "#v=1&t=1500000&paused=1&present=1"]) {
      await load(page, `${b.base}${hash}`);
      for (const id of ["ring", "overflow-list", "overflow-flag", "timer", "caption"]) {
        const box = await page.locator(`[data-testid=${id}]`).boundingBox();
        assert.ok(box && box.y >= 0 && box.y + box.height <= height + 1, `${width}×${height} ${hash}: ${id} ends at ${box && box.y + box.height}`);
      }
    }
    await load(page, `${b.base}#v=1&lesson=stuck&t=300000&paused=1&present=1`);
    // The settled picture, not one mid-animation.
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running"), null, { timeout: 5_000 });
    await shot(page, `presenter-${width}`);
  }
  await page.setViewportSize({ width: 1360, height: 900 });
  assert.deepEqual(b.errors, []);
});
