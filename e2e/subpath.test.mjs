// End-to-end: ringlab published under a sub-path, as on a static host (GitHub Pages serves
// a repository's site at https://USER.github.io/REPO/). Served at /ringlab/ (and nothing at
// /), the page loads, draws the ring, plays, and a copied link carries the /ringlab/ base.
//   1. the build for that sub-path: `scripts/publish.sh --public-url /ringlab/`, built into
//      target/dist-subpath (scripts/test.sh builds it in the step before the e2e tests and
//      sets RINGLAB_SUBPATH_DIST=DIR to use DIR; run alone, this file builds it if missing);
//   2. the default build (dist/, relative URLs) mounted at /ringlab/ too.
//
//   node --test e2e/subpath.test.mjs

import { test, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { chromium } from "playwright-core";
import { serveDir } from "./serve.mjs";
import { root, dist } from "./browser.mjs";

const PREFIX = "/ringlab/";
const subpathDist = path.resolve(process.env.RINGLAB_SUBPATH_DIST ?? path.join(root, "target", "dist-subpath"));

function findChrome() {
  if (process.env.CHROME_BIN) return process.env.CHROME_BIN;
  for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
    try {
      return execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim();
    } catch {
      // try the next name
    }
  }
  throw new Error("no Chromium found: install it (scripts/setup.sh --test) or set CHROME_BIN");
}

const cleanups = [];
after(async () => {
  for (const f of cleanups.reverse()) await f();
});

/** Serves `dir` at /ringlab/ only; opens Chromium with the clipboard allowed for it. */
async function open(dir, name) {
  const server = await serveDir(dir, 0, { prefix: PREFIX });
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), `ringlab-e2e-${name}-`));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: findChrome(),
    headless: true,
    viewport: { width: 1360, height: 900 },
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
    timeout: 60_000,
  });
  cleanups.push(() => context.close());
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
  const errors = [];
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("pageerror", (err) => errors.push(String(err)));
  page.on("console", (msg) => msg.type() === "error" && errors.push(msg.text()));
  page.on("response", (res) => res.status() >= 400 && errors.push(`${res.status()} ${res.url()}`));
  page.on("requestfailed", (req) => errors.push(`failed: ${req.url()}`));
  return { origin, base: `${origin}${PREFIX}`, context, page, errors };
}

/** Loads, draws, plays, copies a link with the /ringlab/ base, and reopens it. */
async function checkUnderSubpath(b) {
  const { page, base } = b;
  await page.goto(base, { waitUntil: "load", timeout: 30_000 });
  await page.waitForSelector("[data-testid=ring]", { timeout: 30_000 });
  const entries = Number(await page.getAttribute("[data-testid=ring]", "data-entries"));
  assert.ok(entries > 0, "the ring has entries");
  assert.equal(await page.locator("[data-testid=ring-slot]").count(), Math.min(entries, 64), "one slot (or arc) each");
  // The stylesheet came from under /ringlab/ too: it applied.
  assert.notEqual(await page.evaluate(() => getComputedStyle(document.body).fontFamily), "");
  assert.ok(
    await page.evaluate(() => [...document.styleSheets].some((s) => s.href && s.cssRules.length > 0)),
    "the stylesheet loaded",
  );

  // Play advances the simulated time; pause again.
  const simTime = () => page.getAttribute("[data-testid=sim-time]", "data-value").then(Number);
  const t0 = await simTime();
  await page.click("[data-testid=play]");
  await page.waitForFunction(
    (t) => Number(document.querySelector("[data-testid=sim-time]")?.getAttribute("data-value")) > t,
    t0,
    { timeout: 15_000 },
  );
  await page.click("[data-testid=play]");
  await page.waitForFunction(() => document.querySelector("[data-testid=play]")?.getAttribute("aria-pressed") === "false");
  assert.ok((await simTime()) > t0, "Play advanced the simulated time");

  // The copied link carries the sub-path, and reopens the same run.
  const hash = await page.getAttribute("[data-testid=run-hash]", "data-value");
  await page.click("[data-testid=copy-link]");
  await page.waitForSelector("[data-testid=copy-status]");
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.ok(copied.startsWith(`${base}#v=1`), `copied link ${copied} does not start with ${base}#v=1`);
  const other = await b.context.newPage();
  await other.goto(copied, { waitUntil: "load", timeout: 30_000 });
  await other.waitForSelector("[data-testid=ring]", { timeout: 30_000 });
  assert.equal(await other.getAttribute("[data-testid=run-hash]", "data-value"), hash, "same run hash");
  assert.equal(await other.locator("[data-testid=link-error]").count(), 0);
  await other.close();
  assert.deepEqual(b.errors, []);
}

test("the --public-url /ringlab/ build, served at /ringlab/, loads, plays and shares /ringlab/ links", async () => {
  if (!fs.existsSync(path.join(subpathDist, "index.html"))) {
    // scripts/test.sh built it in a step of its own: that step's failure says why.
    assert.equal(process.env.RINGLAB_SUBPATH_DIST, undefined, `${subpathDist}/index.html is missing: the sub-path build failed`);
    // Run alone: build it as scripts/test.sh does (seconds to minutes: cargo's build is reused).
    execFileSync("bash", [path.join(root, "scripts", "publish.sh"), "--no-setup", "--public-url", PREFIX, "--dist", subpathDist], {
      cwd: root,
      stdio: ["ignore", "inherit", "inherit"],
      timeout: 30 * 60_000,
    });
  }
  const html = fs.readFileSync(path.join(subpathDist, "index.html"), "utf8");
  assert.match(html, /(src|href)="\/ringlab\/ringlab-[0-9a-f]+\.js"/, `${subpathDist} is not a build for ${PREFIX}`);
  const b = await open(subpathDist, "subpath");
  // Nothing is served outside the sub-path: the page cannot have loaded anything from /.
  assert.equal((await fetch(`${b.origin}/index.html`)).status, 404);
  await checkUnderSubpath(b);
});

test("the default build (relative URLs) works at /ringlab/ too", async () => {
  assert.ok(fs.existsSync(path.join(dist, "index.html")), `${dist}/index.html is missing: build first (trunk build)`);
  await checkUnderSubpath(await open(dist, "subpath-relative"));
});
