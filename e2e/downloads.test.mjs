// End-to-end: the exports' downloads (Trace CSV, Trace JSON, Ring SVG) complete with the
// right content, and each download's object URL is revoked only after the download has
// started (a later task, seconds after the click), yet is revoked in the end (no leak).
//
//   node --test e2e/downloads.test.mjs        (after `trunk build`)

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { openBrowser, load, value } from "./browser.mjs";

let b;
before(async () => {
  b = await openBrowser("downloads");
  // Watch the page's blob URLs: when each is created, when its link is clicked, when it is revoked.
  await b.context.addInitScript(() => {
    const log = (window.__ringlabBlobs = new Map());
    const create = URL.createObjectURL.bind(URL);
    const revoke = URL.revokeObjectURL.bind(URL);
    URL.createObjectURL = (obj) => {
      const url = create(obj);
      log.set(url, { created: performance.now(), clicked: null, revoked: null });
      return url;
    };
    URL.revokeObjectURL = (url) => {
      const entry = log.get(url);
      if (entry) entry.revoked = performance.now();
      return revoke(url);
    };
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function () {
      const entry = log.get(this.href);
      if (entry) entry.clicked = performance.now();
      // Revoked in the click's own task (synchronously after click()) shows in the next task.
      if (entry) setTimeout(() => (entry.revokedInClickTask = entry.revoked !== null), 0);
      return click.call(this);
    };
  });
});
after(async () => {
  await b?.close();
});

const blobs = (page) => page.evaluate(() => Object.fromEntries(window.__ringlabBlobs));

test("Trace CSV, Trace JSON and Ring SVG download completely, with the right content", async () => {
  const page = b.page;
  await load(page, `${b.base}#v=1&lesson=stuck&paused=1`);
  await page.click("[data-testid=lesson-next]");
  const submitted = await value(page, "metric-submitted");
  assert.ok(submitted > 0, "the run has submitted requests at its first pause point");
  await page.click("summary");

  const bodies = {};
  for (const [id, ext] of [["export-csv", "csv"], ["export-json", "json"], ["export-svg", "svg"]]) {
    const [download] = await Promise.all([page.waitForEvent("download", { timeout: 15_000 }), page.click(`[data-testid=${id}]`)]);
    const file = await download.path(); // waits until the download has finished
    assert.equal(await download.failure(), null, `${id}: the download failed`);
    assert.match(download.suggestedFilename(), new RegExp(`^ringlab-proposal-[0-9a-f]{8}\\.${ext}$`));
    bodies[ext] = fs.readFileSync(file, "utf8");
  }

  // CSV: the header, then one row of ten columns per event, oldest first, one per submission.
  const lines = bodies.csv.trimEnd().split("\n");
  assert.equal(lines[0], "at_ns,kind,user_data,tail,list_len,moved,trigger,syscall,call,deadline_ns");
  const rows = lines.slice(1).map((l) => l.split(","));
  assert.ok(rows.length > 10, `only ${rows.length} rows`);
  for (const row of rows) assert.equal(row.length, 10, `a row with ${row.length} columns: ${row.join(",")}`);
  const times = rows.map((r) => Number(r[0]));
  assert.ok(times.every((t, i) => Number.isInteger(t) && (i === 0 || t >= times[i - 1])), "at_ns is in order");
  assert.equal(rows.filter((r) => r[1] === "submitted").length, submitted, "one `submitted` row per submitted request");

  // JSON: the same events.
  const events = JSON.parse(bodies.json);
  assert.ok(Array.isArray(events));
  assert.equal(events.length, rows.length, "the JSON has as many events as the CSV has rows");

  // SVG: a standalone ring.
  assert.match(bodies.svg, /<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.ok(bodies.svg.includes('data-testid="ring"'), "the SVG export is the ring");

  // Each object URL: clicked, not revoked in the click's task, revoked later (not leaked).
  // (The check of the click's task runs in the next task: wait until each has run.)
  await page.waitForFunction(
    () => [...window.__ringlabBlobs.values()].every((e) => e.clicked === null || e.revokedInClickTask !== undefined),
    null,
    { timeout: 10_000, polling: 50 },
  );
  const seen = Object.values(await blobs(page)).filter((e) => e.clicked !== null);
  assert.equal(seen.length, 3, "three blob links were clicked");
  for (const e of seen) assert.equal(e.revokedInClickTask, false, "revoked synchronously after click()");
  await page.waitForFunction(
    () => [...window.__ringlabBlobs.values()].every((e) => e.clicked === null || e.revoked !== null),
    null,
    { timeout: 30_000, polling: 250 },
  );
  for (const e of Object.values(await blobs(page)).filter((x) => x.clicked !== null)) {
    assert.ok(e.revoked - e.clicked >= 1000, `revoked ${Math.round(e.revoked - e.clicked)} ms after the click`);
  }
  assert.deepEqual(b.errors, []);
});
