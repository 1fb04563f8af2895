// The Check view with large inputs, in headless Chromium on the release build, over http and
// file://: a metadata aggregate of several MB, signed by the real xmlsec1, is checked in a
// background worker (a progress indicator and Cancel while it runs; the verdict and the entities
// after), Cancel stops it, and where no worker can start the page checks it itself and says so.
// Nothing leaves the page; nothing is stored. No timing is asserted: BENCHMARKS.md has the figures.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "../../scripts/serve.mjs";
import { DIST, EMPTY_STORAGE, ROOT, launch, singleFileUrl, storageOf, waitForEngine } from "./browser.mjs";

const FIXTURES = join(ROOT, "crates/samlmeta/tests/fixtures");
const fixture = (name) => join(FIXTURES, name);
const scratch = mkdtempSync(join(tmpdir(), "samlmeta-check-large-"));
const ENTITIES = 5000;
let aggregate;

before(() => {
  assert.ok(existsSync(join(DIST, "samlmeta.html")), "dist/samlmeta.html is missing: run `make dist`");
  // A federation-style aggregate: many IdPs, each with its certificate; signed on the root.
  const der = execFileSync("openssl", ["x509", "-in", fixture("cert.pem"), "-outform", "DER"]).toString("base64");
  const entity = (i) =>
    `<md:EntityDescriptor entityID="https://idp${i}.example.com/saml"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${der}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp${i}.example.com/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>`;
  const sig = `<ds:Signature><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="#_agg"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature>`;
  const parts = [];
  for (let i = 0; i < ENTITIES; i++) parts.push(entity(i));
  const template = join(scratch, "aggregate-template.xml");
  writeFileSync(
    template,
    `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" ID="_agg">${sig}${parts.join("")}</md:EntitiesDescriptor>`,
  );
  aggregate = join(scratch, "aggregate.xml");
  const signed = execFileSync(
    "xmlsec1",
    ["--sign", "--privkey-pem", `${fixture("pkcs8.pem")},${fixture("cert.pem")}`, "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:metadata:EntitiesDescriptor", template],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  writeFileSync(aggregate, signed);
  assert.ok(statSync(aggregate).size > 5_000_000, "well over the 1 MB that goes to the worker");
});
after(() => rmSync(scratch, { recursive: true, force: true }));

async function open(url, { noWorker = false } = {}) {
  const browser = await launch();
  browser.page.setDefaultTimeout(60_000);
  if (noWorker) await browser.page.addInitScript("Object.defineProperty(window, 'Worker', { value: undefined });");
  await browser.page.goto(url);
  if (noWorker) await browser.page.locator('[data-engine="ready"]').waitFor();
  else await waitForEngine(browser.page);
  return browser;
}

async function trustAndChoose(page) {
  await page.getByLabel("Trusted certificate", { exact: true }).setInputFiles(fixture("cert.pem"));
  await page.locator(".check-trust .slot-ok").waitFor();
  await page.getByLabel("File to check", { exact: true }).setInputFiles(aggregate);
}

/** The verdict and the entities shown, once the result is there. */
async function verdict(page) {
  const v = page.locator(".check-result .verdict");
  await v.waitFor();
  return {
    verdict: await v.getAttribute("data-verdict"),
    kind: await v.getAttribute("data-kind"),
    shown: await page.locator(".check-entity").count(),
    leftOut: await page.locator("[data-entities-left-out]").getAttribute("data-entities-left-out"),
  };
}

test("a large aggregate is checked in the background worker, with progress and Cancel (http and file://)", async () => {
  const server = await serve(DIST, 0);
  try {
    for (const url of [server.url + "#check", singleFileUrl(scratch) + "#check"]) {
      const browser = await open(url);
      const { page } = browser;
      try {
        await trustAndChoose(page);
        // While it runs: a progress indicator, the size, and Cancel; no result yet.
        const running = page.locator('[data-check="running"]');
        await running.waitFor();
        assert.match(await running.innerText(), /aggregate\.xml \(\d+\.\d MB\) in a background worker/);
        assert.equal(await running.locator("progress").count(), 1);
        // Cancel stops it: nothing checked, nothing shown, and it can run again.
        await running.getByRole("button", { name: "Cancel" }).click();
        await page.locator('[data-check="cancelled"]').waitFor();
        assert.equal(await page.locator(".check-result").count(), 0);
        await page.getByRole("button", { name: "Check again" }).click();
        const r = await verdict(page);
        assert.deepEqual(r, { verdict: "valid", kind: "metadata", shown: 100, leftOut: String(ENTITIES - 100) });
        await page.locator('[data-check="worker"]').waitFor();
        assert.equal(await page.locator(".check-problems [data-code]").count(), 0);

        const local = url.startsWith("file:") ? url.split("#")[0] : server.url;
        assert.deepEqual(browser.requests.filter((u) => !u.startsWith(local) && !u.startsWith("blob:")), []);
        assert.deepEqual(await storageOf(page), EMPTY_STORAGE);
        assert.deepEqual(browser.errors, []);
      } finally {
        await browser.close();
      }
    }
  } finally {
    await server.close();
  }
});

test("where no worker can start, the page checks a large file itself and says so", async () => {
  const browser = await open(singleFileUrl(scratch) + "#check", { noWorker: true });
  const { page } = browser;
  try {
    await trustAndChoose(page);
    const r = await verdict(page);
    assert.deepEqual(r, { verdict: "valid", kind: "metadata", shown: 100, leftOut: String(ENTITIES - 100) });
    assert.match(await page.locator('[data-check="on-page"]').innerText(), /checked on the page/);
  } finally {
    await browser.close();
  }
});

test("a file over the core's 10 MB message limit is refused before it is read, in words", async () => {
  const huge = join(scratch, "huge.xml");
  writeFileSync(huge, Buffer.alloc(10_000_001, 0x20));
  const browser = await open(singleFileUrl(scratch) + "#check");
  const { page } = browser;
  try {
    await page.getByLabel("File to check", { exact: true }).setInputFiles(huge);
    const message = page.locator('[data-slot="check-file"] .message.error');
    await message.waitFor();
    assert.match(await message.innerText(), /huge\.xml: This input is 10000001 bytes; at most 10000000 are read/);
    assert.equal(await page.locator(".check-result").count(), 0);
  } finally {
    await browser.close();
  }
});
