// Browser benchmark: "Generate a key pair" in samlmeta.html (file://, headless Chromium), for
// 2048/3072/4096-bit keys, side by side in one run:
//   page        the shipped page: click on Generate to the pair loaded in step 1 (WebCrypto's key
//               in the page's worker, the certificate made by the core there, handed to the page);
//   webcrypto   raw `crypto.subtle.generateKey` (RSASSA-PKCS1-v1_5, extractable) in the same page;
//   core        the same click with WebCrypto taken away, in a build with the core's own key
//               generation (`--features wasm-keygen`, not shipped): the core's RSA key generation
//               in WebAssembly, in the worker;
//   page + passphrase  the shipped page with a passphrase: the encrypted copy (PBKDF2-HMAC-SHA256,
//               600,000 iterations) is made in the worker too;
// each with the longest main-thread task seen while it ran. Medians of RUNS runs (5 by default).
// Last, what that encrypted copy costs to open again in the page today: its PEM pasted into
// "IdP Private Key", the passphrase typed, Unlock clicked, to the key loaded.
// Run with `make bench`; the figures go in BENCHMARKS.md. Not a test: nothing is asserted.
//
// Usage: node tests/bench/keygen.mjs [BENCH_DIST]   (BENCH_DIST: the wasm-keygen build's folder)

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DIST, ROOT, launch, paste, waitForEngine } from "../e2e/browser.mjs";

const RUNS = Number(process.env.RUNS ?? 5);
const SIZES = ["2048", "3072", "4096"];
const BENCH_DIST = process.argv[2] ?? join(ROOT, "target/bench-dist");
const NO_WEBCRYPTO_KEYGEN = "Object.defineProperty(SubtleCrypto.prototype, 'generateKey', { value: undefined });";

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

/** Opens `file` and records long tasks (the observer sees every task over 50 ms). */
async function open(file, { withoutWebCrypto = false } = {}) {
  const browser = await launch();
  if (withoutWebCrypto) await browser.page.addInitScript(NO_WEBCRYPTO_KEYGEN);
  await browser.page.goto(pathToFileURL(file).href);
  await waitForEngine(browser.page);
  await browser.page.evaluate(() => {
    window.__tasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__tasks.push([e.startTime, e.duration]);
    }).observe({ type: "longtask" });
  });
  await browser.page.getByLabel("IdP Entity ID", { exact: true }).fill("https://idp.example.com/saml");
  await browser.page.getByRole("button", { name: "Generate a key pair" }).click();
  return browser;
}

/** The longest main-thread task between two performance.now() times (0 when none over 50 ms). */
const longestTask = (page, from, to) =>
  page.evaluate(([from, to]) => Math.max(0, ...window.__tasks.filter(([s, d]) => s + d > from && s < to).map(([, d]) => d)), [from, to]);

/** Click on Generate to the pair loaded: [ms, longest task ms]. */
async function pageRun(page, bits, passphrase = "") {
  await page.getByLabel("Key size").selectOption(bits);
  await page.getByLabel("Passphrase for a stored copy").fill(passphrase);
  await page.waitForTimeout(200);
  const [start, end] = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const button = [...document.querySelectorAll("button")].find((b) => b.textContent === "Generate");
        const start = performance.now();
        let running = false;
        // Loaded: the progress shown for this click has gone, and the pair is there.
        const observer = new MutationObserver(() => {
          const progress = document.querySelector(".keygen-progress");
          running ||= Boolean(progress);
          if (running && !progress && document.querySelector('[data-keygen="generated"]')) {
            observer.disconnect();
            resolve([start, performance.now()]);
          }
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
        button.click();
      }),
  );
  await page.waitForTimeout(100);
  return [end - start, await longestTask(page, start, end)];
}

