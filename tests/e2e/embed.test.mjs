// Embedding and links: the example documentation page (examples/docs-site) served on one origin
// embeds the hosted builder from a second origin; the values from the link appear inside the frame,
// the frame follows the builder's height, and a download made inside the frame verifies with
// xmlsec1. A link with unknown or malformed parameters shows a note and changes nothing else.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { serve } from "../../scripts/serve.mjs";
import { DIST, ROOT, launch, waitForEngine } from "./browser.mjs";

const FIXTURES = join(ROOT, "crates/samlmeta/tests/fixtures");
const scratch = mkdtempSync(join(tmpdir(), "samlmeta-embed-"));

before(() => {
  assert.ok(existsSync(join(DIST, "index.html")), "dist/ is missing: run `make dist`");
});
after(() => rmSync(scratch, { recursive: true, force: true }));

test("the example docs page embeds the builder from another origin, prefilled; a download from the frame verifies", async () => {
  const builder = await serve(DIST, 0);
  // The builder on "localhost", the docs page on "127.0.0.1": two origins.
  const builderUrl = builder.url.replace("127.0.0.1", "localhost");
  const site = mkdtempSync(join(scratch, "site-"));
  const example = readFileSync(join(ROOT, "examples/docs-site/index.html"), "utf8");
  assert.ok(example.includes("https://samlmeta.example.com/"), "the example names where the builder lives");
  writeFileSync(join(site, "index.html"), example.replaceAll("https://samlmeta.example.com/", builderUrl));
  const docs = await serve(site, 0);

  const browser = await launch();
  const { page } = browser;
  try {
    await page.goto(docs.url);
    const frameElement = page.locator("iframe#samlmeta");
    const frame = page.frameLocator("iframe#samlmeta");
    await frame.locator('[data-engine="ready"]').waitFor({ timeout: 30_000 });

    // The link's values, inside the frame.
    assert.equal(await frame.getByLabel("IdP Entity ID", { exact: true }).inputValue(), "KeeperSSO");
    assert.equal(await frame.getByLabel("IdP URL", { exact: true }).inputValue(), "keepersecurity");
    assert.equal(await frame.getByLabel("Display Label", { exact: true }).inputValue(), "Keeper Security");
    assert.equal(
      await frame.getByLabel("ACS URL", { exact: true }).inputValue(),
      "https://keepersecurity.com/api/rest/sso/saml/sso/2130303",
    );
    assert.equal(
      await frame.getByLabel("SP Entity ID", { exact: true }).inputValue(),
      "https://keepersecurity.com/api/rest/sso/saml/2130303",
    );
    await frame.getByText("filled in from the link").waitFor();
    assert.equal(await frame.locator('[data-note="link"]').count(), 0, "no parameter was ignored");

    // The frame takes the builder's height (posted because of embed=1).
    await page.waitForFunction(() => parseInt(document.getElementById("samlmeta").style.height, 10) > 900);

    await frame.getByLabel("IdP Certificate", { exact: true }).setInputFiles(join(FIXTURES, "cert.pem"));
    await frame.getByLabel("IdP Private Key", { exact: true }).setInputFiles(join(FIXTURES, "pkcs8.pem"));
    await frame.locator('.xml-preview[data-state="signed"]').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      frame.getByRole("button", { name: "Download IdP metadata" }).click(),
    ]);
    assert.equal(download.suggestedFilename(), "keepersecurity-idp-metadata.xml");
    const path = join(scratch, "embedded.xml");
    await download.saveAs(path);
    execFileSync("xmlsec1", ["--verify", "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor",
      "--trusted-pem", join(FIXTURES, "cert.pem"), path], { stdio: "pipe" });

    // The docs page cannot reach into the builder: another origin.
    const reach = await frameElement.evaluate((f) => {
      try {
        return String(f.contentWindow.document.title);
      } catch (e) {
        return e.name;
      }
    });
    assert.equal(reach, "SecurityError");

    const builderOrigin = new URL(builderUrl).origin;
    for (const url of browser.requests) {
      const ok = url.startsWith(docs.url) || url.startsWith(builderOrigin) || url.startsWith(`blob:${builderOrigin}`);
      assert.ok(ok, `unexpected request ${url}`);
    }
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
    await docs.close();
    await builder.close();
  }
});

test("a link with unknown or malformed parameters shows a note and changes nothing else", async () => {
  const browser = await launch();
  const { page } = browser;
  try {
    const url = pathToFileURL(join(DIST, "samlmeta.html")).href +
      "#idp-entity-id=KeeperSSO&colour=blue&acs-url=%E0%A4%A&private-key=MIIEvQ&display-label=Keeper";
    await page.goto(url);
    await waitForEngine(page);
    assert.equal(await page.getByLabel("IdP Entity ID", { exact: true }).inputValue(), "KeeperSSO");
    assert.equal(await page.getByLabel("Display Label", { exact: true }).inputValue(), "Keeper");
    // Nothing else changed.
    assert.equal(await page.getByLabel("ACS URL", { exact: true }).inputValue(), "");
    assert.equal(await page.getByLabel("SP Entity ID", { exact: true }).inputValue(), "");
    assert.equal(await page.getByLabel("IdP URL", { exact: true }).inputValue(), "");
    assert.equal(await page.locator('[data-key="loaded"]').count(), 0);
    const notes = await page.locator('[data-note="link"]').allInnerTexts();
    assert.equal(notes.length, 3, JSON.stringify(notes));
    assert.ok(notes.some((n) => n.includes("colour") && n.includes("no such setting")));
    assert.ok(notes.some((n) => n.includes("not properly encoded")));
    assert.ok(notes.some((n) => n.includes("never taken from a URL")));
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});
