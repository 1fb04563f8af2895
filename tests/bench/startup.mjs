// Browser benchmark: how big the shipped files are, and how long the page takes to start (from
// navigation until the self-test and the worker round trip have answered), for the hosted build
// over http://127.0.0.1 and for samlmeta.html over file://. Run with `make bench`; the figures go in
// BENCHMARKS.md. Timings are medians over RUNS fresh browser contexts (RUNS=15 by default).

import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { serve } from "../../scripts/serve.mjs";
import { DIST, launch, waitForEngine } from "../e2e/browser.mjs";

const RUNS = Number(process.env.RUNS ?? 15);

const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
const sizes = (file) => {
  const bytes = readFileSync(join(DIST, file));
  return {
    file,
    raw: kb(bytes.length),
    gzip: kb(gzipSync(bytes, { level: 9 }).length),
    brotli: kb(brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length),
  };
};
console.log("Sizes (KB = 1000 bytes; gzip -9, brotli -q 11):");
console.table(
  ["samlmeta.html", "index.html", ...readdirSync(DIST).filter((f) => /\.(wasm|css)$/.test(f))].map(sizes),
);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

async function startup(url) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const browser = await launch();
    try {
      await browser.page.goto(url);
      await waitForEngine(browser.page);
      times.push(await browser.page.evaluate(() => performance.now()));
    } finally {
      await browser.close();
    }
  }
  return times;
}

const server = await serve(DIST, 0);
try {
  const rows = [];
  for (const [name, url] of [
    ["hosted, http://127.0.0.1", server.url],
    ["samlmeta.html, file://", pathToFileURL(join(DIST, "samlmeta.html")).href],
  ]) {
    const t = await startup(url);
    rows.push({ page: name, runs: t.length, "median ms": Math.round(median(t)), "min ms": Math.round(Math.min(...t)), "max ms": Math.round(Math.max(...t)) });
  }
  console.log(`Start-up until the engine and the worker have answered (${RUNS} fresh contexts each):`);
  console.table(rows);
} finally {
  await server.close();
}
