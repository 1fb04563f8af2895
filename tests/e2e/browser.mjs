// Shared helpers for the end-to-end tests: Debian's Chromium driven by playwright-core (no
// browser download), a fresh profile per launch, and a record of every request and error.

import { chromium } from "playwright-core";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

// Not import.meta.dirname: Debian 12's Node 18 does not have it.
export const ROOT = resolve(fileURLToPath(new URL(".", import.meta.url)), "..", "..");
export const DIST = join(ROOT, "dist");

/** The version in the workspace's Cargo.toml: what the page's footer must show. */
export const VERSION = /\[workspace\.package\][^[]*?version = "([^"]+)"/.exec(
  readFileSync(join(ROOT, "Cargo.toml"), "utf8"),
)[1];

const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

/**
 * Starts headless Chromium with a fresh profile.
 * @returns {Promise<{ context, page, requests: string[], errors: string[], close }>}
 *   `requests`: every URL the page or its workers asked for; `errors`: console errors and
 *   uncaught exceptions (CSP violations are console errors).
 */
export async function launch({ colorScheme = "light", viewport = { width: 1280, height: 800 } } = {}) {
  const profile = mkdtempSync(join(tmpdir(), "samlmeta-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: FLAGS,
    colorScheme,
    viewport,
    acceptDownloads: true,
  });
  const requests = [];
  const errors = [];
  context.on("request", (r) => requests.push(r.url()));
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  return {
    context,
    page,
    requests,
    errors,
    close: async () => {
      // Every test that ran with the key worker checks that the page's own wasm signed and
      // unlocked nothing: the keys were in the worker (see docs/keys.md).
      const ops = await keyOps(page).catch(() => null);
      await context.close();
      rmSync(profile, { recursive: true, force: true });
      if (ops && ops.keys === "worker" && (ops.pageSigned !== "0" || ops.pageUnlocked !== "0")) {
        throw new Error(`the page itself signed ${ops.pageSigned} and unlocked ${ops.pageUnlocked} times while the key worker was up`);
      }
    },
  };
}

/**
 * Where the page's private keys are and what its own wasm did with them: `keys` is the footer's
 * `data-keys` ("worker" or "page"), `pageSigned`/`pageUnlocked` the page ring's counts, `held`
 * how many keys the key worker last said it holds (undefined before it has said).
 */
export async function keyOps(page) {
  return page.evaluate(() => ({
    keys: document.querySelector("[data-keys]")?.dataset.keys,
    pageSigned: document.documentElement.dataset.pageSigned,
    pageUnlocked: document.documentElement.dataset.pageUnlocked,
    held: document.documentElement.dataset.keyWorkerHolds,
  }));
}

/** Waits until the page's engine has answered: the self-test and the worker round trip. */
export async function waitForEngine(page) {
  await page.locator('[data-engine="ready"]').waitFor({ timeout: 30_000 });
  await page.locator('[data-worker]:not([data-worker="starting"])').waitFor({ timeout: 30_000 });
}

/** The page's Content-Security-Policy <meta>, as a map of directive to value. */
export async function cspOf(page) {
  const content = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content");
  return Object.fromEntries(
    content.split(";").map((d) => {
      const [name, ...value] = d.trim().split(/\s+/);
      return [name, value.join(" ")];
    }),
  );
}

/** The single file, copied alone into a new folder under `scratch`, as a file:// URL. */
export function singleFileUrl(scratch) {
  const dir = mkdtempSync(join(scratch, "single-"));
  const file = join(dir, "samlmeta.html");
  copyFileSync(join(DIST, "samlmeta.html"), file);
  return pathToFileURL(file).href;
}

/** What the page stored: local and session storage, cookies, IndexedDB databases. */
export async function storageOf(page) {
  return page.evaluate(async () => ({
    local: localStorage.length,
    session: sessionStorage.length,
    cookies: document.cookie,
    indexedDB: (await indexedDB.databases()).length,
  }));
}

/** What `storageOf` returns for a page that stored nothing. */
export const EMPTY_STORAGE = { local: 0, session: 0, cookies: "", indexedDB: 0 };

/** Pastes `text` into a slot's paste area, as Ctrl+V does (a paste event carrying clipboard data). */
export async function paste(page, what, text) {
  const target = page.getByLabel(`Paste PEM text for ${what}`);
  await target.focus();
  await target.evaluate((el, t) => {
    const clipboardData = new DataTransfer();
    clipboardData.setData("text/plain", t);
    el.dispatchEvent(new ClipboardEvent("paste", { clipboardData, bubbles: true, cancelable: true }));
  }, text);
}
