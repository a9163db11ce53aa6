// End-to-end: the animated main view. Serves the built dist/, opens it in headless
// Chromium, chooses a model and a small ring, steps and plays until the ring is full,
// and checks what the page shows against the test hooks (README "Testing → test hooks").
//
//   node --test e2e/view.test.mjs        (after `trunk build`)
//
// Screenshots of the main states go to e2e/screenshots/ (gitignored).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { openBrowser, shots } from "./browser.mjs";

let browser;
let page;
let pageErrors;

before(async () => {
  browser = await openBrowser("view");
  ({ page, errors: pageErrors } = browser);
  await page.goto(browser.base, { waitUntil: "load", timeout: 30_000 });
  await page.waitForSelector("[data-testid=ring]", { timeout: 30_000 });
});

after(async () => {
  await browser?.close();
});

const value = async (testid) => Number(await page.getAttribute(`[data-testid=${testid}]`, "data-value"));
const metrics = async () => {
  const names = ["submitted", "completed", "reaped", "overflowed", "flushed", "dropped", "eagain", "ebusy",
    "syscalls", "timer-fires", "in-flight", "in-ring", "in-list"];
  const out = {};
  for (const n of names) out[n] = await value(`metric-${n}`);
  return out;
};
const slots = (state) => page.locator(`[data-testid=ring-slot][data-state=${state}]`).count();
const shot = (name) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

async function setControl(name, text) {
  const el = page.locator(`[data-testid=control-${name}]`);
  if ((await el.evaluate((e) => e.tagName)) === "SELECT") await el.selectOption(text);
  else await el.fill(text), await el.press("Tab");
}

/** Clicks Step until `done()` holds (at most `max` times). */
async function stepUntil(done, max = 400) {
  for (let i = 0; i < max; i++) {
    if (await done()) return true;
    await page.click("[data-testid=step]");
  }
  return done();
}

function assertLedger(m, label) {
  assert.equal(m.submitted, m["in-flight"] + m["in-ring"] + m["in-list"] + m.reaped + m.dropped, `ledger at ${label}: ${JSON.stringify(m)}`);
}

test("every control and transport hook is present", async () => {
  for (const name of ["model", "ring-entries", "max-requests", "submit-rate", "batch", "latency-dist", "latency",
    "reaper-policy", "reaper-interval", "reaper-batch", "timer", "timer-period", "flag", "seed"]) {
    assert.equal(await page.locator(`[data-testid=control-${name}]`).count(), 1, `control-${name}`);
  }
  for (const name of ["play", "step", "step-back", "reset", "head-pointer", "tail-pointer", "overflow-list",
    "overflow-flag", "timer", "sim-time", "ledger"]) {
    assert.equal(await page.locator(`[data-testid=${name}]`).count(), 1, name);
  }
  assert.equal(await value("sim-time"), 0);
  assert.equal(await page.getAttribute("[data-testid=ledger]", "data-holds"), "true");
});

test("an invalid value is rejected next to its control and the run goes on", async () => {
  await setControl("ring-entries", "1");
  const msg = await page.textContent("[data-testid=error-ring-entries]");
  assert.match(msg, /out of range; allowed 2 to 65536/);
  await setControl("ring-entries", "lots");
  assert.match(await page.textContent("[data-testid=error-ring-entries]"), /not a whole number/);
  assert.equal(await slots("empty") + (await slots("full")), 8, "the ring is unchanged");
});

