// The page at desk width, in headless Chromium on the single file: from 1100 px the form is on the
// left and the result (status, Download, Copy, preview) beside it, in view wherever the form is
// scrolled; below, one column, and nothing scrolls sideways at 360 px. The "In JumpCloud" guided
// list shows the page's values in the guide's order, its copy buttons copy them, and its steps tick
// as values become valid; each reason the download is off links to the field that fixes it.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DIST, ROOT, launch, singleFileUrl, waitForEngine } from "./browser.mjs";

const FIXTURES = join(ROOT, "crates/samlmeta/tests/fixtures");
const scratch = mkdtempSync(join(tmpdir(), "samlmeta-layout-"));

before(() => {
  assert.ok(existsSync(join(DIST, "samlmeta.html")), "dist/samlmeta.html is missing: run `make dist`");
});
after(() => rmSync(scratch, { recursive: true, force: true }));

async function open(width, height) {
  const browser = await launch();
  await browser.page.setViewportSize({ width, height });
  await browser.page.goto(singleFileUrl(scratch));
  await waitForEngine(browser.page);
  return browser;
}

async function fill(page) {
  await page.getByLabel("IdP Certificate", { exact: true }).setInputFiles(join(FIXTURES, "cert.pem"));
  await page.getByLabel("IdP Private Key", { exact: true }).setInputFiles(join(FIXTURES, "pkcs8.pem"));
  await page.getByLabel("SSO Connect server", { exact: true }).fill("sso.acme.example");
  await page.getByLabel("IdP Entity ID", { exact: true }).fill("KeeperSSO");
  await page.getByLabel("IdP URL", { exact: true }).fill("keepersecurity");
  await page.getByLabel("Display Label", { exact: true }).fill("Keeper Security");
  await page.locator('.xml-preview[data-state="signed"]').waitFor();
}

/** Whether the element is wholly inside the viewport. */
async function inView(page, locator) {
  const box = await locator.boundingBox();
  const { width, height } = page.viewportSize();
  return box !== null && box.y >= 0 && box.x >= 0 && box.y + box.height <= height && box.x + box.width <= width;
}

const sideways = (page) => page.evaluate(() => document.scrollingElement.scrollWidth > document.scrollingElement.clientWidth);

