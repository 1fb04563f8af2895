// Private keys in the key worker: on the hosted build and the single file over file://, a key
// read, unlocked and used to sign is held by the background worker, the page's own wasm signs and
// unlocks nothing (its counters stay 0: every other e2e test checks the same when it closes its
// browser, see browser.mjs), and remove, replace, Clear all and wipe-after-download leave the
// worker holding nothing. Where no worker can start, the page says so and does the same work
// itself. Downloads are verified by the real xmlsec1.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "../../scripts/serve.mjs";
import { DIST, ROOT, keyOps, launch, singleFileUrl, waitForEngine } from "./browser.mjs";

const FIXTURES = join(ROOT, "crates/samlmeta/tests/fixtures");
const fixture = (name) => join(FIXTURES, name);
const scratch = mkdtempSync(join(tmpdir(), "samlmeta-keys-"));
const NO_WORKER = "Object.defineProperty(window, 'Worker', { value: undefined });";
// The passphrase of the fixtures' encrypted keys (crates/samlmeta/tests/fixtures/make-fixtures.sh).
const PASS = "correct horse battery staple";

let server;
before(async () => {
  assert.ok(existsSync(join(DIST, "samlmeta.html")), "dist/samlmeta.html is missing: run `make dist`");
  server = await serve(DIST, 0);
});
after(async () => {
  await server?.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function open(url, { init = [] } = {}) {
  const browser = await launch();
  for (const script of init) await browser.page.addInitScript(script);
  await browser.page.goto(url);
  await waitForEngine(browser.page);
  return browser;
}

/** Waits until the key worker says it holds `count` keys and locked files. */
async function workerHolds(page, count) {
  await page.waitForFunction((n) => document.documentElement.dataset.keyWorkerHolds === String(n), count, {
    timeout: 15_000,
  });
}

async function download(page, button, name) {
  const [dl] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: button }).click()]);
  const path = join(scratch, `${name}-${dl.suggestedFilename()}`);
  await dl.saveAs(path);
  return path;
}

function verifies(path, cert) {
  execFileSync("xmlsec1", ["--verify", "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor",
    "--trusted-pem", cert, path], { stdio: "pipe" });
}

async function values(page) {
  await page.getByLabel("IdP Entity ID", { exact: true }).fill("KeeperSSO");
  await page.getByLabel("IdP URL", { exact: true }).fill("keepersecurity");
}

for (const [where, url] of [["hosted", () => server.url], ["file://", () => singleFileUrl(scratch)]]) {
  test(`${where}: keys are read, unlocked and used in the key worker; the worker drops them with the page`, async () => {
    const browser = await open(url());
    const { page } = browser;
    try {
      assert.equal(await page.locator("[data-keys]").getAttribute("data-keys"), "worker");
      assert.match(await page.locator("[data-keys]").innerText(), /held by the background worker/);
      await values(page);
      // An scrypt-encrypted PKCS#8 key: the worker keeps the locked file, then unlocks it.
      await page.getByLabel("IdP Certificate", { exact: true }).setInputFiles(fixture("cert.pem"));
      await page.getByLabel("IdP Private Key", { exact: true }).setInputFiles(fixture("encrypted-scrypt.pem"));
      const passphrase = page.getByLabel("Private key passphrase");
      await passphrase.waitFor();
      await workerHolds(page, 1);
      await passphrase.fill("not it");
      await page.getByRole("button", { name: "Unlock" }).click();
      await page.locator("#passphrase-error").getByText(/passphrase/).waitFor();
      await passphrase.fill(PASS);
      await page.getByRole("button", { name: "Unlock" }).click();
      await page.locator('[data-key="loaded"]').getByText(/held by this page's background worker/).waitFor();
      await page.locator('.xml-preview[data-state="signed"]').waitFor();
      await workerHolds(page, 1);
      verifies(await download(page, "Download IdP metadata", `${where}-scrypt`), fixture("cert.pem"));

      // Replaced: the old key goes, the new one stays.
      await page.getByLabel("IdP Private Key", { exact: true }).setInputFiles(fixture("pkcs8.pem"));
      await page.locator('[data-slot="idp-private-key"]').getByText("pkcs8.pem").waitFor();
      await workerHolds(page, 1);
      // Removed: nothing held.
      await page.locator('[data-slot="idp-private-key"]').getByRole("button", { name: /Remove/ }).click();
      await workerHolds(page, 0);
      await page.locator('.xml-preview[data-state="unsigned"]').waitFor();

      // A PKCS#12 bundle, then wipe-after-download, then Clear all.
      await page.getByLabel("IdP Private Key", { exact: true }).setInputFiles(fixture("bundle-aes.p12"));
      await passphrase.fill(PASS);
      await passphrase.press("Enter");
      await page.locator('.xml-preview[data-state="signed"]').waitFor();
      await workerHolds(page, 1);
      await page.getByLabel("Wipe the private key from this page after downloading").check();
      verifies(await download(page, "Download IdP metadata", `${where}-p12`), fixture("cert.pem"));
      await page.locator(".notice").getByText(/wiped from this page/).waitFor();
      await workerHolds(page, 0);
      await page.getByLabel("IdP Private Key", { exact: true }).setInputFiles(fixture("pkcs8.pem"));
      await workerHolds(page, 1);
      await page.getByRole("button", { name: "Clear all" }).click();
      await workerHolds(page, 0);

      const ops = await keyOps(page);
      assert.equal(ops.pageSigned, "0", "the page's own wasm signed nothing");
      assert.equal(ops.pageUnlocked, "0", "the page's own wasm unlocked nothing");
      assert.deepEqual(browser.errors, []);
    } finally {
      await browser.close();
    }
  });
}

test("where no worker can start, the page says so and reads, unlocks and signs itself", async () => {
  const browser = await open(singleFileUrl(scratch), { init: [NO_WORKER] });
  const { page } = browser;
  try {
    await page.locator('[data-worker="unavailable"]').waitFor();
    assert.equal(await page.locator("[data-keys]").getAttribute("data-keys"), "page");
    await values(page);
    await page.getByLabel("IdP Certificate", { exact: true }).setInputFiles(fixture("cert.pem"));
    await page.getByLabel("IdP Private Key", { exact: true }).setInputFiles(fixture("encrypted-scrypt.pem"));
    await page.getByLabel("Private key passphrase").fill(PASS);
    await page.getByRole("button", { name: "Unlock" }).click();
    await page.locator('[data-key="loaded"]').getByText(/kept only in this page's memory/).waitFor();
    await page.locator('.xml-preview[data-state="signed"]').waitFor();
    verifies(await download(page, "Download IdP metadata", "page-scrypt"), fixture("cert.pem"));
    const ops = await keyOps(page);
    assert.equal(ops.pageUnlocked, "1");
    assert.ok(Number(ops.pageSigned) >= 1, `signed ${ops.pageSigned} times on the page`);
    assert.equal(ops.held, undefined, "no key worker answered");
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});
