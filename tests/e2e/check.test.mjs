// The Check view in headless Chromium, on the release build, over http and file://: captured
// Responses made here and signed by the real xmlsec1 (good, wrong audience, altered, unsigned,
// signed by another key), pasted as base64 or dropped as a file, checked against a "Trusted
// certificate" or the builder's; xmlsec1-signed metadata read and verified. Each problem carries
// the core's code (data-code) and each element of the map whether it is signed (data-signed).
// Nothing leaves the page; nothing is stored.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "../../scripts/serve.mjs";
import { DIST, EMPTY_STORAGE, ROOT, launch, singleFileUrl, storageOf, waitForEngine } from "./browser.mjs";

const FIXTURES = join(ROOT, "crates/samlmeta/tests/fixtures");
const fixture = (name) => join(FIXTURES, name);
const scratch = mkdtempSync(join(tmpdir(), "samlmeta-check-"));

before(() => {
  assert.ok(existsSync(join(DIST, "samlmeta.html")), "dist/samlmeta.html is missing: run `make dist`");
});
after(() => rmSync(scratch, { recursive: true, force: true }));

const IDP = "KeeperSSO";
const SP = "https://keepersecurity.com/api/rest/sso/saml/459561502469";
const ACS = "https://keepersecurity.com/api/rest/sso/saml/sso/459561502469";
/** The builder's values, from the link (the Check view holds the message against them). */
const LINK = `#check&preset=generic&idp-entity-id=${encodeURIComponent(IDP)}&sp-entity-id=${encodeURIComponent(SP)}&acs-url=${encodeURIComponent(ACS)}`;

const SIG = (id) =>
  `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="#${id}"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature>`;

/** The real xmlsec1 signs the element of `idAttr` (e.g. the Assertion) that holds a template. */
function xmlsec1Sign(xml, idAttr, key, cert) {
  const input = join(scratch, `in-${Math.random().toString(16).slice(2)}.xml`);
  writeFileSync(input, xml);
  return execFileSync(
    "xmlsec1",
    ["--sign", "--privkey-pem", `${fixture(key)},${fixture(cert)}`, "--id-attr:ID", idAttr, input],
    { encoding: "utf8" },
  );
}

/** A login's Response, valid now, signed as asked (Assertion first, then the Response). */
function response({ audience = SP, sign = true, key = "pkcs8.pem", cert = "cert.pem" } = {}) {
  const t = (ms) => new Date(Date.now() + ms).toISOString().replace(/\.\d+Z$/, "Z");
  const assertion = `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a1" Version="2.0" IssueInstant="${t(0)}"><saml:Issuer>${IDP}</saml:Issuer>${sign ? SIG("_a1") : ""}<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">ada@example.com</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${t(300_000)}" Recipient="${ACS}"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="${t(-60_000)}" NotOnOrAfter="${t(300_000)}"><saml:AudienceRestriction><saml:Audience>${audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AttributeStatement><saml:Attribute Name="Email"><saml:AttributeValue>ada@example.com</saml:AttributeValue></saml:Attribute><saml:Attribute Name="First"><saml:AttributeValue>Ada</saml:AttributeValue></saml:Attribute><saml:Attribute Name="Last"><saml:AttributeValue>Lovelace</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion>`;
  const head = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_resp" Version="2.0" IssueInstant="${t(0)}" Destination="${ACS}"><saml:Issuer>${IDP}</saml:Issuer>`;
  const rest = `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>${assertion}</samlp:Response>`;
  if (!sign) return head + rest;
  // The Assertion first (its signature is then inside what the Response's covers), then the
  // Response, its template placed after its Issuer.
  const signedAssertion = xmlsec1Sign(head + rest, "urn:oasis:names:tc:SAML:2.0:assertion:Assertion", key, cert);
  const at = signedAssertion.indexOf("<samlp:Status>");
  const xml = signedAssertion.slice(0, at) + SIG("_resp") + signedAssertion.slice(at);
  return xmlsec1Sign(xml, "urn:oasis:names:tc:SAML:2.0:protocol:Response", key, cert);
}

const base64 = (xml) => Buffer.from(xml, "utf8").toString("base64");

/** Opens the page at `url` (the Check view through #check), ready. */
async function open(url) {
  const browser = await launch();
  browser.page.setDefaultTimeout(30_000);
  await browser.page.goto(url);
  await waitForEngine(browser.page);
  return browser;
}

