// Accessibility: axe-core (npm), injected with page.evaluate (the page's CSP would block a script
// tag), reports no serious or critical violations, in the light and the dark theme, with the
// builder filled in and with its error states showing; and the page works from the keyboard alone.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DIST, ROOT, launch, waitForEngine } from "./browser.mjs";

const AXE = readFileSync(join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");
const FIXTURES = join(ROOT, "crates/samlmeta/tests/fixtures");
const url = pathToFileURL(join(DIST, "samlmeta.html")).href;

async function axeViolations(page) {
  await page.evaluate(AXE);
  const results = await page.evaluate(() =>
    window.axe.run(document, { resultTypes: ["violations"], runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] }),
  );
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("\n    ")}`);
}

for (const colorScheme of ["light", "dark"]) {
  test(`no serious or critical axe-core violations, ${colorScheme} theme`, async () => {
    const browser = await launch({ colorScheme });
    const { page } = browser;
    try {
      await page.goto(url);
      await waitForEngine(page);
      // Empty page, with its "required" state.
      assert.deepEqual(await axeViolations(page), [], "empty page");
      // Errors showing: a certificate in the key slot, an invalid URL.
      await page.getByLabel("IdP Private Key", { exact: true }).setInputFiles(join(FIXTURES, "cert.pem"));
      await page.getByLabel("ACS URL", { exact: true }).fill("not a url");
      await page.locator('[data-slot="idp-private-key"] .message.error').waitFor();
      assert.deepEqual(await axeViolations(page), [], "errors showing");
      // Filled in and signed.
      await page.getByLabel("IdP Certificate", { exact: true }).setInputFiles(join(FIXTURES, "cert.pem"));
      await page.getByLabel("IdP Private Key", { exact: true }).setInputFiles(join(FIXTURES, "pkcs8.pem"));
      await page.getByLabel("ACS URL", { exact: true }).fill("https://sso.acme.example/sso-connect/saml/sso");
      await page.getByLabel("IdP Entity ID", { exact: true }).fill("KeeperSSO");
      await page.getByLabel("IdP URL", { exact: true }).fill("keepersecurity");
      await page.locator('.xml-preview[data-state="signed"]').waitFor();
      assert.deepEqual(await axeViolations(page), [], "filled in");
      // The key pair panel, open, with a refusal showing, then with a pair made.
      await page.getByRole("button", { name: "Generate a key pair" }).click();
      await page.getByLabel("Valid for (years)").fill("0");
      await page.getByRole("button", { name: "Generate", exact: true }).click();
      await page.locator('[data-keygen="error"]').waitFor();
      assert.deepEqual(await axeViolations(page), [], "key pair panel with an error");
      await page.getByLabel("Valid for (years)").fill("3");
      await page.getByLabel("Key size").selectOption("2048");
      await page.getByRole("button", { name: "Generate", exact: true }).click();
      await page.locator('[data-keygen="generated"]').waitFor();
      assert.deepEqual(await axeViolations(page), [], "key pair made");
      // The Check view: an unsigned Response's problems, values and map; a fingerprint refused;
      // then metadata's entities and certificates.
      await page.getByRole("link", { name: "Check a login or metadata" }).click();
      await page.getByLabel("Trusted SHA-256 fingerprint", { exact: true }).fill("12:34");
      await page.getByLabel("Text to check", { exact: true }).fill(
        '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r" Version="2.0" IssueInstant="2026-12-01T10:00:00Z"><saml:Issuer>Other</saml:Issuer><saml:Assertion ID="_a" Version="2.0" IssueInstant="2026-12-01T10:00:00Z"><saml:Issuer>Other</saml:Issuer><saml:Subject><saml:NameID>ada</saml:NameID></saml:Subject></saml:Assertion></samlp:Response>',
      );
      await page.locator('.check-problems [data-code="unsigned"]').waitFor();
      assert.deepEqual(await axeViolations(page), [], "Check view, a Response");
      const der = readFileSync(join(FIXTURES, "cert.der")).toString("base64");
      await page.getByLabel("Text to check", { exact: true }).fill(
        `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="KeeperSSO"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${der}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sso.jumpcloud.com/saml2/keepersecurity"/></md:IDPSSODescriptor></md:EntityDescriptor>`,
      );
      await page.locator(".check-entity tr[data-sha256]").waitFor();
      assert.deepEqual(await axeViolations(page), [], "Check view, metadata");
      await page.getByLabel("New certificate", { exact: true }).setInputFiles(join(FIXTURES, "other.cert.pem"));
      await page.locator(".rollover-helper .rollover-plan li[data-step]").first().waitFor();
      assert.deepEqual(await axeViolations(page), [], "Check view, the rollover helper");
    } finally {
      await browser.close();
    }
  });
}

