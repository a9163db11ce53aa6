// The statistics the benchmarks report (browser.mjs, sweep.mjs, summary.mjs).

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import zlib from "node:zlib";

/** The median of `xs` (null when empty). */
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : null;
};

/** The `q` quantile of `xs` (the nearest rank below). */
export const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

/**
 * The size of `file` compressed as scripts/size.sh measures it (GNU `gzip -9 -c`, the
 * measure the test command's budget is checked with), or by Node's zlib at level 9 where
 * no gzip is installed (zlib's stream is about 0.5 % larger).
 */
export const gzipSize = (file) => {
  try {
    return execFileSync("gzip", ["-9", "-c", file], { maxBuffer: 1 << 30 }).length;
  } catch {
    return zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
  }
};
