// "Generate a key pair" in headless Chromium, on the single file opened from file://: every path
// the page ships (WebCrypto in the worker; WebCrypto on the page when no worker starts; a plain
// message where the browser has no WebCrypto), the downloads checked by the real openssl and
// xmlsec1, Cancel, and the questions before an unsaved pair is wiped. Nothing leaves the page;
// nothing is stored.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DIST, EMPTY_STORAGE, ROOT, launch, singleFileUrl, storageOf, waitForEngine } from "./browser.mjs";

const FIXTURES = join(ROOT, "crates/samlmeta/tests/fixtures");

const scratch = mkdtempSync(join(tmpdir(), "samlmeta-keygen-"));
const PASS = "correct horse battery staple";

before(() => {
  assert.ok(existsSync(join(DIST, "samlmeta.html")), "dist/samlmeta.html is missing: run `make dist`");
});
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Scripts run before the page's own, to take away what a browser may lack. */
const NO_WEBCRYPTO_KEYGEN = "Object.defineProperty(SubtleCrypto.prototype, 'generateKey', { value: undefined });";
const NO_WORKER = "Object.defineProperty(window, 'Worker', { value: undefined });";

async function open({ without = [], also = [] } = {}) {
  const b = await launch();
  for (const script of [...without, ...also]) await b.page.addInitScript(script);
  const url = singleFileUrl(scratch);
  await b.page.goto(url);
  await b.page.locator('[data-engine="ready"]').waitFor({ timeout: 30_000 });
  if (!without.includes(NO_WORKER)) await waitForEngine(b.page);
  b.url = url;
  return b;
}

/** Polls `ok` until it holds (10 s at most). */
async function waitUntil(ok, what) {
  for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(ok(), what);
}

async function generate(page, { bits = "2048", passphrase = "" } = {}) {
  if (!(await page.getByLabel("Key size").isVisible())) {
    await page.getByRole("button", { name: "Generate a key pair" }).click();
  }
  await page.getByLabel("Key size").selectOption(bits);
  await page.getByLabel("Passphrase for a stored copy").fill(passphrase);
  await page.getByRole("button", { name: "Generate", exact: true }).click();
  await page.locator('[data-keygen="generated"]').waitFor({ timeout: 60_000 });
  return page.locator('[data-keygen="generated"]').innerText();
}

async function save(page, button, dir) {
  const [dl] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: button, exact: true }).click()]);
  const path = join(dir, dl.suggestedFilename());
  await dl.saveAs(path);
  return [dl.suggestedFilename(), path];
}