test("keyboard only: Tab reaches every control in order, and Download works from the keyboard", async () => {
  const browser = await launch();
  const { page } = browser;
  try {
    await page.goto(url);
    await waitForEngine(page);
    await page.getByLabel("IdP Certificate", { exact: true }).setInputFiles(join(FIXTURES, "cert.pem"));
    const order = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press("Tab");
      const id = await page.evaluate(() => {
        const el = document.activeElement;
        return el.id || el.getAttribute("aria-label") || el.textContent.trim().slice(0, 30);
      });
      if (order.includes(id)) break;
      order.push(id);
    }
    for (const expected of ["idp-certificate", "idp-private-key", "sso-connect-server", "idp-entity-id", "sp-entity-id", "acs-url", "idp-url",
      "use-sso-url", "display-label", "nameid-format", "binding-redirect", "binding-post"]) {
      assert.ok(order.includes(expected), `${expected} is reachable with Tab: ${JSON.stringify(order)}`);
    }
    const pos = (id) => order.indexOf(id);
    assert.ok(pos("idp-certificate") < pos("sso-connect-server") && pos("sso-connect-server") < pos("idp-entity-id")
      && pos("idp-entity-id") < pos("idp-url") && pos("binding-redirect") < pos("binding-post"), "visual order");

    await page.getByLabel("IdP Entity ID", { exact: true }).focus();
    await page.keyboard.type("KeeperSSO");
    await page.getByLabel("IdP URL", { exact: true }).focus();
    await page.keyboard.type("keepersecurity");
    await page.getByRole("button", { name: "Download IdP metadata" }).focus();
    const [download] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Enter")]);
    assert.equal(download.suggestedFilename(), "keepersecurity-idp-metadata.xml");
  } finally {
    await browser.close();
  }
});

test("at 360 px wide, with everything filled in and every section open, nothing scrolls sideways", async () => {
  const browser = await launch({ viewport: { width: 360, height: 780 } });
  const { page } = browser;
  try {
    await page.goto(url + "#idp-entity-id=KeeperSSO&idp-url-suffix=keepersecurity&display-label=Keeper+Security" +
      "&sp-entity-id=https%3A%2F%2Fkeepersecurity.com%2Fapi%2Frest%2Fsso%2Fsaml%2F2130303&acs-url=https%3A%2F%2Fkeepersecurity.com%2Fapi%2Frest%2Fsso%2Fsaml%2Fsso%2F2130303");
    await waitForEngine(page);
    await page.getByLabel("IdP Certificate", { exact: true }).setInputFiles(join(FIXTURES, "cert.pem"));
    await page.getByLabel("IdP Private Key", { exact: true }).setInputFiles(join(FIXTURES, "pkcs8.pem"));
    await page.getByLabel("Preset").selectOption("keeper-cloud");
    await page.getByText("Advanced: validity").click();
    await page.locator('.xml-preview[data-state="signed"]').waitFor();
    await page.getByRole("button", { name: "Generate a key pair" }).click();
    await page.getByLabel("Key size").selectOption("2048");
    await page.getByLabel("Passphrase for a stored copy").fill("a passphrase");
    await page.getByRole("button", { name: "Generate", exact: true }).click();
    await page.locator('[data-keygen="generated"]').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > 361).map((e) => `${e.tagName}.${e.className}`).slice(0, 5));
    assert.equal(overflow, 0, JSON.stringify(wide));
  } finally {
    await browser.close();
  }
});