test("proposal with a 4-slot ring: the ring fills, the list grows, the flag lights, a syscall flushes", async () => {
  await setControl("model", "proposal");
  await setControl("ring-entries", "4");
  await setControl("reaper-policy", "syscall");
  await setControl("reaper-interval", "200");
  assert.equal(await page.locator("[data-testid=ring-slot]").count(), 4);
  assert.equal(await page.locator("[data-testid^=error-]").count(), 0, "no control is in error");

  // aio layout: capacity is entries − 1.
  assert.ok(await stepUntil(async () => (await slots("full")) === 3), "the ring filled to its capacity of 3");
  await shot("ring-full");
  assert.ok(await stepUntil(async () => (await page.locator("[data-testid=overflow-item]").count()) >= 2), "the list grows");
  assert.equal(await page.getAttribute("[data-testid=overflow-flag]", "data-on"), "true", "the flag is lit");
  await shot("overflow");
  const m = await metrics();
  assert.ok(m.overflowed >= 2 && m["in-list"] >= 2, JSON.stringify(m));
  assertLedger(m, "overflow");
  // The list's cards are oldest first.
  const cards = await page.$$eval("[data-testid=overflow-item]", (els) => els.map((e) => Number(e.dataset.userData)));
  assert.deepEqual(cards, [...cards].sort((a, b) => a - b));

  // The head and tail pointers show the raw counters the ring holds.
  const head = await value("head-pointer");
  const tail = await value("tail-pointer");
  assert.ok(Number.isInteger(head) && Number.isInteger(tail));

  assert.ok(await stepUntil(async () => (await value("metric-flushed")) > 0), "something flushed the list");
  await shot("flushed");
  assert.match(await page.textContent("[data-testid=event-log]"), /flush by/);
  assertLedger(await metrics(), "flush");
});

test("step back restores the previous counters exactly", async () => {
  const before = await metrics();
  const timeBefore = await value("sim-time");
  const headBefore = await value("head-pointer");
  await page.click("[data-testid=step]");
  await page.click("[data-testid=step]");
  await page.click("[data-testid=step-back]");
  await page.click("[data-testid=step-back]");
  assert.deepEqual(await metrics(), before);
  assert.equal(await value("sim-time"), timeBefore);
  assert.equal(await value("head-pointer"), headBefore);
});

test("the timer rescues the list when completions stop (libaio never syscalls on an empty ring)", async () => {
  await setControl("reaper-policy", "libaio");
  await setControl("reaper-batch", "1");
  await page.click("[data-testid=reset]");
  // Play fast until the timer fires or the run ends.
  await page.evaluate(() => document.activeElement?.blur());
  for (let i = 0; i < 12; i++) await page.keyboard.press("]");
  await page.keyboard.press(" ");
  await page.waitForFunction(
    () => Number(document.querySelector("[data-testid=metric-timer-fires]").dataset.value) > 0
      || document.querySelector("[data-testid=play]").getAttribute("aria-pressed") === "false",
    null,
    { timeout: 20_000 },
  );
  await page.keyboard.press(" ");
  await shot("played");
  const m = await metrics();
  assertLedger(m, "after play");
  assert.equal(await page.getAttribute("[data-testid=ledger]", "data-holds"), "true");
  assert.ok(m.completed > 0 && m.reaped > 0, JSON.stringify(m));
});

test("io_uring at the kernel's 65536-entry limit draws 64 arcs and keeps playing", async () => {
  await setControl("model", "io_uring");
  await setControl("ring-entries", "65536");
  assert.equal(await page.locator("[data-testid=ring-slot]").count(), 64);
  await page.click("[data-testid=play]");
  await page.waitForTimeout(500);
  await page.click("[data-testid=play]");
  const states = await page.$$eval("[data-testid=ring-slot]", (s) => [...new Set(s.map((e) => e.dataset.state))]);
  assert.ok(states.every((s) => ["empty", "partial", "full"].includes(s)), String(states));
  assert.equal(await page.getAttribute("[data-testid=overflow-flag]", "data-on"), "false");
  await shot("big-ring");
});

test("the shortcuts dialog opens with ? and closes with Escape", async () => {
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press("?");
  assert.equal(await page.locator("[data-testid=shortcuts]").count(), 1);
  await shot("shortcuts");
  await page.keyboard.press("Escape");
  assert.equal(await page.locator("[data-testid=shortcuts]").count(), 0);
});

test("no errors in the page", () => {
  assert.deepEqual(pageErrors, []);
});
