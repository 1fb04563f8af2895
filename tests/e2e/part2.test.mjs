// The builder's second half: reading the SP's metadata, the SP metadata download, the certificate
// card, "check our work" (the SHA-256 shown is the file's), settings exported and imported again,
// the prefilled link, and the opt-in wipe after download.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DIST, ROOT, launch, waitForEngine } from "./browser.mjs";

const FIXTURES = join(ROOT, "crates/samlmeta/tests/fixtures");
const SCHEMA = join(ROOT, "crates/samlmeta/tests/schemas/samlmeta-all.xsd");
const fixture = (n) => join(FIXTURES, n);
const url = pathToFileURL(join(DIST, "samlmeta.html")).href;
const scratch = mkdtempSync(join(tmpdir(), "samlmeta-part2-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

const KEEPER_SP = `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://keepersecurity.com/api/rest/sso/saml/2130303">
  <md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${
  readFileSync(fixture("other.cert.pem"), "utf8").replace(/-----[^-]+-----/g, "").replace(/\s+/g, "")
}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://keepersecurity.com/api/rest/sso/saml/sso/2130303" index="1" isDefault="true"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>
`;

const sha256 = (path) => createHash("sha256").update(readFileSync(path)).digest("hex");
const run = (cmd, args) => execFileSync(cmd, args, { stdio: "pipe" }).toString();

async function downloadBy(page, name, save) {
  const [dl] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name, exact: true }).click()]);
  const path = join(scratch, `${save}-${dl.suggestedFilename()}`);
  await dl.saveAs(path);
  return [dl.suggestedFilename(), path];
}

async function loadIdp(page) {
  await page.getByLabel("IdP Certificate", { exact: true }).setInputFiles(fixture("cert.pem"));
  await page.getByLabel("IdP Private Key", { exact: true }).setInputFiles(fixture("pkcs8.pem"));
  await page.locator('[data-key="loaded"]').waitFor();
}

/** Opens the single file with the IdP's certificate and key loaded and the reference values typed. */
async function openWithIdp(page) {
  await page.goto(url);
  await waitForEngine(page);
  await loadIdp(page);
  await page.getByLabel("IdP Entity ID", { exact: true }).fill("KeeperSSO");
  await page.getByLabel("IdP URL", { exact: true }).fill("keepersecurity");
}

/** The metadata without its per-page ID and signature: equal for equal values and certificate. */
const withoutIdAndSignature = (xml) => xml.replace(/ ID="_[0-9a-f]{32}"/, "").replace(/\n  <ds:Signature[\s\S]*?<\/ds:Signature>/, "");

