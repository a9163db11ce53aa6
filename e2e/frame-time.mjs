// Frame-time probe (a script, not a test): opens the built app in headless Chromium,
// plays the default scenario at ×8 and prints the median and p95 time between
// animation frames.
//
//   node e2e/frame-time.mjs [seconds=5] [speed-steps=3]      (after `trunk build`)

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serveDir } from "./serve.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.resolve(process.env.RINGLAB_DIST ?? path.join(root, "dist"));
const seconds = Number(process.argv[2] ?? 5);
const steps = Number(process.argv[3] ?? 3); // ]-presses: ×2^steps

const server = await serveDir(dist);
const context = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), "ringlab-frames-")), {
  executablePath: process.env.CHROME_BIN ?? "/usr/bin/chromium",
  headless: true,
  viewport: { width: 1360, height: 900 },
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`http://127.0.0.1:${server.address().port}/`, { waitUntil: "load" });
  await page.waitForSelector("[data-testid=ring]");
  for (let i = 0; i < steps; i++) await page.keyboard.press("]");
  const label = await page.textContent("[data-testid=speed-label]");
  await page.keyboard.press(" ");
  const frames = await page.evaluate(
    (ms) =>
      new Promise((resolve) => {
        const times = [];
        let last = performance.now();
        const start = last;
        const tick = (t) => {
          times.push(t - last);
          last = t;
          if (t - start < ms) requestAnimationFrame(tick);
          else resolve(times.slice(1));
        };
        requestAnimationFrame(tick);
      }),
    seconds * 1000,
  );
  const simNs = await page.getAttribute("[data-testid=sim-time]", "data-value");
  frames.sort((a, b) => a - b);
  const q = (p) => frames[Math.min(frames.length - 1, Math.floor(p * frames.length))];
  console.log(`speed ${label}`);
  console.log(`frames ${frames.length} in ${seconds} s; simulated time reached ${(simNs / 1e3).toFixed(1)} µs`);
  console.log(`median frame time ${q(0.5).toFixed(2)} ms; p95 ${q(0.95).toFixed(2)} ms; max ${frames.at(-1).toFixed(2)} ms`);
  console.log(q(0.5) <= 16.7 ? "OK: median within 16.7 ms" : "SLOW: median above 16.7 ms");
} finally {
  await context.close();
  server.close();
}
