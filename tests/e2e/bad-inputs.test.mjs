// Bad input in the page, over http and file://: the files of the bad-input corpus
// (tests/bad-inputs/, those its manifest marks "page") dropped on the inputs they are meant for
// show the core's message in plain words; and nothing is lost: a bad file given to any of the six
// file inputs while it holds a file replaces nothing. The slot keeps its file and says why the new
// one was not taken ("Not replaced by ..."), typed values and the other inputs do not change, and
// the downloads are byte for byte what they were (xmlsec1 verifies them).

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "../../scripts/serve.mjs";
import { DIST, EMPTY_STORAGE, ROOT, launch, singleFileUrl, storageOf, waitForEngine } from "./browser.mjs";

const FIXTURES = join(ROOT, "crates/samlmeta/tests/fixtures");
const CORPUS = join(ROOT, "tests/bad-inputs");
const fixture = (n) => join(FIXTURES, n);
const scratch = mkdtempSync(join(tmpdir(), "samlmeta-bad-inputs-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

const manifest = JSON.parse(readFileSync(join(CORPUS, "manifest.json"), "utf8"));
const forPage = manifest.filter((e) => e.page);

const SP_METADATA = join(scratch, "sp-metadata.xml");
writeFileSync(SP_METADATA, `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sso.acme.example/sso-connect">
  <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${
  readFileSync(fixture("other.cert.pem"), "utf8").replace(/-----[^-]+-----/g, "").replace(/\s+/g, "")
}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sso.acme.example/sso-connect/saml/sso" index="1"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>
`);
const GARBAGE = join(scratch, "garbage.txt");
writeFileSync(GARBAGE, "this is not a key, a certificate or XML\n");

/** Each file input: its label, where its status shows, and the good file it holds. */
const SLOTS = {
  certificate: { label: "IdP Certificate", status: '[data-slot="idp-certificate"]', good: fixture("cert.pem") },
  key: { label: "IdP Private Key", status: '[data-slot="idp-private-key"]', good: fixture("pkcs8.pem") },
  rollover: { label: "Second signing certificate", good: fixture("other.cert.pem") },
  encryption: { label: "Encryption certificate", good: fixture("rsa3072.cert.pem") },
  "sp-metadata": { label: "SP metadata", status: '[data-slot="sp-metadata"] > .slot-status', good: SP_METADATA },
  "sp-key": { label: "SP private key", status: ".sp-signing", good: fixture("other.key.pem") },
};

/** The element that shows a slot's status. */
function statusOf(page, slot) {
  const { label, status } = SLOTS[slot];
  return status ? page.locator(status) : page.locator(".field", { has: page.getByLabel(label, { exact: true }) });
}

async function downloadBy(page, name, save) {
  const [dl] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name, exact: true }).click()]);
  const path = join(scratch, `${save}-${dl.suggestedFilename()}`);
  await dl.saveAs(path);
  return readFileSync(path);
}

function xmlsec1Verifies(bytes, cert, name) {
  const path = join(scratch, name);
  writeFileSync(path, bytes);
  execFileSync("xmlsec1", ["--verify", "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor",
    "--trusted-pem", cert, path], { stdio: "pipe" });
}

/** Every file input holds a good file, the values are typed, and the metadata is signed. */
async function fillEverything(page) {
  await page.getByText("Advanced: validity").click();
  await page.getByText("Sign the SP metadata with the SP's own key").click();
  for (const [slot, { label, good }] of Object.entries(SLOTS)) {
    await page.getByLabel(label, { exact: true }).setInputFiles(good);
    await statusOf(page, slot).locator(".slot-file").waitFor();
  }
  await page.getByLabel("IdP Entity ID", { exact: true }).fill("KeeperSSO");
  await page.getByLabel("IdP URL", { exact: true }).fill("keepersecurity");
  await page.getByLabel("Display Label", { exact: true }).fill("Keeper Security");
  await page.locator('.xml-preview[data-state="signed"]').waitFor();
}