/** Runs `change`, then waits until the result shown is that of the new input. */
async function changed(page, change) {
  const shown = page.locator(".check-result");
  const before = (await shown.count()) ? await shown.getAttribute("data-revision") : "none";
  await change();
  await page.locator(`.check-result:not([data-revision="${before}"])`).waitFor();
}

async function pasteToCheck(page, text) {
  await changed(page, () => page.getByLabel("Text to check", { exact: true }).fill(text));
}

async function trust(page, certName) {
  await page.getByLabel("Trusted certificate", { exact: true }).setInputFiles(fixture(certName));
  await page.locator(".check-trust .slot-ok").waitFor();
}

/** The verdict, the problem codes and the signed map, as the page shows them. */
async function result(page) {
  const verdict = page.locator(".check-result .verdict");
  await verdict.waitFor();
  return {
    verdict: await verdict.getAttribute("data-verdict"),
    kind: await verdict.getAttribute("data-kind"),
    codes: await page.locator(".check-problems [data-code]").evaluateAll((els) => els.map((e) => e.dataset.code)),
    map: await page
      .locator(".doc-map li")
      .evaluateAll((els) => els.map((e) => [e.dataset.element.replace(/^.*:/, ""), e.dataset.signed])),
    values: await page
      .locator(".check-values tr[data-value]")
      .evaluateAll((els) => els.map((e) => [e.dataset.value, e.dataset.signed])),
  };
}

/** Every Response case, on one page: the codes and the map each must show. */
async function responseCases(page) {
  // A good login, trusted certificate given: valid, nothing wrong, every element signed.
  await trust(page, "cert.pem");
  await pasteToCheck(page, base64(response()));
  let r = await result(page);
  assert.equal(r.verdict, "valid");
  assert.equal(r.kind, "response");
  assert.deepEqual(r.codes, []);
  assert.ok(r.map.length > 10 && r.map.every(([, s]) => s === "true"), JSON.stringify(r.map));
  assert.ok(r.values.some(([v, s]) => v === "NameID" && s === "true"));

  // The wrong audience: the SP Entity ID from the builder is not the Audience.
  await pasteToCheck(page, base64(response({ audience: "https://other.example/sp" })));
  r = await result(page);
  assert.equal(r.verdict, "valid");
  assert.deepEqual(r.codes, ["audience-mismatch"]);

  // Altered after signing: nothing is signed any more, and the map says so.
  await pasteToCheck(page, base64(response().replace(">ada@example.com</saml:NameID>", ">eve@example.com</saml:NameID>")));
  r = await result(page);
  assert.equal(r.verdict, "altered");
  assert.ok(r.codes.includes("signature-invalid"), r.codes.join());
  assert.ok(r.map.every(([, s]) => s === "false"), JSON.stringify(r.map));
  assert.ok(r.values.every(([, s]) => s === "false"));

  // Unsigned: one error, every value marked unsigned.
  await pasteToCheck(page, response({ sign: false }));
  r = await result(page);
  assert.equal(r.verdict, "unsigned");
  assert.deepEqual(r.codes, ["unsigned"]);
  assert.ok(r.map.every(([, s]) => s === "false"));

  // Signed by another key than the trusted certificate's.
  await pasteToCheck(page, base64(response({ key: "other.key.pem", cert: "other.cert.pem" })));
  r = await result(page);
  assert.equal(r.verdict, "other-signer");
  assert.ok(r.codes.includes("signer-mismatch"), r.codes.join());
  assert.ok(r.map.every(([, s]) => s === "false"));
}

