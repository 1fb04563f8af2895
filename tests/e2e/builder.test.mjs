// The builder in headless Chromium, on the release build: certificate and key in through the
// labelled file inputs (http) and by pasting (file://), connector values typed, the IdP metadata
// downloaded and checked by the real xmlsec1 and xmllint. Bad files get their inline messages, and
// the page still makes valid metadata afterwards. Nothing leaves the page; nothing is stored.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { serve } from "../../scripts/serve.mjs";
import { DIST, EMPTY_STORAGE, ROOT, launch, paste, singleFileUrl, storageOf, waitForEngine } from "./browser.mjs";

const FIXTURES = join(ROOT, "crates/samlmeta/tests/fixtures");
const SCHEMA = join(ROOT, "crates/samlmeta/tests/schemas/samlmeta-all.xsd");
const fixture = (name) => join(FIXTURES, name);
const scratch = mkdtempSync(join(tmpdir(), "samlmeta-builder-"));

before(() => {
  assert.ok(existsSync(join(DIST, "samlmeta.html")), "dist/samlmeta.html is missing: run `make dist`");
});
after(() => rmSync(scratch, { recursive: true, force: true }));

const KEEPER = {
  "IdP Entity ID": "KeeperSSO",
  "SP Entity ID": "https://sso.acme.example/sso-connect",
  "ACS URL": "https://sso.acme.example/sso-connect/saml/sso",
  "IdP URL": "keepersecurity",
  "Display Label": "Keeper Security",
};

async function fillConnector(page, values = KEEPER) {
  for (const [label, value] of Object.entries(values)) {
    await page.getByLabel(label, { exact: true }).fill(value);
  }
}

/** Drops a file on a slot's zone, as dragging it from the file manager does. */
async function drop(page, slot, path, name) {
  const bytes = [...readFileSync(path)];
  const zone = page.locator(`[data-slot="${slot}"]`);
  const dataTransfer = await page.evaluateHandle(({ bytes, name }) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], name));
    return dt;
  }, { bytes, name });
  await zone.dispatchEvent("dragover", { dataTransfer });
  await zone.dispatchEvent("drop", { dataTransfer });
}

/** Clicks Download and saves the file; returns [suggested name, path]. */
async function download(page, name) {
  const [dl] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download IdP metadata" }).click(),
  ]);
  const path = join(scratch, `${name}-${dl.suggestedFilename()}`);
  await dl.saveAs(path);
  return [dl.suggestedFilename(), path];
}

function xmlsec1Verifies(path, cert = fixture("cert.pem")) {
  try {
    execFileSync("xmlsec1", ["--verify", "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor",
      "--trusted-pem", cert, path], { stdio: "pipe" });
    return true;
  } catch (e) {
    console.error(String(e.stderr));
    return false;
  }
}

function schemaValid(path) {
  try {
    execFileSync("xmllint", ["--nonet", "--noout", "--schema", SCHEMA, path], { stdio: "pipe" });
    return true;
  } catch (e) {
    console.error(String(e.stderr));
    return false;
  }
}


