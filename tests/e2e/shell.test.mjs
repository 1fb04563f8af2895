// The release build in headless Chromium: the hosted site over http://127.0.0.1 and the single
// file over file://. Run `make dist` first (`make test` does).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { serve } from "../../scripts/serve.mjs";
import { DIST, VERSION, cspOf, launch, waitForEngine } from "./browser.mjs";

const STEP_TITLES = ["1Certificate and key", "2Connector values", "3Metadata", "4Set up the connector"];
const scratch = mkdtempSync(join(tmpdir(), "samlmeta-e2e-"));

before(() => {
  assert.ok(existsSync(join(DIST, "samlmeta.html")), "dist/samlmeta.html is missing: run `make dist`");
});
after(() => rmSync(scratch, { recursive: true, force: true }));

async function assertShell(page) {
  await waitForEngine(page);
  assert.equal(await page.locator("h1").innerText(), "samlmeta");
  const titles = await page.locator("main.steps section.step h2").allTextContents();
  assert.deepEqual(titles, STEP_TITLES);
  assert.equal(await page.locator(".version").innerText(), `samlmeta ${VERSION}`);
  assert.equal(await page.locator("[data-engine]").innerText(), "Self-test passed");
  assert.equal(await page.locator("[data-worker]").innerText(), "Background worker ready");
  assert.equal(await page.locator("[style]").count(), 0, "no inline style attributes (the CSP forbids them)");
  assert.equal(await page.locator(".loading").count(), 0, "the loading text is replaced");
}

