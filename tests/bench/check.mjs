// Browser benchmark: the Check view on metadata aggregates of growing size in samlmeta.html
// (file://, headless Chromium): from choosing the file to the verdict shown, and the longest
// main-thread task meanwhile; inputs over 1 MB go to a background worker, and with no worker
// (window.Worker removed) the page checks them itself. Run with `make bench`; the figures go in
// BENCHMARKS.md. Not a test: nothing is asserted about time. RUNS fresh contexts per case.

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DIST, ROOT, launch, waitForEngine } from "../e2e/browser.mjs";

const RUNS = Number(process.env.RUNS ?? 3);
const FIXTURES = join(ROOT, "crates/samlmeta/tests/fixtures");
const scratch = mkdtempSync(join(tmpdir(), "samlmeta-bench-check-"));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** An xmlsec1-signed aggregate of `n` IdP entities; returns its path. */
function aggregate(n) {
  const der = execFileSync("openssl", ["x509", "-in", join(FIXTURES, "cert.pem"), "-outform", "DER"]).toString("base64");
  const entity = (i) =>
    `<md:EntityDescriptor entityID="https://idp${i}.example.com/saml"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${der}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp${i}.example.com/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>`;
  const sig = `<ds:Signature><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="#_agg"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature>`;
  const template = join(scratch, `template-${n}.xml`);
  writeFileSync(
    template,
    `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" ID="_agg">${sig}${Array.from({ length: n }, (_, i) => entity(i)).join("")}</md:EntitiesDescriptor>`,
  );
  const path = join(scratch, `aggregate-${n}.xml`);
  const key = `${join(FIXTURES, "pkcs8.pem")},${join(FIXTURES, "cert.pem")}`;
  writeFileSync(path, execFileSync("xmlsec1", ["--sign", "--privkey-pem", key, "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:metadata:EntitiesDescriptor", template], { maxBuffer: 64 << 20 }));
  return path;
}

async function run(file, noWorker) {
  const browser = await launch();
  const { page } = browser;
  try {
    if (noWorker) await page.addInitScript("Object.defineProperty(window, 'Worker', { value: undefined });");
    await page.goto(pathToFileURL(join(DIST, "samlmeta.html")).href + "#check");
    if (noWorker) await page.locator('[data-engine="ready"]').waitFor();
    else await waitForEngine(page);
    await page.evaluate(() => {
      window.__bench = { longest: 0 };
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__bench.longest = Math.max(window.__bench.longest, e.duration);
      }).observe({ type: "longtask" });
    });
    const t0 = Date.now();
    await page.getByLabel("File to check", { exact: true }).setInputFiles(file);
    await page.locator(".check-result .verdict").waitFor({ timeout: 120_000 });
    const total = Date.now() - t0;
    return { total, longest: (await page.evaluate(() => window.__bench)).longest };
  } finally {
    await browser.close();
  }
}

const rows = [];
try {
  for (const n of [300, 1200, 3000, 5800]) {
    const file = aggregate(n);
    const mb = (statSync(file).size / 1e6).toFixed(1);
    for (const noWorker of n > 300 ? [false, true] : [false]) {
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await run(file, noWorker));
      const where = n > 300 ? (noWorker ? "on the page (no worker)" : "background worker") : "on the page (under 1 MB)";
      rows.push(`| ${n} entities, ${mb} MB | ${where} | ${median(runs.map((r) => r.total))} ms | ${Math.round(median(runs.map((r) => r.longest)))} ms |`);
      console.error(rows.at(-1));
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
console.log("| input | checked | file chosen → verdict shown (median) | longest main-thread task (median) |");
console.log("|---|---|---|---|");
for (const r of rows) console.log(r);