/** Raw WebCrypto generateKey in the page: [ms, longest task ms]. */
async function webcryptoRun(page, bits) {
  const [start, end] = await page.evaluate(async (bits) => {
    const start = performance.now();
    await crypto.subtle.generateKey(
      { name: "RSASSA-PKCS1-v1_5", modulusLength: Number(bits), publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
      true,
      ["sign", "verify"],
    );
    return [start, performance.now()];
  }, bits);
  await page.waitForTimeout(100);
  return [end - start, await longestTask(page, start, end)];
}

async function series(file, options, run) {
  const browser = await open(file, options);
  const out = {};
  try {
    for (const bits of SIZES) {
      const times = [];
      const tasks = [];
      for (let i = 0; i < RUNS; i++) {
        const [ms, task] = await run(browser.page, bits);
        times.push(ms);
        tasks.push(task);
      }
      out[bits] = { median: median(times), min: Math.min(...times), max: Math.max(...times), task: Math.max(...tasks) };
    }
  } finally {
    await browser.close();
  }
  return out;
}

/** The encrypted copy pasted back and unlocked: [ms, longest task ms]. */
async function unlockRun(page) {
  await pageRun(page, "2048", "correct horse battery staple");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download private-encrypted.pem" }).click(),
  ]);
  const pem = readFileSync(await download.path(), "utf8");
  await page.getByRole("button", { name: "Remove" }).last().click();
  await paste(page, "the private key", pem);
  await page.getByLabel("Private key passphrase").fill("correct horse battery staple");
  await page.waitForTimeout(200);
  const [start, end] = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const button = [...document.querySelectorAll("button")].find((b) => b.textContent === "Unlock");
        const start = performance.now();
        const observer = new MutationObserver(() => {
          if (document.querySelector('[data-key="loaded"]')) {
            observer.disconnect();
            resolve([start, performance.now()]);
          }
        });
        observer.observe(document.body, { subtree: true, childList: true });
        button.click();
      }),
  );
  await page.waitForTimeout(100);
  return [end - start, await longestTask(page, start, end)];
}

const shipped = join(DIST, "samlmeta.html");
const bench = join(BENCH_DIST, "samlmeta.html");
if (!existsSync(shipped)) throw new Error("dist/samlmeta.html is missing: run `make dist`");
const results = {
  page: await series(shipped, {}, pageRun),
  webcrypto: await series(shipped, {}, webcryptoRun),
  passphrase: await series(shipped, {}, (page, bits) => pageRun(page, bits, "correct horse battery staple")),
};
if (existsSync(bench)) {
  results.core = await series(bench, { withoutWebCrypto: true }, pageRun);
} else {
  console.log(`(no ${bench}: build it with \`make bench\` for the core's column)`);
}

const f = (x) => `${Math.round(x)} ms`;
console.log(`\nKey pair generation, medians of ${RUNS} runs (min-max), longest main-thread task in brackets:\n`);
console.log(`| bits | page (WebCrypto in the worker) | raw WebCrypto generateKey | page / raw | core in wasm (worker) | page + passphrase |`);
console.log(`|---|---|---|---|---|---|`);
for (const bits of SIZES) {
  const p = results.page[bits];
  const w = results.webcrypto[bits];
  const c = results.core?.[bits];
  const cell = (r) => `${f(r.median)} (${f(r.min)}-${f(r.max)}) [${f(r.task)}]`;
  console.log(`| ${bits} | ${cell(p)} | ${cell(w)} | ${(p.median / w.median).toFixed(2)}x | ${c ? cell(c) : "-"} | ${cell(results.passphrase[bits])} |`);
}

const unlock = await (async () => {
  const browser = await open(shipped);
  try {
    const times = [];
    const tasks = [];
    for (let i = 0; i < RUNS; i++) {
      const [ms, task] = await unlockRun(browser.page);
      times.push(ms);
      tasks.push(task);
    }
    return { median: median(times), task: Math.max(...tasks) };
  } finally {
    await browser.close();
  }
})();
console.log(`\nThe encrypted copy (PBKDF2-HMAC-SHA256, 600,000 iterations) unlocked in the page: median ${f(unlock.median)}, longest main-thread task ${f(unlock.task)}.`);