test("hosted build over http: the shell renders, the wasm and the worker answer, assets carry SRI", async () => {
  const server = await serve(DIST, 0);
  const browser = await launch();
  try {
    await browser.page.goto(server.url);
    await assertShell(browser.page);

    const csp = await cspOf(browser.page);
    assert.equal(csp["default-src"], "'none'");
    assert.match(csp["script-src"], /^'sha256-[A-Za-z0-9+/]{43}=' 'wasm-unsafe-eval'$/);
    assert.equal(csp["connect-src"], "'self'");
    assert.equal(csp["worker-src"], "blob:");
    assert.equal(csp["form-action"], "'none'");
    assert.equal(csp["base-uri"], "'none'");

    const sri = await browser.page.getAttribute('link[rel="stylesheet"]', "integrity");
    assert.match(sri, /^sha384-/);
    const boot = await browser.page.locator("#samlmeta-boot").textContent();
    assert.match(boot, /integrity: "sha384-[A-Za-z0-9+/]{64}"/, "the wasm fetch carries its SRI hash");

    // Only the page's own origin and its own blob: worker; the wasm fetched exactly once.
    for (const url of browser.requests) {
      assert.ok(url.startsWith(server.url) || url.startsWith(`blob:${server.url}`), `unexpected request ${url}`);
    }
    assert.equal(browser.requests.filter((u) => u.endsWith(".wasm")).length, 1);
    assert.equal(browser.requests.filter((u) => u.startsWith("blob:")).length, 1, "one worker");
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});

test("single file over file://: works alone and makes no request beyond itself", async () => {
  // Alone in an empty folder: nothing beside it could be loaded even by mistake.
  const dir = mkdtempSync(join(scratch, "single-"));
  const file = join(dir, "samlmeta.html");
  copyFileSync(join(DIST, "samlmeta.html"), file);
  const fileUrl = pathToFileURL(file).href;

  const browser = await launch();
  try {
    await browser.page.goto(fileUrl);
    await assertShell(browser.page);

    const csp = await cspOf(browser.page);
    assert.deepEqual(Object.keys(csp).sort(), [
      "base-uri", "connect-src", "default-src", "form-action", "img-src", "script-src", "style-src", "worker-src",
    ]);
    assert.equal(csp["default-src"], "'none'");
    assert.match(csp["script-src"], /^'sha256-[A-Za-z0-9+/]{43}=' 'wasm-unsafe-eval'$/);
    assert.match(csp["style-src"], /^'sha256-[A-Za-z0-9+/]{43}='$/);
    assert.equal(csp["img-src"], "data:");
    assert.equal(csp["connect-src"], "'none'");
    assert.equal(csp["worker-src"], "blob:");
    assert.equal(csp["form-action"], "'none'");
    assert.equal(csp["base-uri"], "'none'");

    // Exactly one request: the file itself. The worker's blob: URL is the page's own memory.
    const network = browser.requests.filter((u) => !u.startsWith("blob:null/"));
    assert.deepEqual(network, [fileUrl]);
    assert.equal(browser.requests.length - network.length, 1, "one blob: worker");
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test("a slow worker does not hold the page back: it renders without it, then shows it ready", async () => {
  // The page waits for the worker's round trip before its first render, 200 ms at most. Here the
  // probe reaches the worker 5 s late: the page must render meanwhile with the worker starting.
  const SLOW_WORKER = `(() => {
    const Real = window.Worker;
    window.Worker = class extends Real {
      postMessage(message, ...rest) {
        if (message instanceof Uint8Array) setTimeout(() => super.postMessage(message, ...rest), 5000);
        else super.postMessage(message, ...rest);
      }
    };
  })();`;
  const browser = await launch();
  try {
    await browser.page.addInitScript(SLOW_WORKER);
    await browser.page.goto(pathToFileURL(join(DIST, "samlmeta.html")).href);
    await browser.page.locator('[data-engine="ready"]').waitFor({ timeout: 30_000 });
    assert.equal(await browser.page.getAttribute("[data-worker]", "data-worker"), "starting");
    assert.equal(await browser.page.locator("main.steps section.step").count(), STEP_TITLES.length);
    await browser.page.locator('[data-worker="ready"]').waitFor({ timeout: 30_000 });
    assert.equal(await browser.page.locator("[data-worker]").innerText(), "Background worker ready");
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test("single file: where synchronous wasm compiles are refused (older Chrome), it still starts", async () => {
  // Such browsers throw a RangeError for a synchronous compile of more than 4 KB on the main
  // thread; the LZMA decoder is then compiled asynchronously.
  const REFUSE_SYNC_COMPILE = `WebAssembly.Module = new Proxy(WebAssembly.Module, {
    construct() {
      self.samlmetaSyncRefused = (self.samlmetaSyncRefused || 0) + 1;
      throw new RangeError("WebAssembly.Compile is disallowed on the main thread, if the buffer size is larger than 4KB.");
    },
  });`;
  const browser = await launch();
  try {
    await browser.page.addInitScript(REFUSE_SYNC_COMPILE);
    await browser.page.goto(pathToFileURL(join(DIST, "samlmeta.html")).href);
    await assertShell(browser.page);
    assert.equal(await browser.page.evaluate(() => self.samlmetaSyncRefused), 1, "the decoder tried the synchronous compile first");
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test("single file: its CSP blocks every way out (fetch, image, WebSocket, beacon)", async () => {
  const listener = await serve(scratch, 0); // records anything that reaches it
  const browser = await launch();
  try {
    await browser.page.goto(pathToFileURL(join(DIST, "samlmeta.html")).href);
    await waitForEngine(browser.page);
    const outcome = await browser.page.evaluate(async (target) => {
      const results = {};
      results.fetch = await fetch(target + "fetch").then(() => "sent", () => "blocked");
      // sendBeacon only queues (it returns true even when the CSP then blocks the send): the
      // listener's empty log below is what shows it never left.
      navigator.sendBeacon(target + "beacon", "x");
      const img = new Image();
      results.image = await new Promise((r) => {
        img.onload = () => r("loaded");
        img.onerror = () => r("blocked");
        img.src = target + "image.png";
      });
      const ws = await new Promise((r) => {
        try {
          const s = new WebSocket(target.replace("http", "ws") + "ws");
          s.onopen = () => r("open");
          s.onerror = () => r("blocked");
        } catch {
          r("blocked");
        }
      });
      results.websocket = ws;
      return results;
    }, listener.url);
    assert.deepEqual(outcome, { fetch: "blocked", image: "blocked", websocket: "blocked" });
    await browser.page.waitForTimeout(500);
    assert.deepEqual(listener.requests, [], "nothing reached the local listener");
  } finally {
    await browser.close();
    await listener.close();
  }
});

test("hosted build: a tampered wasm file is refused by Subresource Integrity, with a visible message", async () => {
  const dir = mkdtempSync(join(scratch, "tampered-"));
  cpSync(DIST, dir, { recursive: true });
  const wasmFile = readdirSync(dir).find((f) => f.endsWith(".wasm"));
  const bytes = readFileSync(join(dir, wasmFile));
  bytes[bytes.length - 1] ^= 0x01;
  writeFileSync(join(dir, wasmFile), bytes);

  const server = await serve(dir, 0);
  const browser = await launch();
  try {
    await browser.page.goto(server.url);
    const banner = browser.page.locator('[role="alert"]');
    await banner.waitFor({ timeout: 15_000 });
    assert.match(await banner.innerText(), /samlmeta could not start in this browser/);
    assert.equal(await browser.page.locator("[data-engine]").count(), 0, "the app did not start");
  } finally {
    await browser.close();
    await server.close();
  }
});

test("light and dark themes follow the system setting; usable at 360 px wide", async () => {
  const file = pathToFileURL(join(DIST, "samlmeta.html")).href;
  const background = async (colorScheme, viewport) => {
    const browser = await launch({ colorScheme, viewport });
    try {
      await browser.page.goto(file);
      await waitForEngine(browser.page);
      return await browser.page.evaluate(() => ({
        bg: getComputedStyle(document.documentElement).backgroundColor,
        fg: getComputedStyle(document.documentElement).color,
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      }));
    } finally {
      await browser.close();
    }
  };
  const light = await background("light");
  const dark = await background("dark");
  assert.equal(light.bg, "rgb(246, 247, 249)");
  assert.equal(dark.bg, "rgb(15, 18, 22)");
  assert.notEqual(light.fg, dark.fg);
  const narrow = await background("light", { width: 360, height: 740 });
  assert.equal(narrow.overflow, 0, "no horizontal scrolling at 360 px");
});
