// Browser benchmark: from "files and values entered" to "signed metadata shown" in samlmeta.html
// (file://, headless Chromium), for 2048/3072/4096-bit keys and for unlocking an scrypt-encrypted
// key, with the keys in the key worker and, side by side in the same run, on the page (no worker:
// `Worker` taken away before the page's scripts run); beside it WebCrypto signing the same metadata
// bytes with the same key in the same page; and the longest main-thread task meanwhile. Run with
// `make bench`; the figures go in BENCHMARKS.md. Not a test: nothing is asserted about time. RUNS
// fresh browser contexts per row (RUNS=7 by default).
//
// "Entered" is the last input event of the last value; "shown" is the moment the preview switches
// to the signed document. The page waits SIGN_AFTER_IDLE_MS (300 ms) of idle input before it signs,
// by design; the table shows the time with and without that wait. For the scrypt row, "entered"
// is the Unlock click (the values are typed first), so the time includes unlocking, the idle wait
// and signing.

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

const NO_WORKER = "Object.defineProperty(window, 'Worker', { value: undefined });";
// The passphrase of the fixtures' encrypted keys (crates/samlmeta/tests/fixtures/make-fixtures.sh).
const PASS = "correct horse battery staple";

async function run(keyFile, certFile, { onPage = false, pkcs8 = keyFile } = {}) {
  const browser = await launch();
  const { page } = browser;
  try {
    if (onPage) await page.addInitScript(NO_WORKER);
    await page.goto(pathToFileURL(join(DIST, "samlmeta.html")).href);
    await waitForEngine(page);
    const where = await page.locator("[data-keys]").getAttribute("data-keys");
    if (where !== (onPage ? "page" : "worker")) throw new Error(`keys are on the ${where}`);
    await page.evaluate(() => {
      window.__bench = { lastInput: 0, signedAt: 0, longest: 0 };
      document.addEventListener("input", () => (window.__bench.lastInput = performance.now()), true);
      document.addEventListener("click", (e) => {
        if (e.target.closest("button")?.textContent.includes("Unlock")) window.__bench.lastInput = performance.now();
      }, true);
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
    if (keyFile.startsWith("encrypted")) {
      await page.getByLabel("IdP URL", { exact: true }).fill("keepersecurity");
      await page.getByLabel("IdP Entity ID", { exact: true }).fill("KeeperSSO");
      await page.locator('.xml-preview[data-state="unsigned"]').waitFor();
      await page.getByLabel("Private key passphrase").fill(PASS);
      await page.evaluate(() => (window.__bench.longest = 0));
      await page.getByRole("button", { name: "Unlock" }).click();
    } else {
      await page.locator('[data-key="loaded"]').waitFor();
      await page.evaluate(() => (window.__bench.longest = 0));
      await page.getByLabel("IdP URL", { exact: true }).fill("keepersecurity");
      await page.getByLabel("IdP Entity ID", { exact: true }).fill("KeeperSSO");
    }
    await page.locator('.xml-preview[data-state="signed"]').waitFor({ timeout: 60_000 });
    // Long tasks are reported after they end: give the observer a moment.
    await page.waitForTimeout(100);
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
      { der: pkcs8Der(pkcs8), text: xml },
    );
    return { total: b.signedAt - b.lastInput, longest: b.longest, webcrypto };
  } finally {
    await browser.close();
  }
}

const rows = [];
for (const [what, key, cert, pkcs8] of [
  ["RSA 2048", "pkcs8.pem", "cert.pem"],
  ["RSA 3072", "rsa3072.key.pem", "rsa3072.cert.pem"],
  ["RSA 4096", "rsa4096.key.pem", "rsa4096.cert.pem"],
  ["RSA 2048, scrypt-encrypted: Unlock → signed", "encrypted-scrypt.pem", "cert.pem", "pkcs8.pem"],
]) {
  for (const onPage of [false, true]) {
    const results = [];
    for (let i = 0; i < RUNS; i++) results.push(await run(key, cert, { onPage, pkcs8 }));
    const total = results.map((r) => r.total);
    rows.push({
      key: what,
      keys: onPage ? "on the page" : "key worker",
      runs: RUNS,
      "entered → signed shown, median ms": Math.round(median(total)),
      "without the 300 ms idle wait, ms": Math.round(median(total) - IDLE_MS),
      "longest main-thread task, median ms (0: none ≥ 50 ms)": Math.round(median(results.map((r) => r.longest))),
      "longest main-thread task, max ms": Math.round(Math.max(...results.map((r) => r.longest))),
      "WebCrypto sign, median ms": median(results.map((r) => r.webcrypto)).toFixed(1),
    });
  }
}
console.log(`samlmeta.html over file://, headless Chromium, ${RUNS} fresh contexts per row:`);
console.table(rows);