test("hosted build: files through the labelled inputs, values typed, signed metadata that xmlsec1 verifies", async () => {
  const server = await serve(DIST, 0);
  const browser = await launch();
  const { page } = browser;
  try {
    await page.goto(server.url);
    await waitForEngine(page);
    await page.getByLabel("IdP Certificate", { exact: true }).setInputFiles(fixture("cert.pem"));
    await page.getByLabel("IdP Private Key", { exact: true }).setInputFiles(fixture("pkcs8.pem"));
    await page.locator('[data-key="loaded"]').waitFor();
    await fillConnector(page);
    assert.equal(
      await page.locator(".sso-url").innerText(),
      "https://sso.jumpcloud.com/saml2/keepersecurity",
      "the full SSO URL is shown live",
    );
    // Signed after the input is idle, and shown.
    await page.locator('.xml-preview[data-state="signed"]').waitFor();
    const preview = await page.locator(".xml-preview").innerText();
    assert.match(preview, /<ds:Signature/);
    assert.match(preview, /entityID="KeeperSSO"/);

    const [name, path] = await download(page, "http");
    assert.equal(name, "keepersecurity-idp-metadata.xml");
    assert.ok(xmlsec1Verifies(path), "xmlsec1 verifies the download");
    assert.ok(schemaValid(path), "xmllint validates the download");
    const xml = readFileSync(path, "utf8");
    assert.equal(xml, preview, "the download is exactly what the preview shows");
    assert.match(xml, /Location="https:\/\/sso\.jumpcloud\.com\/saml2\/keepersecurity"/);
    assert.match(xml, /<mdui:DisplayName xml:lang="en">Keeper Security<\/mdui:DisplayName>/);

    // File inputs hold nothing after reading.
    assert.equal(await page.getByLabel("IdP Private Key", { exact: true }).inputValue(), "");

    for (const url of browser.requests) {
      assert.ok(url.startsWith(server.url) || url.startsWith(`blob:${server.url}`), `unexpected request ${url}`);
    }
    assert.deepEqual(await storageOf(page), EMPTY_STORAGE);
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});

test("single file over file://: PEM pasted, signed metadata verifies, no request, nothing stored", async () => {
  const url = singleFileUrl(scratch);
  const browser = await launch();
  const { page } = browser;
  try {
    await page.goto(url);
    await waitForEngine(page);
    await paste(page, "the certificate", readFileSync(fixture("cert.pem"), "utf8"));
    await paste(page, "the private key", readFileSync(fixture("pkcs1.pem"), "utf8"));
    await page.locator('[data-key="loaded"]').waitFor();
    assert.equal(await page.getByLabel("Paste PEM text for the private key").inputValue(), "", "no key text stays in the page");
    await fillConnector(page);
    // Download right away: the signature is made on the click if the idle timer has not run.
    const [name, path] = await download(page, "file");
    assert.equal(name, "keepersecurity-idp-metadata.xml");
    assert.ok(xmlsec1Verifies(path));
    assert.ok(schemaValid(path));

    const requests = browser.requests.filter((u) => u !== url && !u.startsWith("blob:"));
    assert.deepEqual(requests, [], "nothing but the file itself and its blob: worker");
    assert.deepEqual(await storageOf(page), EMPTY_STORAGE);
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test("without a key the download is unsigned and schema-valid, and the page says so", async () => {
  const browser = await launch();
  const { page } = browser;
  try {
    await page.goto(singleFileUrl(scratch));
    await waitForEngine(page);
    await page.getByLabel("IdP Certificate", { exact: true }).setInputFiles(fixture("cert.pem"));
    await fillConnector(page, { "IdP Entity ID": "https://idp.example.com/saml", "IdP URL": "example" });
    await page.locator('.xml-preview[data-state="unsigned"]').waitFor();
    assert.match(await page.locator(".result-status").innerText(), /^Unsigned/);
    const [name, path] = await download(page, "unsigned");
    assert.equal(name, "example-idp-metadata.xml");
    const xml = readFileSync(path, "utf8");
    assert.doesNotMatch(xml, /Signature/);
    assert.ok(schemaValid(path));
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test("bad files get plain messages inline; good files afterwards still make valid metadata", async () => {
  const huge = join(scratch, "huge.bin");
  writeFileSync(huge, randomBytes(5 * 1024 * 1024));
  const browser = await launch();
  const { page } = browser;
  const cert = page.getByLabel("IdP Certificate", { exact: true });
  const key = page.getByLabel("IdP Private Key", { exact: true });
  const keyZone = page.locator('[data-slot="idp-private-key"]');
  try {
    await page.goto(singleFileUrl(scratch));
    await waitForEngine(page);
    await fillConnector(page);
    const download_ = page.getByRole("button", { name: "Download IdP metadata" });

    // A certificate where the key belongs.
    await key.setInputFiles(fixture("cert.pem"));
    await keyZone.locator(".message.error").getByText(/certificate, not a private key|certificate/).waitFor();
    assert.ok(await download_.isDisabled());

    // An EC key.
    await key.setInputFiles(fixture("ec-p256.pkcs8.pem"));
    await keyZone.locator(".message.error").getByText(/EC key/).waitFor();

    // A 5 MB binary.
    await key.setInputFiles(huge);
    await keyZone.locator(".message.error").getByText(/5242880 bytes/).waitFor();

    // A mismatched pair.
    await cert.setInputFiles(fixture("cert.pem"));
    await key.setInputFiles(fixture("other.key.pem"));
    await page.locator('.findings [data-code="key-mismatch"]').waitFor();
    assert.ok(await download_.isDisabled());
    assert.match(await page.locator("#download-blockers").innerText(), /does not belong|match/i);

    // A wrong passphrase, then the right one.
    await key.setInputFiles(fixture("encrypted-pbkdf2.pem"));
    const passphrase = page.getByLabel("Private key passphrase");
    await passphrase.fill("not the passphrase");
    await page.getByRole("button", { name: "Unlock" }).click();
    await page.locator("#passphrase-error").getByText(/passphrase/).waitFor();
    assert.equal(await passphrase.inputValue(), "", "the passphrase field is emptied after use");
    await passphrase.fill("correct horse battery staple");
    await page.getByRole("button", { name: "Unlock" }).click();
    await page.locator('[data-key="loaded"]').waitFor();

    const [, path] = await download(page, "recovered");
    assert.ok(xmlsec1Verifies(path));
    assert.ok(schemaValid(path));

    // Clear all wipes it.
    await page.getByRole("button", { name: "Clear all" }).click();
    assert.equal(await page.locator('[data-key="loaded"]').count(), 0);
    assert.equal(await page.getByLabel("IdP Entity ID", { exact: true }).inputValue(), "");
    assert.equal(await page.locator(".slot-file").count(), 0);
    assert.ok(await download_.isDisabled());
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test("a PKCS#12 file dropped on the certificate zone fills both slots; Copy puts the signed metadata on the clipboard", async () => {
  const browser = await launch();
  const { page, context } = browser;
  try {
    await page.goto(singleFileUrl(scratch));
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await waitForEngine(page);
    await drop(page, "idp-certificate", fixture("bundle-aes.p12"), "bundle.p12");
    await page.getByLabel("Private key passphrase").fill("correct horse battery staple");
    await page.getByLabel("Private key passphrase").press("Enter");
    await page.locator('[data-key="loaded"]').waitFor();
    assert.match(await page.locator('[data-slot="idp-private-key"] .slot-file').innerText(), /bundle\.p12/);
    assert.match(await page.locator('[data-slot="idp-certificate"] .slot-file').innerText(), /bundle\.p12/);
    await fillConnector(page);
    await page.locator('.xml-preview[data-state="signed"]').waitFor();
    await page.getByRole("button", { name: "Copy", exact: true }).click();
    await page.locator(".notice").getByText("copied to the clipboard").waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const path = join(scratch, "copied.xml");
    writeFileSync(path, copied);
    assert.ok(xmlsec1Verifies(path), "the copied metadata verifies");
    assert.equal(copied, await page.locator(".xml-preview").innerText(), "what was copied is what is shown");
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});