test("at 1280x800 the status and Download stay in view wherever the form is scrolled; no sideways scroll", async () => {
  const browser = await open(1280, 800);
  const { page } = browser;
  try {
    await fill(page);
    const status = page.locator(".result-status");
    const download = page.getByRole("button", { name: "Download IdP metadata", exact: true });
    // Two columns: the result is beside step 1, not below it.
    const step1 = await page.locator("#step-1-title").boundingBox();
    const result = await page.locator("#step-3-title").boundingBox();
    assert.ok(result.x > step1.x + 300, `the result is in the right column: ${JSON.stringify({ step1, result })}`);

    await page.locator("#step-1-title").scrollIntoViewIfNeeded();
    assert.ok(await inView(page, status), "status in view beside step 1");
    assert.ok(await inView(page, download), "Download in view beside step 1");

    await page.getByText("Advanced: validity").click();
    await page.getByLabel("Technical contact e-mail").scrollIntoViewIfNeeded();
    assert.ok((await page.evaluate(() => window.scrollY)) > 1000, "the page has scrolled down to the advanced values");
    assert.ok(await inView(page, status), "status in view beside the advanced values");
    assert.ok(await inView(page, download), "Download in view beside the advanced values");
    assert.equal(await status.getAttribute("data-state"), "signed");
    assert.equal(await sideways(page), false);
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test("below 1100 px one column; at 360 px nothing scrolls sideways", async () => {
  for (const [w, h] of [[1024, 768], [360, 740]]) {
    const browser = await open(w, h);
    const { page } = browser;
    try {
      await fill(page);
      const step1 = await page.locator("#step-1-title").boundingBox();
      const result = await page.locator("#step-3-title").boundingBox();
      assert.ok(Math.abs(result.x - step1.x) < 2 && result.y > step1.y, `${w}px: one column`);
      await page.getByText("Advanced: validity").click();
      await page.locator(".in-jumpcloud").scrollIntoViewIfNeeded();
      assert.equal(await sideways(page), false, `${w}px: nothing scrolls sideways`);
    } finally {
      await browser.close();
    }
  }
});

test("In JumpCloud: the guide's steps with the page's values, copy buttons that copy them, ticks as values become valid", async () => {
  const browser = await open(1280, 800);
  const { page, context } = browser;
  try {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    const guide = page.locator(".in-jumpcloud");
    const steps = () => guide.locator("li[data-step]").evaluateAll((els) => els.map((e) => [e.dataset.step, e.dataset.done ?? null]));
    // Nothing typed yet: the value steps are to do and their buttons off.
    let s = await steps();
    assert.deepEqual(s.map(([id]) => id), ["open", "idp-entity-id", "files", "sp-entity-id", "acs-url", "idp-url", "display-label", "sign", "attributes", "activate", "metadata", "keeper"]);
    assert.ok(s.filter(([id]) => ["idp-entity-id", "files", "sp-entity-id", "acs-url", "idp-url", "display-label", "metadata"].includes(id)).every(([, d]) => d === "false"), JSON.stringify(s));
    assert.ok(await guide.getByRole("button", { name: "Copy IdP Entity ID" }).isDisabled());

    await fill(page);
    s = Object.fromEntries(await steps());
    for (const id of ["idp-entity-id", "files", "sp-entity-id", "acs-url", "idp-url", "display-label", "metadata"]) assert.equal(s[id], "true", id);
    assert.match(await guide.locator('[data-step="files"]').innerText(), /pkcs8\.pem.*cert\.pem/s);
    assert.match(await guide.locator('[data-step="keeper"]').innerText(), /keepersecurity-idp-metadata\.xml on the Setup screen/);

    for (const [button, value] of [
      ["Copy IdP Entity ID", "KeeperSSO"],
      ["Copy SP Entity ID", "https://sso.acme.example/sso-connect"],
      ["Copy ACS URL", "https://sso.acme.example/sso-connect/saml/sso"],
      ["Copy IdP URL", "keepersecurity"],
      ["Copy Display Label", "Keeper Security"],
    ]) {
      await guide.getByRole("button", { name: button, exact: true }).click();
      await page.locator(".notice").getByText("was copied").waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), value, button);
    }

    // An invalid value untick its step; the redirect binding adds its step.
    await page.getByLabel("IdP Entity ID", { exact: true }).fill("Keeper SSO");
    await guide.locator('[data-step="idp-entity-id"][data-done="false"]').waitFor();
    await page.getByLabel("HTTP-Redirect").check();
    await guide.locator('[data-step="declare-redirect"]').waitFor();
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test("each reason the download is off links to the field that fixes it", async () => {
  const browser = await open(1280, 800);
  const { page } = browser;
  try {
    await page.getByLabel("IdP Certificate", { exact: true }).setInputFiles(join(FIXTURES, "cert.pem"));
    await page.getByLabel("IdP URL", { exact: true }).fill("keepersecurity");
    // The IdP Entity ID is empty: its reason focuses its field.
    const link = page.locator('.blockers .blocker-link[data-target="idp-entity-id"]');
    await link.click();
    assert.equal(await page.evaluate(() => document.activeElement.id), "idp-entity-id");
    // A reason in the advanced values opens them.
    await page.getByLabel("IdP Entity ID", { exact: true }).fill("KeeperSSO");
    await page.getByText("Advanced: validity").click();
    await page.getByLabel("Organization URL").fill("not a url");
    await page.getByText("Advanced: validity").click();
    await page.locator('.blockers .blocker-link[data-target="org-url"]').click();
    assert.equal(await page.evaluate(() => document.activeElement.id), "org-url");
    assert.ok(await page.locator("details.advanced").evaluate((d) => d.open));
  } finally {
    await browser.close();
  }
});
