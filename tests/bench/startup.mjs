// Browser benchmark: how big the shipped files are, and how long the page takes to start (from
// navigation until the self-test and the worker round trip have answered), for the hosted build
// over http://127.0.0.1 and for samlmeta.html over file://. Run with `make bench`; the figures go in
// BENCHMARKS.md. Timings are medians over RUNS fresh browser contexts (RUNS=15 by default), with
// each phase of start-up from the performance marks (samlmeta:*) the boot script and the page set.

import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { serve } from "../../scripts/serve.mjs";
import { DIST as BUILT, launch, waitForEngine } from "../e2e/browser.mjs";

// Another build to measure (e.g. an older one, for before/after): `node tests/bench/startup.mjs DIR`.
const DIST = process.argv[2] ?? BUILT;

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

/** The start-up phases, in order: the performance marks the boot script and the page set. */
const PHASES = [
  ["boot", "HTML and glue parsed (navigation → boot script runs)"],
  ["base64", "base64 decoded (single file only)"],
  ["bytes", "wasm bytes ready (hosted: fetch and SRI check; single file: LZMA decode)"],
  ["compiled", "WebAssembly.compile"],
  ["started", "instantiated; the page's code runs and sends the worker its round trip"],
  ["worker-answered", "waiting for the worker's round trip (the first render waits for it, 200 ms at most)"],
  ["self-tested", "self-test (into the first state)"],
  ["interactive", "interactive: the page shows the self-test passed and the worker ready"],
  ["rendered", "the first render's effects (Yew runs them after the browser's layout and paint)"],
  ["fragment", "link fragment applied"],
];
/** Marks of builds before the worker's round trip moved ahead of the first render. */
const OLDER_PHASES = [
  ["started", "instantiated, the app mounted"],
  ["rendered", "first render committed (first effect)"],
  ["self-tested", "self-test"],
  ["worker-starting", "link fragment applied, the worker started"],
  ["worker-answered", "worker's round trip"],
];

// The moment the page is interactive: the first DOM change after which the page shows the
// self-test passed (data-engine="ready") and the worker answered (data-worker is no longer
// "starting"), as a mutation observer added before the page's own scripts sees it. The page is
// not touched by the test harness until then: waiting with a Playwright locator puts its
// selector engine into the page, a main-thread task of about 25 ms in the middle of start-up.
const OBSERVE = () => {
  const ready = () => {
    const worker = document.querySelector("[data-worker]");
    return document.querySelector('[data-engine="ready"]') && worker && worker.dataset.worker !== "starting";
  };
  const observer = new MutationObserver(() => {
    if (ready()) {
      observer.disconnect();
      self.samlmetaInteractive = performance.now();
    }
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-engine", "data-worker"] });
};
const INTERACTIVE = `new Promise((resolve, reject) => {
  const started = Date.now();
  const poll = () => self.samlmetaInteractive ? resolve(self.samlmetaInteractive)
    : Date.now() - started > 30000 ? reject(new Error("the page did not become interactive in 30 s"))
    : setTimeout(poll, 100);
  poll();
})`;

async function startup(url) {
  const times = [];
  const phases = [];
  for (let i = 0; i < RUNS; i++) {
    const browser = await launch();
    try {
      await browser.context.addInitScript(OBSERVE);
      const cdp = await browser.context.newCDPSession(browser.page);
      await browser.page.goto(url, { waitUntil: "commit" });
      const { result, exceptionDetails } = await cdp.send("Runtime.evaluate", { expression: INTERACTIVE, awaitPromise: true, returnByValue: true });
      if (exceptionDetails) throw new Error(`${url}: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
      times.push(result.value);
      await waitForEngine(browser.page);
      const marks = await browser.page.evaluate(() =>
        Object.fromEntries(performance.getEntriesByType("mark").filter((m) => m.name.startsWith("samlmeta:")).map((m) => [m.name.slice(9), m.startTime])),
      );
      phases.push({ ...marks, interactive: result.value });
    } finally {
      await browser.close();
    }
  }
  return { times, phases };
}

/**
 * Each phase's median duration (from the mark before it in the same run, by time) and where it
 * ends, in the order the phases end: so that a build whose marks come in another order (an older
 * one, measured for comparison) is broken down correctly too.
 */
function breakdown(phases) {
  const current = phases.every((p) => "fragment" in p);
  const label = new Map(current ? [...OLDER_PHASES, ...PHASES] : [...PHASES, ...OLDER_PHASES]);
  const names = [...new Set(phases.flatMap((p) => Object.keys(p)))].filter((n) => phases.every((p) => n in p));
  const ends = (n) => median(phases.map((p) => p[n]));
  return names
    .sort((a, b) => ends(a) - ends(b))
    .map((name) => {
      const durations = phases.map((p) => {
        const before = Object.values(p).filter((t) => t < p[name]);
        return p[name] - (before.length ? Math.max(...before) : 0);
      });
      return { phase: label.get(name) ?? name, "median ms": Math.round(median(durations)), "ends at (median ms)": Math.round(ends(name)) };
    });
}

const server = await serve(DIST, 0);
try {
  const rows = [];
  for (const [name, url] of [
    ["hosted, http://127.0.0.1", server.url],
    ["samlmeta.html, file://", pathToFileURL(join(DIST, "samlmeta.html")).href],
  ]) {
    const { times: t, phases } = await startup(url);
    rows.push({ page: name, runs: t.length, "median ms": Math.round(median(t)), "min ms": Math.round(Math.min(...t)), "max ms": Math.round(Math.max(...t)) });
    console.log(`Start-up phases, ${name} (medians over ${RUNS} fresh contexts):`);
    console.table(breakdown(phases));
  }
  console.log(`Start-up until the page is interactive: the self-test passed and the worker answered, as the page shows it (${RUNS} fresh contexts each):`);
  console.table(rows);
} finally {
  await server.close();
}