const openssl = (...args) => execFileSync("openssl", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

function checkPair(keyPath, certPath, { cn, bits }) {
  const text = openssl("x509", "-noout", "-text", "-in", certPath);
  for (const expected of [`CN = ${cn}`, "Signature Algorithm: sha256WithRSAEncryption", "CA:FALSE", "Digital Signature", `Public-Key: (${bits} bit)`]) {
    assert.ok(text.includes(expected), `missing ${expected} in\n${text}`);
  }
  assert.match(openssl("verify", "-CAfile", certPath, certPath), /: OK/);
  assert.equal(openssl("pkey", "-pubout", "-in", keyPath), openssl("x509", "-noout", "-pubkey", "-in", certPath));
}

test("WebCrypto in the worker: the pair loads into step 1, its files pass openssl, the metadata signed with it passes xmlsec1", async () => {
  const b = await open();
  const { page } = b;
  const dir = mkdtempSync(join(scratch, "webcrypto-"));
  try {
    await page.getByLabel("IdP Entity ID", { exact: true }).fill("https://idp.acme.example/saml/metadata");
    await page.getByRole("button", { name: "Generate a key pair" }).click();
    // The common name follows the IdP Entity ID's host until it is typed.
    assert.equal(await page.getByLabel("Common name").inputValue(), "idp.acme.example");
    assert.equal(await page.getByLabel("Key size").inputValue(), "3072");
    assert.equal(await page.getByLabel("Valid for (years)").inputValue(), "3");
    await page.getByLabel("Certificate organization (O)").fill("Acme Corp");
    const said = await generate(page, { passphrase: PASS });
    assert.match(said, /RSA 2048 bits/);
    assert.match(said, /WebCrypto in a background worker/);
    assert.match(said, /uploaded together/);
    // Step 1 holds the pair: the findings show it, the key is loaded.
    await page.locator('[data-key="loaded"]').waitFor();
    assert.match(await page.locator('[data-slot="idp-private-key"]').innerText(), /private\.pem/);
    assert.match(await page.locator('[data-slot="idp-certificate"]').innerText(), /cert\.pem/);
    assert.equal(await page.getByLabel("Passphrase for a stored copy").inputValue(), "", "the passphrase is not kept");

    // "In JumpCloud" asks for the two files, not ticked until both are saved.
    const files = page.locator('.in-jumpcloud [data-step="files"]');
    assert.equal(await files.getAttribute("data-done"), "false");
    assert.match(await files.innerText(), /save both there first/);
    const [keyName, keyPath] = await save(page, "Download private.pem", dir);
    const [certName, certPath] = await save(page, "Download cert.pem", dir);
    await page.locator('.in-jumpcloud [data-step="files"][data-done="true"]').waitFor();
    assert.match(await files.innerText(), /\(private\.pem\).*\(cert\.pem\)/s);
    const [encName, encPath] = await save(page, "Download private-encrypted.pem", dir);
    assert.deepEqual([keyName, certName, encName], ["private.pem", "cert.pem", "private-encrypted.pem"]);
    checkPair(keyPath, certPath, { cn: "idp.acme.example", bits: 2048 });
    assert.match(openssl("x509", "-noout", "-subject", "-in", certPath), /O = Acme Corp/);
    assert.match(openssl("x509", "-noout", "-enddate", "-in", certPath), /20(29|30)/);
    const passFile = join(dir, "pass.txt");
    writeFileSync(passFile, PASS);
    assert.equal(
      openssl("pkey", "-pubout", "-in", encPath, "-passin", `file:${passFile}`),
      openssl("x509", "-noout", "-pubkey", "-in", certPath),
    );

    // The metadata is signed with the new key and verifies against the downloaded cert.pem.
    for (const [label, value] of Object.entries({
      "SP Entity ID": "https://sso.acme.example/sso-connect",
      "ACS URL": "https://sso.acme.example/sso-connect/saml/sso",
      "IdP URL": "keepersecurity",
      "Display Label": "Keeper Security",
    })) {
      await page.getByLabel(label, { exact: true }).fill(value);
    }
    // Download right away: the signature is made on the click if the idle timer has not run.
    const [dl] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download IdP metadata" }).click()]);
    const mdPath = join(dir, dl.suggestedFilename());
    await dl.saveAs(mdPath);
    assert.equal(dl.suggestedFilename(), "keepersecurity-idp-metadata.xml");
    execFileSync("xmlsec1", ["--verify", "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor", "--trusted-pem", certPath, mdPath], { stdio: "pipe" });

    assert.deepEqual(b.requests.filter((u) => u !== b.url && !u.startsWith("blob:")), [], "nothing but the file itself and its blob: worker");
    assert.deepEqual(await storageOf(page), EMPTY_STORAGE);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

test("without WebCrypto (a page over plain http) the panel says what to do and loads nothing", async () => {
  const b = await open({ without: [NO_WEBCRYPTO_KEYGEN] });
  const { page } = b;
  try {
    await page.getByRole("button", { name: "Generate a key pair" }).click();
    await page.getByLabel("Common name").fill("idp.example.com");
    await page.getByRole("button", { name: "Generate", exact: true }).click();
    const said = await page.locator('[data-keygen="error"]').innerText();
    assert.match(said, /open it from disk/);
    assert.match(said, /samlmeta keygen/);
    assert.equal(await page.locator('[data-key="loaded"]').count(), 0);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

test("where no worker starts, the page makes the pair itself with WebCrypto", async () => {
  const b = await open({ without: [NO_WORKER] });
  const dir = mkdtempSync(join(scratch, "page-"));
  try {
    await b.page.locator('[data-worker="unavailable"]').waitFor({ timeout: 30_000 });
    await b.page.getByLabel("IdP Entity ID", { exact: true }).fill("KeeperSSO");
    const said = await generate(b.page, { bits: "3072" });
    assert.match(said, /WebCrypto in this page/);
    const [, keyPath] = await save(b.page, "Download private.pem", dir);
    const [, certPath] = await save(b.page, "Download cert.pem", dir);
    checkPair(keyPath, certPath, { cn: "KeeperSSO", bits: 3072 });
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

// Holds generateKey in the first key generation task worker the page starts (its boot script
// gets a line in front), so Cancel always comes first.
const HOLD_FIRST_KEYGEN = `(() => {
  const made = new Map();
  const create = URL.createObjectURL;
  URL.createObjectURL = (blob) => {
    const url = create(blob);
    made.set(url, blob);
    return url;
  };
  const Real = window.Worker;
  let held = false;
  window.Worker = class extends Real {
    constructor(url, options) {
      if (!held && options && options.name === "samlmeta-keygen" && made.has(url)) {
        held = true;
        const hold = "Object.defineProperty(SubtleCrypto.prototype, 'generateKey', { value: () => new Promise(() => {}) });\\n";
        url = create(new Blob([hold, made.get(url)], { type: "text/javascript" }));
      }
      super(url, options);
    }
  };
})();`;

test("Cancel leaves step 1 exactly as it was, and a fresh task worker makes the next pair", async () => {
  const b = await open({ also: [HOLD_FIRST_KEYGEN] });
  const { page } = b;
  try {
    await page.getByLabel("IdP Entity ID", { exact: true }).fill("KeeperSSO");
    // Step 1 holds last year's certificate: Cancel must leave it there.
    await page.getByLabel("IdP Certificate", { exact: true }).setInputFiles(join(FIXTURES, "cert.pem"));
    await page.locator('[data-slot="idp-certificate"].loaded').waitFor();
    const before = await page.locator(".slots").innerText();
    const findingsOf = () => page.locator(".steps > section").first().locator(":scope > * > ul.findings, ul.findings").first().innerText();
    const findingsBefore = await findingsOf();
    const keyWorkers = page.workers().length;
    assert.equal(keyWorkers, 1, "the page runs its key worker");
    await page.getByRole("button", { name: "Generate a key pair" }).click();
    await page.getByLabel("Key size").selectOption("4096");
    await page.getByRole("button", { name: "Generate", exact: true }).click();
    await page.getByRole("button", { name: "Cancel", exact: true }).waitFor();
    await page.waitForTimeout(1_200);
    assert.match(await page.locator(".keygen-progress").innerText(), /Generating an RSA 4096-bit key… 1\.\d s/);
    await page.getByRole("button", { name: "Cancel", exact: true }).click();
    await page.getByRole("button", { name: "Generate", exact: true }).waitFor();
    await waitForEngine(page);
    assert.equal(await page.locator('[data-keygen="generated"]').count(), 0);
    assert.equal(await page.locator('[data-key="loaded"]').count(), 0);
    assert.equal(await page.locator(".slots").innerText(), before);
    assert.equal(await findingsOf(), findingsBefore);
    assert.equal(await page.locator('[data-worker="ready"]').count(), 1, "the key worker stays");
    await waitUntil(() => page.workers().length === keyWorkers, "the held task worker was terminated");
    // A new task worker makes the next pair.
    assert.match(await generate(page), /WebCrypto in a background worker/);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

test("Clear all and leaving the page ask first while the pair is not saved", async () => {
  const b = await open();
  const { page } = b;
  try {
    await page.getByLabel("IdP Entity ID", { exact: true }).fill("KeeperSSO");
    await generate(page);
    const dialogs = [];
    page.once("dialog", (d) => { dialogs.push(d.type()); d.dismiss(); });
    await page.getByRole("button", { name: "Clear all" }).click();
    await page.waitForTimeout(300);
    assert.deepEqual(dialogs, ["confirm"]);
    assert.equal(await page.locator('[data-key="loaded"]').count(), 1, "dismissed: nothing wiped");

    // Leaving asks too (beforeunload).
    const leaving = new Promise((resolve) => page.once("dialog", (d) => { resolve(d.type()); d.dismiss(); }));
    await page.close({ runBeforeUnload: true });
    assert.equal(await leaving, "beforeunload");
  } finally {
    await b.close();
  }
  // Once both files are saved, Clear all asks nothing.
  const c = await open();
  const dir = mkdtempSync(join(scratch, "saved-"));
  try {
    await c.page.getByLabel("IdP Entity ID", { exact: true }).fill("KeeperSSO");
    await generate(c.page);
    await save(c.page, "Download private.pem", dir);
    await save(c.page, "Download cert.pem", dir);
    let asked = false;
    c.page.on("dialog", (d) => { asked = true; d.dismiss(); });
    await c.page.getByRole("button", { name: "Clear all" }).click();
    await c.page.locator('[data-key="loaded"]').waitFor({ state: "detached" });
    assert.equal(asked, false);
    assert.equal(await c.page.locator('[data-keygen="generated"]').count(), 0);
  } finally {
    await c.close();
  }
});

test("with wipe after download on, downloading the metadata asks before an unsaved pair is wiped", async () => {
  const b = await open();
  const { page } = b;
  try {
    for (const [label, value] of Object.entries({ "IdP Entity ID": "KeeperSSO", "IdP URL": "keepersecurity" })) {
      await page.getByLabel(label, { exact: true }).fill(value);
    }
    await generate(page);
    await page.getByLabel(/Wipe the private key/).check();
    const asked = [];
    page.once("dialog", (d) => { asked.push(d.message()); d.dismiss(); });
    await page.getByRole("button", { name: "Download IdP metadata" }).click();
    await page.waitForTimeout(300);
    assert.equal(asked.length, 1);
    assert.match(asked[0], /not been saved/);
    assert.equal(await page.locator('[data-key="loaded"]').count(), 1, "dismissed: no download, nothing wiped");
  } finally {
    await b.close();
  }
});
