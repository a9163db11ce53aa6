// End-to-end: accessibility, measured. axe-core (the exact version pinned in
// package.json) scans the first screen, a lesson, compare mode, presenter mode, the
// shortcuts dialog and the bad-link banner, in the light and the dark colour scheme: no
// serious or critical violation. Then what axe cannot see: the shortcuts dialog is a
// native modal that Escape closes and that gives focus back to its opener; the single-key
// shortcuts can be turned off (remembered across a reload) and speed has keys that exist
// on German, French and Nordic layouts; while playing, the event log is not a live region
// and a summary speaks at most once a second.
//
//   node --test e2e/a11y.test.mjs        (after `trunk build`)

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { openBrowser, load, root, shot } from "./browser.mjs";

const AXE = path.join(root, "node_modules", "axe-core", "axe.min.js");
const VIEWS = [
  ["first screen", ""],
  ["lesson", "#v=1&lesson=stuck&paused=1"],
  ["lesson at a pause point", "#v=1&lesson=stuck&t=420000&paused=1"],
  ["compare mode", "#v=1&compare=proposal,io_uring,aio&paused=1"],
  ["presenter mode", "#v=1&lesson=stuck&t=420000&paused=1&present=1"],
  ["shortcuts dialog", "", async (page) => {
    await page.click("[data-testid=shortcuts-open]");
    await page.waitForSelector("dialog[data-testid=shortcuts][open]");
  }],
  ["bad-link banner", "#v=1&model=nope"],
];

let b;
before(async () => {
  assert.ok(fs.existsSync(AXE), "node_modules/axe-core is missing: npm ci");
  b = await openBrowser("a11y", { width: 1280, height: 800 });
});
after(async () => {
  await b?.close();
});

const settled = (page) => page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running"), null, { timeout: 5_000 });

/** axe's violations on the page as it is now: [{ id, impact, nodes: [selector: summary] }]. */
async function scan(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact,
      nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${(n.failureSummary ?? "").split("\n").slice(1).join(" ").trim()}`) }));
  });
}

for (const scheme of ["light", "dark"]) {
  for (const [width, height] of [[1280, 800], [390, 844]]) {
    test(`axe: no serious or critical violation, ${scheme} scheme, ${width}×${height}`, async () => {
      const page = b.page;
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme: scheme });
      const serious = [];
      const minor = [];
      for (const [name, hash, open] of VIEWS) {
        await load(page, `${b.base}${hash}`);
        if (open) await open(page);
        await settled(page);
        for (const v of await scan(page)) {
          (["serious", "critical"].includes(v.impact) ? serious : minor).push({ view: name, ...v });
        }
        if (width === 1280) await shot(page, `a11y-${scheme}-${name.replaceAll(" ", "-")}`);
      }
      if (minor.length) console.log(`# ${scheme} ${width}×${height}: minor or moderate: ${JSON.stringify(minor)}`);
      assert.deepEqual(serious, [], JSON.stringify(serious, null, 1));
      await page.emulateMedia({ colorScheme: "light" });
      await page.setViewportSize({ width: 1280, height: 800 });
    });
  }
}

const focused = (page) => page.evaluate(() => document.activeElement?.dataset?.testid ?? document.activeElement?.tagName);
const dialogState = (page) => page.evaluate(() => {
  const d = document.querySelector("[data-testid=shortcuts]");
  return d ? { tag: d.tagName, open: d.open, modal: d.matches(":modal"), focusInside: d.contains(document.activeElement) } : null;
});

test("the shortcuts dialog: a native modal, opened by a button, closed by Escape, focus back on the opener", async () => {
  const page = b.page;
  await load(page, b.base);
  const opener = page.locator("[data-testid=shortcuts-open]");
  assert.ok(await opener.isVisible(), "a visible button opens the shortcuts");
  await opener.click();
  assert.deepEqual(await dialogState(page), { tag: "DIALOG", open: true, modal: true, focusInside: true });
  // The page behind is inert: a click on Play does not reach it.
  await page.locator("[data-testid=play]").click({ timeout: 1_000, trial: true }).then(() => assert.fail("Play is clickable behind the modal"), () => {});
  await page.keyboard.press("Escape");
  assert.equal(await dialogState(page), null, "Escape closed it");
  assert.equal(await focused(page), "shortcuts-open", "focus is back on the button that opened it");
  // The Close button, and Escape from inside a field of the dialog.
  await opener.click();
  await page.click("dialog[data-testid=shortcuts] button:has-text('Close')");
  assert.equal(await dialogState(page), null);
  assert.equal(await focused(page), "shortcuts-open");
  await opener.click();
  await page.focus("[data-testid=shortcuts-enabled]");
  await page.keyboard.press("Escape");
  // The native dialog closes itself; its close event (a task later) closes it in the model.
  await page.waitForFunction(() => !document.querySelector("[data-testid=shortcuts]"), null, { timeout: 2_000 });
  assert.equal(await dialogState(page), null, "Escape from the switch closes it too (the dialog's close event)");
  assert.equal(await focused(page), "shortcuts-open");
  // ? opens it from the page and closes it again.
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press("?");
  assert.equal((await dialogState(page))?.modal, true);
  await shot(page, "shortcuts-dialog");
  await page.keyboard.press("?");
  assert.equal(await dialogState(page), null);
  assert.deepEqual(b.errors, []);
});

