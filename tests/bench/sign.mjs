// Browser benchmark: from "files and values entered" to "signed metadata shown" in samlmeta.html
// (file://, headless Chromium), for 2048/3072/4096-bit keys, beside WebCrypto signing the same
// metadata bytes with the same key in the same page; and the longest main-thread task while the
// page signs. Run with `make bench`; the figures go in BENCHMARKS.md. Not a test: nothing is
// asserted about time. RUNS fresh browser contexts per key size (RUNS=7 by default).
//
// "Entered" is the last input event of the last value; "shown" is the moment the preview switches
// to the signed document. The page waits SIGN_AFTER_IDLE_MS (300 ms) of idle input before it signs,
// by design; the table shows the time with and without that wait.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DIST, ROOT, launch, waitForEngine } from "../e2e/browser.mjs";

const RUNS = Number(process.env.RUNS ?? 7);
const IDLE_MS = 300;
const FIXTURES = join(ROOT, "crates/samlmeta/tests/fixtures");

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

/** PKCS#8 DER of a PEM private key. */
function pkcs8Der(pemFile) {
  const pem = readFileSync(join(FIXTURES, pemFile), "utf8");
  const body = pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
  return [...Buffer.from(body, "base64")];
}

async function run(keyFile, certFile) {
  const browser = await launch();
  const { page } = browser;
  try {
    await page.goto(pathToFileURL(join(DIST, "samlmeta.html")).href);
    await waitForEngine(page);
    await page.evaluate(() => {
      window.__bench = { lastInput: 0, signedAt: 0, longest: 0 };
      document.addEventListener("input", () => (window.__bench.lastInput = performance.now()), true);
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          window.__bench.longest = Math.max(window.__bench.longest, e.duration);
        }
      }).observe({ type: "longtask", buffered: false });
      const preview = document.querySelector(".xml-preview");
      new MutationObserver(() => {
        if (preview.dataset.state === "signed" && !window.__bench.signedAt) {
          window.__bench.signedAt = performance.now();
        }
      }).observe(preview, { attributes: true, attributeFilter: ["data-state"] });
    });
    await page.getByLabel("IdP Certificate", { exact: true }).setInputFiles(join(FIXTURES, certFile));
    await page.getByLabel("IdP Private Key", { exact: true }).setInputFiles(join(FIXTURES, keyFile));
    await page.locator('[data-key="loaded"]').waitFor();
    await page.getByLabel("IdP URL", { exact: true }).fill("keepersecurity");
    await page.getByLabel("IdP Entity ID", { exact: true }).fill("KeeperSSO");
    await page.locator('.xml-preview[data-state="signed"]').waitFor();
    const b = await page.evaluate(() => window.__bench);
    const xml = await page.locator(".xml-preview").innerText();

    // WebCrypto, same key, same bytes, same page.
    const webcrypto = await page.evaluate(
      async ({ der, text }) => {
        const key = await crypto.subtle.importKey(
          "pkcs8", new Uint8Array(der), { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"]);
        const bytes = new TextEncoder().encode(text);
        const t0 = performance.now();
        await crypto.subtle.sign("RSASSA-PKCS1-v1_5", key, bytes);
        return performance.now() - t0;
      },
      { der: pkcs8Der(keyFile), text: xml },
    );
    return { total: b.signedAt - b.lastInput, longest: b.longest, webcrypto };
  } finally {
    await browser.close();
  }
}

const rows = [];
for (const [bits, key, cert] of [
  [2048, "pkcs8.pem", "cert.pem"],
  [3072, "rsa3072.key.pem", "rsa3072.cert.pem"],
  [4096, "rsa4096.key.pem", "rsa4096.cert.pem"],
]) {
  const results = [];
  for (let i = 0; i < RUNS; i++) results.push(await run(key, cert));
  const total = results.map((r) => r.total);
  rows.push({
    key: `RSA ${bits}`,
    runs: RUNS,
    "entered → signed shown, median ms": Math.round(median(total)),
    "without the 300 ms idle wait, ms": Math.round(median(total) - IDLE_MS),
    "longest task, median ms (0: none ≥ 50 ms)": Math.round(median(results.map((r) => r.longest))),
    "WebCrypto sign, median ms": median(results.map((r) => r.webcrypto)).toFixed(1),
  });
}
console.log(`samlmeta.html over file://, headless Chromium, ${RUNS} fresh contexts per key size:`);
console.table(rows);
