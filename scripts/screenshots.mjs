// Writes the README's screenshots (docs/screenshots/*.png) from the release build, in headless
// Chromium: the builder filled in with the test fixtures, light and dark themes, and at 360 px.
// `make screenshots` (after `make dist`).

import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DIST, ROOT, launch, waitForEngine } from "../tests/e2e/browser.mjs";

const FIXTURES = join(ROOT, "crates/samlmeta/tests/fixtures");
const OUT = join(ROOT, "docs/screenshots");

async function shoot(name, { colorScheme, width, height, scrollTo }) {
  const browser = await launch({ colorScheme, viewport: { width, height } });
  const { page } = browser;
  try {
    await page.goto(pathToFileURL(join(DIST, "samlmeta.html")).href + "#preset=keeper&sso-connect-server=sso.example.com&idp-entity-id=KeeperSSO&idp-url-suffix=keepersecurity&display-label=Keeper+Security");
    await waitForEngine(page);
    await page.getByLabel("IdP Certificate", { exact: true }).setInputFiles(join(FIXTURES, "cert.pem"));
    await page.getByLabel("IdP Private Key", { exact: true }).setInputFiles(join(FIXTURES, "pkcs8.pem"));
    await page.locator('.xml-preview[data-state="signed"]').waitFor();
    if (scrollTo) await page.locator(scrollTo).evaluate((el) => el.scrollIntoView());
    await page.screenshot({ path: join(OUT, name) });
    console.log(`wrote docs/screenshots/${name}`);
  } finally {
    await browser.close();
  }
}

await shoot("light.png", { colorScheme: "light", width: 1100, height: 900 });
await shoot("dark.png", { colorScheme: "dark", width: 1100, height: 900, scrollTo: "#step-3-title" });
await shoot("360px.png", { colorScheme: "light", width: 360, height: 780, scrollTo: "#step-2-title" });