/** What the page shows that a bad file must not change. */
async function snapshot(page) {
  return page.evaluate(() => ({
    values: [...document.querySelectorAll("input:not([type=file]):not([type=password]), select, textarea:not(.paste-target)")]
      .map((e) => `${e.id}=${e.type === "checkbox" ? e.checked : e.value}`),
    files: [...document.querySelectorAll(".slot-file")].map((e) => e.innerText),
    preview: document.querySelector(".xml-preview")?.textContent ?? "",
  }));
}

for (const mode of ["http", "file"]) {
  test(`${mode === "http" ? "hosted build over http" : "single file over file://"}: bad files replace nothing, say why, and the downloads stay the same`, async () => {
    const server = mode === "http" ? await serve(DIST, 0) : null;
    const url = server ? server.url : singleFileUrl(scratch);
    const browser = await launch();
    const { page } = browser;
    try {
      await page.goto(url);
      await waitForEngine(page);
      await fillEverything(page);
      const before = await snapshot(page);
      const idp = await downloadBy(page, "Download IdP metadata", `${mode}-idp-before`);
      const sp = await downloadBy(page, "Download SP metadata", `${mode}-sp-before`);
      xmlsec1Verifies(idp, fixture("cert.pem"), `${mode}-idp-before.xml`);
      xmlsec1Verifies(sp, fixture("other.cert.pem"), `${mode}-sp-before.xml`);

      // The corpus's files on the inputs they are meant for, each with the core's words.
      for (const entry of forPage.filter((e) => e.slot in SLOTS)) {
        await page.getByLabel(SLOTS[entry.slot].label, { exact: true }).setInputFiles(join(CORPUS, entry.file));
        const note = statusOf(page, entry.slot).locator("[data-not-replaced]");
        await note.getByText(`Not replaced by ${entry.file}`).waitFor();
        assert.ok((await note.innerText()).includes(entry.says), `${entry.file}: ${await note.innerText()}`);
      }
      // Every input, including those the corpus has no file for.
      for (const slot of Object.keys(SLOTS)) {
        await page.getByLabel(SLOTS[slot].label, { exact: true }).setInputFiles(GARBAGE);
        await statusOf(page, slot).locator("[data-not-replaced]").getByText("Not replaced by garbage.txt").waitFor();
      }
      // Settings files that are refused leave every value as it was.
      for (const entry of forPage.filter((e) => e.slot === "settings")) {
        await page.getByLabel("Import settings", { exact: true }).setInputFiles(join(CORPUS, entry.file));
        await page.locator(".settings .message.error").getByText(entry.says).waitFor();
      }

      const afterwards = await snapshot(page);
      assert.deepEqual(afterwards, before, "keys, certificates, values and the preview are as they were");
      const idpAfter = await downloadBy(page, "Download IdP metadata", `${mode}-idp-after`);
      const spAfter = await downloadBy(page, "Download SP metadata", `${mode}-sp-after`);
      assert.ok(idpAfter.equals(idp), "the IdP metadata download is the same bytes");
      assert.ok(spAfter.equals(sp), "the SP metadata download is the same bytes");

      // A good file still replaces, and the note goes with it.
      await page.getByLabel("IdP Private Key", { exact: true }).setInputFiles(fixture("pkcs1.pem"));
      await page.locator('[data-slot="idp-private-key"] .file-name').getByText("pkcs1.pem").waitFor();
      assert.equal(await statusOf(page, "key").locator("[data-not-replaced]").count(), 0);

      if (mode === "file") {
        const requests = browser.requests.filter((r) => r !== url && !r.startsWith("blob:"));
        assert.deepEqual(requests, [], "nothing but the file itself and its blob: worker");
      } else {
        const requests = browser.requests.filter((r) => !r.startsWith(server.url) && !r.startsWith(`blob:${server.url}`));
        assert.deepEqual(requests, [], "no request to another origin");
      }
      assert.deepEqual(await storageOf(page), EMPTY_STORAGE);
      assert.deepEqual(browser.errors, []);
    } finally {
      await browser.close();
      await server?.close();
    }
  });
}