test("SP metadata fills the SP fields; the SP metadata download is schema-valid and carries the SP's certificate", async () => {
  const sp = join(scratch, "keeper-sp-metadata.xml");
  writeFileSync(sp, KEEPER_SP);
  const browser = await launch();
  const { page } = browser;
  try {
    await page.goto(url);
    await waitForEngine(page);
    await page.getByLabel("SP metadata", { exact: true }).setInputFiles(sp);
    await page.locator('[data-slot="sp-metadata"] .slot-summary').getByText("filled SP Entity ID and ACS URL").waitFor();
    assert.equal(await page.getByLabel("SP Entity ID", { exact: true }).inputValue(), "https://keepersecurity.com/api/rest/sso/saml/2130303");
    assert.equal(await page.getByLabel("ACS URL", { exact: true }).inputValue(), "https://keepersecurity.com/api/rest/sso/saml/sso/2130303");
    const [name, path] = await downloadBy(page, "Download SP metadata", "sp");
    assert.equal(name, "sp-metadata.xml");
    assert.ok((await page.locator(".notice").innerText()).includes(sha256(path)), "the notice names the file's SHA-256");
    run("xmllint", ["--nonet", "--noout", "--schema", SCHEMA, path]);
    const xml = readFileSync(path, "utf8");
    assert.match(xml, /<md:SPSSODescriptor/);
    assert.doesNotMatch(xml, /Signature/, "SP metadata is never signed with the IdP's key");
    const otherB64 = readFileSync(fixture("other.cert.pem"), "utf8").replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
    assert.ok(xml.includes(otherB64), "the SP's own certificate");

    // Not SP metadata: a plain message, nothing changed.
    await page.getByLabel("SP metadata", { exact: true }).setInputFiles(fixture("cert.pem"));
    await page.locator('[data-slot="sp-metadata"] .message.error').waitFor();
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test("the SHA-256 shown is the downloaded file's; the certificate card matches openssl; wipe after download", async () => {
  const browser = await launch();
  const { page } = browser;
  try {
    await openWithIdp(page);
    await page.locator(".download-sha256").waitFor();
    const shown = await page.locator(".download-sha256").innerText();
    const [, path] = await downloadBy(page, "Download IdP metadata", "sha");
    assert.equal(shown, sha256(path));

    const openssl = run("openssl", ["x509", "-in", fixture("cert.pem"), "-noout", "-fingerprint", "-sha256"]).trim().split("=")[1];
    assert.ok((await page.locator(".cert-card").innerText()).includes(openssl), "the card shows openssl's SHA-256 fingerprint");
    assert.ok((await page.locator(".check-our-work").innerText()).includes(`SHA256 Fingerprint=${openssl}`));

    // The certificate as DER (.cer) is the fixture's.
    const [cerName, cer] = await downloadBy(page, "Download certificate (.cer)", "cer");
    assert.equal(cerName, "keepersecurity-idp-certificate.cer");
    const der = execFileSync("openssl", ["x509", "-in", fixture("cert.pem"), "-outform", "DER"]);
    assert.ok(readFileSync(cer).equals(der), "the .cer is the certificate's DER");

    // Opt-in wipe.
    await page.getByLabel("Wipe the private key from this page after downloading").check();
    await downloadBy(page, "Download IdP metadata", "wiped");
    await page.locator(".notice").getByText("wiped").waitFor();
    assert.equal(await page.locator('[data-key="loaded"]').count(), 0);
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test("exported settings imported into a fresh page, and the copied link, reproduce the same metadata; samlmeta idp --settings writes the same bytes", async () => {
  const browser = await launch();
  const { page, context } = browser;
  try {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.goto(url);
    await waitForEngine(page);
    await loadIdp(page);
    await page.getByLabel("Preset").selectOption("keeper-cloud");
    await page.getByLabel("Keeper region").selectOption("keepersecurity.eu");
    await page.getByLabel("Keeper SSO ID").fill("459561502469");
    for (const [label, value] of [["IdP Entity ID", "KeeperSSO"], ["IdP URL", "keepersecurity"], ["Display Label", "Keeper & Co. – Zürich"]]) {
      await page.getByLabel(label, { exact: true }).fill(value);
    }
    await page.getByLabel("HTTP-Redirect").check();
    await page.getByLabel("NameID format").selectOption({ label: "Persistent" });
    await page.getByText("Advanced: validity").click();
    await page.getByLabel("Valid for (days)").fill("365");
    await page.locator('.xml-preview[data-state="signed"]').waitFor();
    const [, first] = await downloadBy(page, "Download IdP metadata", "first");
    const [settingsName, settings] = await downloadBy(page, "Export settings", "settings");
    assert.equal(settingsName, "keepersecurity-samlmeta-settings.json");
    const json = JSON.parse(readFileSync(settings, "utf8"));
    assert.equal(json["samlmeta-settings"], 1);
    assert.equal(json["keeper-region"], "keepersecurity.eu");
    assert.equal(json["keeper-sso-id"], "459561502469");
    assert.equal(json["acs-url"], "https://keepersecurity.eu/api/rest/sso/saml/sso/459561502469");
    assert.equal(json.bindings, "redirect,post");
    assert.ok(!JSON.stringify(json).includes("PRIVATE"), "no key in the settings");
    await page.getByRole("button", { name: "Copy link with these values" }).click();
    await page.locator(".notice").getByText("link").waitFor();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    assert.ok(link.startsWith(url + "#"), link);

    // The command line, from the file the page exported, with the page's ID and time: the same bytes.
    const xml = readFileSync(first, "utf8");
    const id = xml.match(/ ID="(_[0-9a-f]{32})"/)[1];
    const validUntil = xml.match(/validUntil="([^"]+)"/)[1];
    const now = new Date(Date.parse(validUntil) - 365 * 86_400_000).toISOString().replace(/\.000Z$/, "Z");
    const cli = execFileSync("cargo", ["run", "-q", "-p", "samlmeta-cli", "--", "idp", "--settings", settings,
      "--cert", fixture("cert.pem"), "--key", fixture("pkcs8.pem"), "--id", id, "--now", now], { cwd: ROOT, stdio: "pipe" });
    assert.equal(cli.toString("utf8"), xml, "samlmeta idp --settings writes what the page downloads");

    for (const how of ["settings file", "link"]) {
      const fresh = await context.newPage();
      await fresh.goto(how === "link" ? link : url);
      await waitForEngine(fresh);
      if (how === "settings file") {
        await fresh.getByLabel("Import settings").setInputFiles(settings);
        await fresh.getByText("filled in from the settings file").waitFor();
      }
      assert.equal(await fresh.getByLabel("Keeper SSO ID").inputValue(), "459561502469", how);
      assert.equal(await fresh.locator('[data-note="link"]').count(), 0, `${how}: nothing ignored`);
      await loadIdp(fresh);
      await fresh.locator('.xml-preview[data-state="signed"]').waitFor();
      const [, again] = await downloadBy(fresh, "Download IdP metadata", how.replace(" ", "-"));
      const stripped = (p) => withoutIdAndSignature(readFileSync(p, "utf8")).replace(/ validUntil="[^"]+"/, "");
      assert.equal(stripped(again), stripped(first), how);
      run("xmlsec1", ["--verify", "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor", "--trusted-pem", fixture("cert.pem"), again]);
      await fresh.close();
    }
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test("each preset fills Keeper's values, replaces what it derived and keeps what was typed", async () => {
  const browser = await launch();
  const { page } = browser;
  const value = (label) => page.getByLabel(label, { exact: true }).inputValue();
  try {
    await page.goto(url);
    await waitForEngine(page);
    assert.equal(await page.getByLabel("Preset").inputValue(), "keeper", "on-prem Keeper is the default");
    await page.getByLabel("IdP Entity ID", { exact: true }).fill("KeeperSSO");

    // On-prem: the SSO Connect server gives both SP values.
    await page.getByLabel("SSO Connect server", { exact: true }).fill("sso.acme.example");
    assert.equal(await value("SP Entity ID"), "https://sso.acme.example/sso-connect");
    assert.equal(await value("ACS URL"), "https://sso.acme.example/sso-connect/saml/sso");

    // Cloud: the region and SSO ID; nothing of on-prem stays.
    await page.getByLabel("Preset").selectOption("keeper-cloud");
    assert.equal(await value("SP Entity ID"), "");
    assert.equal(await value("ACS URL"), "");
    assert.equal(await page.getByLabel("SSO Connect server", { exact: true }).count(), 0);
    await page.getByLabel("Keeper region").selectOption("keepersecurity.eu");
    await page.getByLabel("Keeper SSO ID").fill("459561502469");
    assert.equal(await value("SP Entity ID"), "https://keepersecurity.eu/api/rest/sso/saml/459561502469");
    assert.equal(await value("ACS URL"), "https://keepersecurity.eu/api/rest/sso/saml/sso/459561502469");
    assert.match(await page.locator('.in-jumpcloud [data-step="keeper"]').innerText(), /IDP Type to GENERIC/);
    assert.equal(await value("IdP Entity ID"), "KeeperSSO", "kept");

    // Back to on-prem: the Cloud values go.
    await page.getByLabel("Preset").selectOption("keeper");
    assert.equal(await value("SP Entity ID"), "");
    assert.equal(await value("ACS URL"), "");
    assert.equal(await value("SSO Connect server"), "");

    // Typed values stay, and Keeper's entity ID typed as the ACS URL is warned about.
    await page.getByLabel("Preset").selectOption("keeper-cloud");
    await page.getByLabel("SP Entity ID", { exact: true }).fill("https://keepersecurity.com/api/rest/sso/saml/2130303");
    await page.getByLabel("ACS URL", { exact: true }).fill("https://keepersecurity.com/api/rest/sso/saml/2130303");
    await page.locator('[data-code="acs-url-is-entity-id"]').waitFor();
    assert.match(await page.locator('[data-code="acs-url-is-entity-id"]').innerText(), /saml\/sso\/2130303/);

    await page.getByLabel("Preset").selectOption("generic");
    const sso = page.getByLabel("SSO URL", { exact: true });
    await sso.waitFor();
    await sso.fill("https://idp.example.com/saml2/sso");
    assert.equal(await page.locator(".sso-url").innerText(), "https://idp.example.com/saml2/sso");
    assert.equal(await value("SP Entity ID"), "https://keepersecurity.com/api/rest/sso/saml/2130303", "typed, kept");
    assert.match(await page.locator(".checklist h3").innerText(), /your service provider/);

    await page.getByLabel("IdP Certificate", { exact: true }).setInputFiles(fixture("cert.pem"));
    const [, path] = await downloadBy(page, "Download IdP metadata", "generic");
    const xml = readFileSync(path, "utf8");
    assert.match(xml, /Location="https:\/\/idp\.example\.com\/saml2\/sso"/);
    assert.equal((xml.match(/<md:SingleSignOnService /g) ?? []).length, 1, "one SSO service, HTTP-POST, by default");
    assert.match(xml, /bindings:HTTP-POST"/);
    run("xmllint", ["--nonet", "--noout", "--schema", SCHEMA, path]);
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test("settings exported by earlier builds for Keeper Cloud get Keeper's ACS URL, with a note", async () => {
  const old = join(scratch, "old-settings.json");
  const entity = "https://keepersecurity.eu/api/rest/sso/saml/459561502469";
  writeFileSync(old, JSON.stringify({ "samlmeta-settings": 1, preset: "keeper-cloud", "idp-entity-id": "KeeperSSO",
    "sp-entity-id": entity, "acs-url": entity, "idp-url-suffix": "keepersecurity", bindings: "redirect,post" }, null, 2));
  const browser = await launch();
  const { page } = browser;
  try {
    await page.goto(url);
    await waitForEngine(page);
    await page.getByLabel("Import settings").setInputFiles(old);
    await page.locator('[data-note="link"]').getByText("Corrected the ACS URL").waitFor();
    assert.equal(await page.getByLabel("ACS URL", { exact: true }).inputValue(), "https://keepersecurity.eu/api/rest/sso/saml/sso/459561502469");
    assert.equal(await page.getByLabel("Keeper SSO ID").inputValue(), "459561502469");
    assert.equal(await page.getByLabel("Keeper region").inputValue(), "keepersecurity.eu");
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test("advanced: a rollover download carries both signing certificates and verifies; validUntil is checked against the certificate", async () => {
  const browser = await launch();
  const { page } = browser;
  try {
    await openWithIdp(page);
    await page.getByText("Advanced: validity").click();
    await page.getByLabel("Second signing certificate").setInputFiles(fixture("other.cert.pem"));
    await page.getByLabel("Encryption certificate").setInputFiles(fixture("rsa3072.cert.pem"));
    await page.getByLabel("Valid for (days)").fill("3650");
    await page.locator('[data-code="valid-until-after-certificate"]').waitFor();
    await page.getByLabel("Valid for (days)").fill("30");
    await page.getByLabel("Cache duration").fill("P7D");
    await page.getByLabel("Organization name").fill("Example Corp");
    await page.getByLabel("Organization URL").fill("https://example.com");
    await page.getByLabel("Technical contact e-mail").fill("it@example.com");
    await page.locator('.xml-preview[data-state="signed"]').waitFor();
    const [, path] = await downloadBy(page, "Download IdP metadata", "rollover");
    const xml = readFileSync(path, "utf8");
    assert.equal((xml.match(/<md:KeyDescriptor use="signing">/g) ?? []).length, 2, "two signing certificates");
    assert.equal((xml.match(/<md:KeyDescriptor use="encryption">/g) ?? []).length, 1);
    assert.match(xml, /validUntil="/);
    assert.match(xml, /cacheDuration="PT604800S"|cacheDuration="P7D"/);
    assert.match(xml, /<md:OrganizationName xml:lang="en">Example Corp<\/md:OrganizationName>/);
    run("xmllint", ["--nonet", "--noout", "--schema", SCHEMA, path]);
    run("xmlsec1", ["--verify", "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor", "--trusted-pem", fixture("cert.pem"), path]);
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test("SP metadata signed with the SP's own key verifies; the IdP's key is refused for it", async () => {
  const sp = join(scratch, "keeper-sp-metadata-2.xml");
  writeFileSync(sp, KEEPER_SP);
  const browser = await launch();
  const { page } = browser;
  try {
    await page.goto(url);
    await waitForEngine(page);
    await loadIdp(page);
    await page.getByLabel("SP metadata", { exact: true }).setInputFiles(sp);
    await page.getByText("Sign the SP metadata with the SP's own key").click();
    await page.getByLabel("SP private key", { exact: true }).setInputFiles(fixture("pkcs8.pem"));
    await page.locator(".sp-signing .message.error").getByText("the IdP's private key").waitFor();
    await page.getByLabel("SP private key", { exact: true }).setInputFiles(fixture("other.key.pem"));
    await page.locator(".sp-signing .slot-file").waitFor();
    const [, path] = await downloadBy(page, "Download SP metadata", "sp-signed");
    const xml = readFileSync(path, "utf8");
    assert.match(xml, /<ds:Signature/);
    run("xmlsec1", ["--verify", "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor", "--trusted-pem", fixture("other.cert.pem"), path]);
    run("xmllint", ["--nonet", "--noout", "--schema", SCHEMA, path]);
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});
