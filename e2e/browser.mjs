// Shared set-up for the end-to-end tests of share links and lessons: serve dist/, launch
// the system Chromium headless with the flags these machines need, collect page errors.

import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serveDir } from "./serve.mjs";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const dist = path.resolve(process.env.RINGLAB_DIST ?? path.join(root, "dist"));
export const shots = path.join(root, "e2e", "screenshots");

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

/** Serves dist/ and opens Chromium; returns { base, context, page, errors, close }. */
export async function openBrowser(name, viewport = { width: 1360, height: 900 }) {
  assert.ok(fs.existsSync(path.join(dist, "index.html")), `${dist}/index.html is missing: build first (trunk build)`);
  const server = await serveDir(dist);
  const base = `http://127.0.0.1:${server.address().port}/`;
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), `ringlab-e2e-${name}-`));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: findChrome(),
    headless: true,
    viewport,
    acceptDownloads: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
    timeout: 60_000,
  });
  const errors = [];
  const watch = (page) => {
    page.on("pageerror", (err) => errors.push(String(err)));
    page.on("console", (msg) => {
      if (msg.type() === "error") errors.push(msg.text());
    });
    return page;
  };
  const page = watch(context.pages()[0] ?? (await context.newPage()));
  context.on("page", watch);
  fs.mkdirSync(shots, { recursive: true });
  const close = async () => {
    await context.close();
    await new Promise((resolve) => server.close(resolve));
  };
  return { base, context, page, errors, close };
}

/** Opens `url` afresh (a full load, not a hash change) and waits for the ring. */
export async function load(page, url) {
  await page.goto("about:blank");
  await page.goto(url, { waitUntil: "load", timeout: 30_000 });
  await page.waitForSelector("[data-testid=ring]", { timeout: 30_000 });
}

export const value = async (page, testid) => Number(await page.getAttribute(`[data-testid=${testid}]`, "data-value"));
export const text = async (page, testid) => (await page.textContent(`[data-testid=${testid}]`))?.trim();
export const shot = (page, name) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: false });