test("the single-key shortcuts can be turned off (remembered), and speed has keys on European layouts", async () => {
  const page = b.page;
  await load(page, b.base);
  const speed = () => page.inputValue("[data-testid=speed]").then(Number);
  const blur = () => page.evaluate(() => document.activeElement?.blur());
  const start = await speed();
  await blur();
  await page.keyboard.press("+");
  assert.equal(await speed(), start + 1, "+ is faster (German, Nordic)");
  await page.keyboard.press("=");
  assert.equal(await speed(), start + 2, "= is faster (US, French: + without Shift)");
  await page.keyboard.press("-");
  await page.keyboard.press("-");
  assert.equal(await speed(), start, "- is slower");
  await page.keyboard.press("]");
  await page.keyboard.press("[");
  assert.equal(await speed(), start, "[ and ] still work");

  await page.click("[data-testid=shortcuts-open]");
  assert.equal(await page.isChecked("[data-testid=shortcuts-enabled]"), true);
  await page.uncheck("[data-testid=shortcuts-enabled]");
  await page.keyboard.press("Escape");
  await page.waitForFunction(() => !document.querySelector("[data-testid=shortcuts]"), null, { timeout: 2_000 });
  assert.equal(await dialogState(page), null, "Escape still closes the dialog with the shortcuts off");
  await blur();
  // At the start, Back is disabled: it stays so while no key steps.
  const atStart = () => page.isDisabled("[data-testid=step-back]");
  assert.equal(await atStart(), true);
  for (const key of ["ArrowRight", "PageDown", "+", "]", "p", "b", "?", " "]) await page.keyboard.press(key);
  assert.equal(await atStart(), true, "no step");
  assert.equal(await speed(), start, "no speed change");
  assert.equal(await page.getAttribute("[data-testid=play]", "aria-pressed"), "false", "Space did not play");
  assert.equal(await page.getAttribute("[data-testid=app]", "data-present"), "false");
  assert.equal(await page.locator("[data-testid=blank]").count(), 0);
  assert.equal(await dialogState(page), null, "? did not open the dialog");

  // Remembered on this device.
  await load(page, b.base);
  await blur();
  await page.keyboard.press("ArrowRight");
  assert.equal(await atStart(), true, "still off after a reload");
  await page.click("[data-testid=shortcuts-open]");
  assert.equal(await page.isChecked("[data-testid=shortcuts-enabled]"), false);
  await page.check("[data-testid=shortcuts-enabled]");
  await page.click("dialog[data-testid=shortcuts] button:has-text('Close')");
  await blur();
  await page.keyboard.press("ArrowRight");
  assert.equal(await atStart(), false, "on again: → steps");
  assert.equal(await page.evaluate(() => localStorage.getItem("ringlab.shortcuts")), "on");
  assert.deepEqual(b.errors, []);
});

test("while playing, the log is not a live region and the summary speaks at most once a second", async () => {
  const page = b.page;
  await load(page, b.base);
  const live = page.locator("[data-testid=live-summary]");
  assert.equal(await live.getAttribute("aria-live"), "polite");
  assert.equal(await page.getAttribute("[data-testid=event-log]", "aria-live"), "polite", "paused: a step's line is read out");
  await page.evaluate(() => {
    window.__spoken = [];
    window.__otherLive = [];
    const el = document.querySelector("[data-testid=live-summary]");
    new MutationObserver(() => window.__spoken.push([performance.now(), el.textContent.trim()]))
      .observe(el, { childList: true, subtree: true, characterData: true });
    // Any other live region that changes while playing (a new one counts too).
    const live = "[aria-live]:not([aria-live=off]), [role=status], [role=log], [role=alert]";
    new MutationObserver((records) => {
      for (const r of records) {
        const node = r.target.nodeType === 1 ? r.target : r.target.parentElement;
        const region = node?.closest(live) ?? [...r.addedNodes].find((n) => n.nodeType === 1 && n.matches(live));
        if (region && region.dataset.testid !== "live-summary") window.__otherLive.push(region.outerHTML.slice(0, 80));
      }
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  await page.click("[data-testid=play]");
  await page.waitForTimeout(200);
  assert.equal(await page.getAttribute("[data-testid=event-log]", "aria-live"), null, "playing: the log is not live");
  await page.waitForTimeout(3_600);
  const otherLive = await page.evaluate(() => window.__otherLive);
  assert.deepEqual(otherLive.slice(0, 3), [], `${otherLive.length} changes to other live regions while playing`);
  await page.click("[data-testid=play]");
  await page.waitForFunction(() => document.querySelector("[data-testid=live-summary]").textContent.includes("Paused at"));
  assert.equal(await page.getAttribute("[data-testid=event-log]", "aria-live"), "polite");
  const spoken = (await page.evaluate(() => window.__spoken)).filter(([, text]) => text);
  const whilePlaying = spoken.filter(([, text]) => !text.startsWith("Paused"));
  assert.ok(whilePlaying.length >= 2 && whilePlaying.length <= 4, `${whilePlaying.length} summaries in 3.8 s: ${JSON.stringify(spoken)}`);
  for (let i = 1; i < whilePlaying.length; i++) {
    assert.ok(whilePlaying[i][0] - whilePlaying[i - 1][0] >= 900, `two summaries within a second: ${JSON.stringify(whilePlaying)}`);
  }
  for (const [, text] of whilePlaying) assert.match(text, /^At .+: .+\.$/, "one sentence");
  assert.match(spoken.at(-1)[1], /^Paused at .+ in the ring/);
  assert.deepEqual(b.errors, []);
});
