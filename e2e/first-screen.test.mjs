// End-to-end: serve the built dist/ on 127.0.0.1, open it in headless Chromium and check
// that the first screen shows the default scenario.
//
//   node --test e2e/                 (after `trunk build`; scripts/test.sh does both)
//
// Env: RINGLAB_DIST (default dist/), CHROME_BIN (default: chromium on PATH),
// RINGLAB_UPDATE_SCREENSHOT=1 to also refresh docs/screenshot.png for the README.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { root, openBrowser } from "./browser.mjs";

const scenarioToml = fs.readFileSync(path.join(root, "scenarios", "default.toml"), "utf8");

// Read the two facts the page must show straight from the scenario file.
const expectedTitle = scenarioToml.match(/^title\s*=\s*"([^"]*)"/m)?.[1];
const expectedSlots = Number(scenarioToml.match(/^\s*(?:ring_entries|cq_entries|nr_events)\s*=\s*(\d+)/m)?.[1]);

let browser;
let page;
let baseUrl;
let pageErrors;
const foreignRequests = [];

before(async () => {
  browser = await openBrowser("first-screen", { width: 1280, height: 800 });
  ({ page, errors: pageErrors, base: baseUrl } = browser);
  page.on("request", (req) => {
    if (!req.url().startsWith(baseUrl) && !req.url().startsWith("data:")) foreignRequests.push(req.url());
  });
  await page.goto(baseUrl, { waitUntil: "load", timeout: 30_000 });
  await page.waitForSelector("[data-testid=ring]", { timeout: 30_000 });
});

after(async () => {
  await browser?.close();
});

test("the header and the tagline are shown", async () => {
  assert.equal((await page.textContent("[data-testid=app-header] h1")).trim(), "ringlab");
  assert.match(await page.textContent("[data-testid=app-header]"), /completion rings/);
  assert.equal(await page.title(), "ringlab");
});

test("the default scenario's title is shown", async () => {
  assert.ok(expectedTitle, "scenarios/default.toml has a title");
  assert.equal((await page.textContent("[data-testid=scenario-title]")).trim(), expectedTitle);
});

test("the ring has one slot per ring entry of the default scenario", async () => {
  assert.ok(expectedSlots > 0, "scenarios/default.toml names the ring size");
  assert.equal(await page.locator("[data-testid=ring]").count(), 1);
  assert.ok(await page.locator("[data-testid=ring]").isVisible(), "the ring is visible");
  assert.equal(await page.locator("[data-testid=ring-slot]").count(), expectedSlots);
  const states = await page.$$eval("[data-testid=ring-slot]", (slots) => slots.map((s) => s.dataset.state));
  assert.ok(states.every((s) => ["empty", "full", "partial"].includes(s)), `slot states: ${states}`);
  assert.equal(await page.locator("[data-testid=ring-head]").count(), 1);
  assert.equal(await page.locator("[data-testid=ring-tail]").count(), 1);
});

test("the controls have their Model, Workload, Reaper and Transport sections", async () => {
  const headings = await page.$$eval("[data-testid=controls] h2", (hs) => hs.map((h) => h.firstChild.textContent.trim()));
  for (const name of ["Model", "Workload", "Reaper", "Transport"]) {
    assert.ok(headings.includes(name), `a "${name}" heading among ${JSON.stringify(headings)}`);
  }
});

test("the stylesheet applied, nothing left the machine, no errors", async () => {
  const radius = await page.$eval(".stage", (el) => getComputedStyle(el).borderTopLeftRadius);
  assert.equal(radius, "10px", "static/style.css is loaded");
  assert.deepEqual(foreignRequests, [], "every request stays on the local server");
  assert.deepEqual(pageErrors, [], "no errors in the page");
});

test("screenshot", async () => {
  const dir = path.join(root, "e2e", "screenshots");
  fs.mkdirSync(dir, { recursive: true });
  const shot = path.join(dir, "first-screen.png");
  await page.screenshot({ path: shot, fullPage: true });
  assert.ok(fs.statSync(shot).size > 10_000, "the screenshot has content");
  if (process.env.RINGLAB_UPDATE_SCREENSHOT === "1") {
    fs.mkdirSync(path.join(root, "docs"), { recursive: true });
    await page.screenshot({ path: path.join(root, "docs", "screenshot.png") });
  }
});
