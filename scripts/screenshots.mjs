// Writes the README's screenshots (docs/screenshots/*.png) from the release build, in headless
// Chromium: the builder filled in with the test fixtures at desk width (two columns) in the light
// and dark themes, at 360 px, a key pair made in the page, and the Check view with IdP metadata
// and the rollover helper. `make screenshots` (after `make dist`).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DIST, ROOT, launch, waitForEngine } from "../tests/e2e/browser.mjs";

const FIXTURES = join(ROOT, "crates/samlmeta/tests/fixtures");
const OUT = join(ROOT, "docs/screenshots");
const PAGE = pathToFileURL(join(DIST, "samlmeta.html")).href;
const VALUES = "preset=keeper&sso-connect-server=sso.example.com&idp-entity-id=KeeperSSO&idp-url-suffix=keepersecurity&display-label=Keeper+Security";

async function shoot(name, { colorScheme = "light", width = 1280, height = 800, fragment = VALUES, prepare }) {
  const browser = await launch({ colorScheme, viewport: { width, height } });
  const { page } = browser;
  try {
    await page.goto(`${PAGE}#${fragment}`);
    await waitForEngine(page);
    await prepare(page);
    await page.screenshot({ path: join(OUT, name) });
    console.log(`wrote docs/screenshots/${name}`);
  } finally {
    await browser.close();
  }
}

async function loadPair(page) {
  await page.getByLabel("IdP Certificate", { exact: true }).setInputFiles(join(FIXTURES, "cert.pem"));
  await page.getByLabel("IdP Private Key", { exact: true }).setInputFiles(join(FIXTURES, "pkcs8.pem"));
  await page.locator('.xml-preview[data-state="signed"]').waitFor();
}

const scrollTo = (selector) => async (page) => page.locator(selector).evaluate((el) => el.scrollIntoView());

await shoot("light.png", { prepare: loadPair });
await shoot("dark.png", {
  colorScheme: "dark",
  prepare: async (page) => {
    await loadPair(page);
    await scrollTo(".in-jumpcloud")(page);
  },
});
await shoot("360px.png", {
  width: 360,
  height: 780,
  prepare: async (page) => {
    await loadPair(page);
    await scrollTo("#step-2-title")(page);
  },
});
await shoot("keygen.png", {
  fragment: "preset=keeper&idp-entity-id=https%3A%2F%2Fidp.acme.example%2Fsaml&idp-url-suffix=keepersecurity",
  prepare: async (page) => {
    await page.getByRole("button", { name: "Generate a key pair" }).click();
    await page.getByLabel("Key size").selectOption("2048");
    await page.getByRole("button", { name: "Generate", exact: true }).click();
    await page.locator('[data-keygen="generated"]').waitFor({ timeout: 60_000 });
    await scrollTo("#step-1-title")(page);
  },
});
await shoot("check.png", {
  fragment: "check",
  prepare: async (page) => {
    const der = readFileSync(join(FIXTURES, "cert.der")).toString("base64");
    await page.getByLabel("Text to check", { exact: true }).fill(
      `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="KeeperSSO"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${der}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sso.jumpcloud.com/saml2/keepersecurity"/></md:IDPSSODescriptor></md:EntityDescriptor>`,
    );
    await page.getByLabel("New certificate", { exact: true }).setInputFiles(join(FIXTURES, "other.cert.pem"));
    await page.locator(".rollover-plan li[data-step]").first().waitFor();
    await scrollTo(".rollover-helper")(page);
  },
});