test("#check opens the Check view; the header links switch views and the builder keeps its values", async () => {
  const server = await serve(DIST, 0);
  const browser = await open(server.url + LINK);
  const { page } = browser;
  try {
    await page.getByRole("heading", { name: "Check a login or metadata" }).waitFor();
    assert.equal(await page.locator("main.steps").isHidden(), true);
    assert.equal(await page.getByRole("link", { name: "Check a login or metadata" }).getAttribute("aria-current"), "page");
    // "check" is not a setting: no note about it, and the values after it were filled in.
    assert.equal(await page.locator('[data-note="link"]').count(), 0);
    assert.match(await page.locator('[data-held-against="builder"]').innerText(), /KeeperSSO/);
    await page.getByRole("link", { name: "Build metadata" }).click();
    await page.getByLabel("IdP Entity ID", { exact: true }).waitFor();
    assert.equal(await page.getByLabel("IdP Entity ID", { exact: true }).inputValue(), IDP);
    assert.ok(await page.locator(".check-view").isHidden(), "the Check view is kept, hidden");
    await page.getByRole("link", { name: "Check a login or metadata" }).click();
    await page.getByLabel("Text to check", { exact: true }).waitFor();
    assert.equal(new URL(page.url()).hash, LINK, "following a view link leaves the address as it was");
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});

test("http: captured Responses pasted as base64 show the right codes and signed map; no request, nothing stored", async () => {
  const server = await serve(DIST, 0);
  const browser = await open(server.url + LINK);
  try {
    await responseCases(browser.page);
    for (const url of browser.requests) {
      assert.ok(url.startsWith(server.url) || url.startsWith(`blob:${server.url}`), `unexpected request ${url}`);
    }
    assert.deepEqual(await storageOf(browser.page), EMPTY_STORAGE);
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});

test("file://: the same cases from the single file; no request, nothing stored", async () => {
  const url = singleFileUrl(scratch);
  const browser = await open(url + LINK);
  try {
    await responseCases(browser.page);
    const requests = browser.requests.filter((u) => !u.startsWith(url) && !u.startsWith("blob:"));
    assert.deepEqual(requests, [], "nothing but the file itself and its blob: worker");
    assert.deepEqual(await storageOf(browser.page), EMPTY_STORAGE);
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test("a dropped file is checked against the builder's certificate; xmlsec1-signed metadata verifies", async () => {
  const server = await serve(DIST, 0);
  const browser = await open(`${server.url}#idp-entity-id=${IDP}`);
  const { page } = browser;
  try {
    // The builder's certificate, loaded in step 1, is what the Check view trusts.
    await page.getByLabel("IdP Certificate", { exact: true }).setInputFiles(fixture("cert.pem"));
    await page.locator('[data-slot="idp-certificate"] .slot-file').waitFor();
    await page.getByRole("link", { name: "Check a login or metadata" }).click();
    await page.locator('[data-trust-source="builder"]').waitFor();

    const file = join(scratch, "response.txt");
    writeFileSync(file, base64(response()));
    const dataTransfer = await page.evaluateHandle((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], "response.txt"));
      return dt;
    }, readFileSync(file, "utf8"));
    const zone = page.locator('[data-slot="check-file"]');
    await zone.dispatchEvent("dragover", { dataTransfer });
    await changed(page, () => zone.dispatchEvent("drop", { dataTransfer }));
    let r = await result(page);
    assert.equal(r.verdict, "valid");
    assert.match(await page.locator(".check-result").innerText(), /the file response\.txt.*the builder's certificate/s);
    // Without preset values the Response still has no error (Keeper's rules are off: generic).
    assert.ok(!r.codes.includes("signer-mismatch"));

    // Metadata signed by the real xmlsec1 on its root: verified, its entity and certificate shown.
    const der = execFileSync("openssl", ["x509", "-in", fixture("cert.pem"), "-outform", "DER"]);
    const metadata = `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" ID="_m1" entityID="${IDP}">${SIG("_m1")}<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${der.toString("base64")}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sso.jumpcloud.com/saml2/keepersecurity"/></md:IDPSSODescriptor></md:EntityDescriptor>`;
    const signed = xmlsec1Sign(metadata, "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor", "pkcs8.pem", "cert.pem");
    await pasteToCheck(page, signed);
    r = await result(page);
    assert.equal(r.kind, "metadata");
    assert.equal(r.verdict, "valid");
    assert.ok(r.map.every(([, s]) => s === "true"), JSON.stringify(r.map));
    const sha256 = execFileSync("openssl", ["x509", "-in", fixture("cert.pem"), "-noout", "-fingerprint", "-sha256"], { encoding: "utf8" })
      .split("=")[1]
      .trim();
    const shown = await page.locator(".check-entity tr[data-sha256]").getAttribute("data-sha256");
    assert.equal(shown.replaceAll(":", "").toUpperCase(), sha256.replaceAll(":", "").toUpperCase());
    assert.equal(await page.locator('.check-entity tr[data-endpoint="SingleSignOnService"]').count(), 1);

    // "Load into builder": it replaces the builder's certificate, so it asks first; then the
    // builder has the metadata's values and certificate.
    const asked = [];
    page.once("dialog", (d) => {
      asked.push(d.message());
      d.accept();
    });
    await page.getByRole("button", { name: "Load into builder" }).click();
    await page.getByLabel("IdP URL", { exact: true }).waitFor();
    assert.equal(asked.length, 1);
    assert.match(asked[0], /the certificate/);
    assert.equal(await page.getByLabel("IdP Entity ID", { exact: true }).inputValue(), IDP);
    assert.equal(await page.getByLabel("IdP URL", { exact: true }).inputValue(), "keepersecurity");
    assert.match(await page.locator('[data-slot="idp-certificate"] .slot-file').innerText(), /the IdP metadata/);
    assert.match(await page.locator(".link-notes").innerText(), /filled in from the IdP metadata/);
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});

const SCHEMA = join(ROOT, "crates/samlmeta/tests/schemas/samlmeta-all.xsd");
const b64 = (pem) => readFileSync(fixture(pem), "utf8").replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
const opensslOut = (...args) => execFileSync("openssl", args, { encoding: "utf8" });
/** openssl's SHA-256 fingerprint, as the page writes it in data attributes (colon hex). */
const fingerprint = (pem) => opensslOut("x509", "-in", pem, "-noout", "-fingerprint", "-sha256").split("=")[1].trim().toUpperCase();
/** openssl's notAfter as YYYY-MM-DD. */
const notAfter = (pem) => new Date(opensslOut("x509", "-in", pem, "-noout", "-enddate").split("=")[1].trim()).toISOString().slice(0, 10);
/** JumpCloud's export shape: unsigned, one signing certificate, HTTP-POST SSO. */
const jumpcloudExport = (certPem) =>
  `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${IDP}"><md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${certPem}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sso.jumpcloud.com/saml2/keepersecurity"/></md:IDPSSODescriptor></md:EntityDescriptor>`;

/** The rollover checklist under `scope`: its two certificates and its steps. */
async function rolloverPlan(scope) {
  const plan = scope.locator(".rollover-plan");
  await plan.waitFor();
  return {
    current: (await plan.getAttribute("data-current-sha256")).toUpperCase(),
    next: (await plan.getAttribute("data-new-sha256")).toUpperCase(),
    steps: await plan.locator("li[data-step]").evaluateAll((els) => els.map((e) => [e.dataset.step, e.dataset.from, e.dataset.by])),
    codes: await plan.locator("[data-code]").evaluateAll((els) => els.map((e) => e.dataset.code)),
  };
}

/** The download of the builder's IdP metadata: both certificates in order, and xmlsec1 and the schema accept it. */
async function downloadRollover(page, name) {
  await page.locator('.xml-preview[data-state="signed"]').waitFor();
  const [dl] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download IdP metadata", exact: true }).click()]);
  const path = join(scratch, `${name}-${dl.suggestedFilename()}`);
  await dl.saveAs(path);
  const xml = readFileSync(path, "utf8");
  const certs = [...xml.matchAll(/<md:KeyDescriptor use="signing">[\s\S]*?<ds:X509Certificate>([^<]+)<\/ds:X509Certificate>/g)].map((m) => m[1].replace(/\s+/g, ""));
  execFileSync("xmllint", ["--nonet", "--noout", "--schema", SCHEMA, path], { stdio: "pipe" });
  execFileSync("xmlsec1", ["--verify", "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor", "--trusted-pem", fixture("cert.pem"), path], { stdio: "pipe" });
  return certs;
}

/** The rollover helper from JumpCloud's export and a "New certificate" file, into the builder, downloaded. */
async function rolloverFromFile(browser) {
  const { page } = browser;
  await pasteToCheck(page, jumpcloudExport(b64("cert.pem")));
  assert.equal((await result(page)).kind, "metadata");
  const helper = page.locator(".rollover-helper");
  await helper.locator('[data-new-source="none"]').waitFor();
  await page.getByLabel("New certificate", { exact: true }).setInputFiles(fixture("other.cert.pem"));
  const plan = await rolloverPlan(helper);
  assert.equal(plan.current, fingerprint(fixture("cert.pem")));
  assert.equal(plan.next, fingerprint(fixture("other.cert.pem")));
  const today = new Date().toISOString().slice(0, 10);
  const end = notAfter(fixture("cert.pem"));
  assert.deepEqual(plan.steps, [
    ["publish-both", today, end],
    ["switch-idp", today, end],
    ["remove-old", today, ""],
  ]);
  // Both fixtures are valid now for ten years and the new one outlasts the current one by a second.
  assert.deepEqual(plan.codes, []);
  assert.match(await helper.innerText(), new RegExp(`expires on ${notAfter(fixture("other.cert.pem"))}`));

  // The builder is empty: nothing to replace, no question. Then it has the values, the current
  // certificate first and the new one second, and the same checklist in step 4.
  await page.getByRole("button", { name: "Load rollover into builder" }).click();
  await page.getByLabel("IdP URL", { exact: true }).waitFor();
  assert.equal(await page.getByLabel("IdP Entity ID", { exact: true }).inputValue(), IDP);
  assert.equal(await page.getByLabel("IdP URL", { exact: true }).inputValue(), "keepersecurity");
  assert.deepEqual(await rolloverPlan(page.locator("main.steps")), plan);
  // The current key signs.
  await page.getByLabel("IdP Private Key", { exact: true }).setInputFiles(fixture("pkcs8.pem"));
  await page.locator('[data-key="loaded"]').waitFor();
  assert.deepEqual(await downloadRollover(page, "rollover-file"), [b64("cert.pem"), b64("other.cert.pem")]);
}

test("the rollover helper: current certificate first, the new one second, the dates, a download xmlsec1 accepts (http and file://)", async () => {
  const server = await serve(DIST, 0);
  for (const url of [server.url + "#check", singleFileUrl(scratch) + "#check"]) {
    const browser = await open(url);
    try {
      await rolloverFromFile(browser);
      const local = url.startsWith("file:") ? url.split("#")[0] : server.url;
      assert.deepEqual(browser.requests.filter((u) => !u.startsWith(local) && !u.startsWith("blob:")), []);
      assert.deepEqual(await storageOf(browser.page), EMPTY_STORAGE);
      assert.deepEqual(browser.errors, []);
    } finally {
      await browser.close();
    }
  }
  await server.close();
});

test("the rollover helper with a pair generated in the builder: saved first, then its certificate is the new one", async () => {
  const browser = await open(singleFileUrl(scratch));
  const { page } = browser;
  try {
    await page.getByRole("button", { name: "Generate a key pair" }).click();
    await page.getByLabel("Key size").selectOption("2048");
    await page.getByLabel("Common name").fill("sso.example.com");
    await page.getByRole("button", { name: "Generate", exact: true }).click();
    await page.locator('[data-keygen="generated"]').waitFor({ timeout: 60_000 });
    await page.getByRole("link", { name: "Check a login or metadata" }).click();
    await pasteToCheck(page, jumpcloudExport(b64("cert.pem")));
    const helper = page.locator(".rollover-helper");
    await helper.locator('[data-new-source="builder"]').waitFor();
    const plan = await rolloverPlan(helper);
    assert.equal(plan.current, fingerprint(fixture("cert.pem")));
    // Not saved yet: loading would take the only copy of the new key out of the builder.
    const load = page.getByRole("button", { name: "Load rollover into builder" });
    assert.ok(await load.isDisabled());
    await page.getByRole("link", { name: "Build metadata" }).click();
    const saved = {};
    for (const name of ["Download private.pem", "Download cert.pem"]) {
      const [dl] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name, exact: true }).click()]);
      saved[name] = join(scratch, `generated-${dl.suggestedFilename()}`);
      await dl.saveAs(saved[name]);
    }
    const newCert = saved["Download cert.pem"];
    assert.equal(plan.next, fingerprint(newCert));
    await page.getByRole("link", { name: "Check a login or metadata" }).click();
    // The view kept what was pasted while the builder was shown.
    assert.match(await page.getByLabel("Text to check", { exact: true }).inputValue(), /entityID="KeeperSSO"/);
    // It replaces the builder's certificate: it asks first.
    const asked = [];
    page.once("dialog", (d) => {
      asked.push(d.message());
      d.accept();
    });
    await load.click();
    await page.getByLabel("IdP URL", { exact: true }).waitFor();
    assert.match(asked[0] ?? "", /the certificate/);
    // The new key was taken out (the current one signs); with it back the download verifies.
    assert.match(await page.locator(".notice").innerText(), /taken out/);
    assert.equal(await page.locator('[data-key="loaded"]').count(), 0);
    await page.getByLabel("IdP Private Key", { exact: true }).setInputFiles(fixture("pkcs8.pem"));
    await page.locator('[data-key="loaded"]').waitFor();
    const newB64 = readFileSync(newCert, "utf8").replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
    assert.deepEqual(await downloadRollover(page, "rollover-generated"), [b64("cert.pem"), newB64]);
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});
