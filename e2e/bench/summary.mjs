// Merges the figures of one scripts/bench.sh run into target/bench/summary.json and prints
// them as a table, each with its goal and whether it is met.
//
//   node e2e/bench/summary.mjs --out FILE --dist DIR [--native F1,F2,...] [--browser FILE]
//        [--sweep FILE] [--wasm-opt yes|no] [--markdown FILE]
//
// Native figures from several runs are reduced to their median (memory figures come
// from the one run that measured them). Sizes are measured here from DIR (the release
// build): raw and gzip -9, the goal being the app's wasm + JS under 300 KB gzip (the sweep
// worker's bundle, sweep_worker*, and the sweep view's, sweep_view*, are e2e/bench/sweep.mjs's rows).

import fs from "node:fs";
import path from "node:path";
import { gzipSize } from "./stats.mjs";

const opts = { out: null, dist: null, native: "", browser: null, sweep: null, "wasm-opt": null, markdown: null };
for (let i = 2; i < process.argv.length; i += 2) {
  const key = process.argv[i].replace(/^--/, "");
  if (!(key in opts)) throw new Error(`unknown option ${process.argv[i]}`);
  opts[key] = process.argv[i + 1];
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const readJson = (f) => {
  try {
    return JSON.parse(fs.readFileSync(f, "utf8"));
  } catch {
    return null;
  }
};

const figures = [];
const notes = [];

// ── native (core) ──
const nativeRuns = opts.native.split(",").filter(Boolean).map(readJson).filter(Boolean);
if (nativeRuns.length === 0) {
  figures.push({ name: "core (native): not measured", value: null, unit: "", goal: null, met: null });
} else {
  const names = [...new Set(nativeRuns.flat().map((f) => f.name))];
  for (const name of names) {
    const all = nativeRuns.flat().filter((f) => f.name === name);
    const value = median(all.map((f) => f.value));
    const { unit, goal } = all[0];
    const atLeast = unit !== "KiB"; // throughput goals are minimums, memory goals maxima
    const met = goal == null ? null : atLeast ? value >= goal : value <= goal;
    figures.push({ name: name.startsWith("core") ? name : `core ${name}`, value, unit, goal, met });
  }
  notes.push(`native: median of ${nativeRuns.length} run(s) of \`ringlab bench\``);
}

// ── browser ──
const browser = opts.browser ? readJson(opts.browser) : null;
if (browser) figures.push(...browser);
else figures.push({ name: "browser: not measured", value: null, unit: "", goal: null, met: null });
const sweep = opts.sweep ? readJson(opts.sweep) : null;
if (sweep) figures.push(...sweep);
else if (opts.sweep) figures.push({ name: "sweep: not measured", value: null, unit: "", goal: null, met: null });

// ── bundle size ──
if (opts.dist && fs.existsSync(opts.dist)) {
  const files = fs.readdirSync(opts.dist).filter((f) => /\.(wasm|js)$/.test(f) && !f.startsWith("sweep_"));
  let gzTotal = 0;
  for (const kind of ["wasm", "js"]) {
    const f = files.find((x) => x.endsWith(`.${kind}`));
    if (!f) continue;
    const body = fs.readFileSync(path.join(opts.dist, f));
    const gz = gzipSize(path.join(opts.dist, f));
    gzTotal += gz;
    figures.push({ name: `bundle ${kind} raw`, value: body.length / 1024, unit: "KiB", goal: null, met: null });
    figures.push({ name: `bundle ${kind} gzip`, value: gz / 1024, unit: "KiB", goal: null, met: null });
  }
  const kb = (gzTotal / 1000);
  figures.push({ name: "bundle wasm + JS gzip (KB = 1000 bytes)", value: kb, unit: "KB", goal: 300, met: kb < 300 });
  if (opts["wasm-opt"]) {
    figures.push({ name: "release build ran wasm-opt (binaryen 132, -Oz)", value: opts["wasm-opt"] === "yes" ? 1 : 0,
      unit: "yes=1", goal: 1, met: opts["wasm-opt"] === "yes" });
  }
} else {
  figures.push({ name: "bundle: not measured", value: null, unit: "", goal: null, met: null });
}

// ── goals for the figures that have a maximum ──
const fmt = (v) =>
  v == null ? "n/a" : Math.abs(v) >= 1e5 ? Math.round(v).toLocaleString("en-US") : Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2);
const maxima = new Set(["ms", "KiB", "KB"]);
const goalText = (f) => (f.goal == null ? "-" : `${maxima.has(f.unit) ? "<" : ">="} ${fmt(f.goal)}`);
const metText = (f) => (f.met == null ? (f.value == null ? "n/a" : "-") : f.met ? "yes" : "NO");

fs.mkdirSync(path.dirname(opts.out), { recursive: true });
fs.writeFileSync(opts.out, JSON.stringify(figures.map(({ name, value, unit, goal, met, note }) =>
  ({ name, value, unit, goal, met, ...(note ? { note } : {}) })), null, 2) + "\n");

const w = Math.max(...figures.map((f) => f.name.length));
const lines = [];
lines.push(`${"figure".padEnd(w)}  ${"value".padStart(14)}  ${"unit".padEnd(13)}  ${"goal".padStart(14)}  met`);
for (const f of figures) {
  lines.push(`${f.name.padEnd(w)}  ${fmt(f.value).padStart(14)}  ${f.unit.padEnd(13)}  ${goalText(f).padStart(14)}  ${metText(f)}`);
}
const missed = figures.filter((f) => f.met === false).length;
const unmeasured = figures.filter((f) => f.value == null).length;
lines.push("");
lines.push(`${figures.filter((f) => f.met === true).length} goals met, ${missed} missed, ${unmeasured} not measured. ${notes.join("; ")}`);
const withNotes = figures.filter((f) => f.note);
if (withNotes.length) {
  lines.push("notes:");
  for (const f of withNotes) lines.push(`  ${f.name.replace(/: median$/, "")}: ${f.note}`);
}
console.log(lines.join("\n"));
if (opts.markdown) fs.writeFileSync(opts.markdown, "```text\n" + lines.join("\n") + "\n```\n");
