// Trunk post_build hook: turns Trunk's output into the two things we ship.
//
//   dist/index.html     the hosted site: the wasm and the stylesheet are separate files, checked
//                       with Subresource Integrity; a CSP <meta> allows the wasm fetch ('self').
//   dist/samlmeta.html  one self-contained file for offline use: JS, wasm (LZMA, base64), CSS and icon
//                       inline; it works from file:// and its CSP forbids every request.
//
// Both pages boot the same way. Trunk's loader (an inline module importing the wasm-bindgen glue by
// URL) is replaced by one classic inline script, id="samlmeta-boot": the wasm-bindgen glue (built
// with --target no-modules) followed by a small loader. From file:// a script can't be imported by
// URL, a worker can't be started by URL, and a *module* worker can't be started even from a blob:
// URL (opaque origin); a classic blob: worker can. So the page starts its background worker from a
// blob: URL made of this same script's text and hands it the compiled WebAssembly.Module
// (src/engine.rs). Scripts and styles are allowed by their sha256 hash, computed here, because the
// glue changes with every build.
//
// Runs with the working directory at the repository root; Trunk sets TRUNK_STAGING_DIR.
// Plain Node (>= 18), no npm dependencies; xz (Debian's xz-utils) compresses the single file's wasm,
// and cargo and wasm-opt (from PATH, as for Trunk) build the LZMA decoder that unpacks it.

import { createHash } from "node:crypto";
import { readFileSync, writeFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

const stage = process.env.TRUNK_STAGING_DIR;
if (!stage) {
  fail("TRUNK_STAGING_DIR is not set: run this through `trunk build`, not by hand.");
}

const files = readdirSync(stage);
const one = (re, what) => {
  const found = files.filter((f) => re.test(f));
  if (found.length !== 1) fail(`expected one ${what} in ${stage}, found ${JSON.stringify(found)}`);
  return found[0];
};
const glueFile = one(/^samlmeta-web-[0-9a-f]+\.js$/, "wasm-bindgen glue (samlmeta-web-*.js)");
const wasmFile = one(/^samlmeta-web-[0-9a-f]+_bg\.wasm$/, "wasm module (samlmeta-web-*_bg.wasm)");
const cssFile = one(/^style-[0-9a-f]+\.css$/, "stylesheet (style-*.css)");
const iconFile = one(/^icon-[0-9a-f]+\.svg$/, "icon (icon-*.svg)");

const read = (f) => readFileSync(join(stage, f));
const glue = read(glueFile).toString("utf8");
const wasm = read(wasmFile);
const css = read(cssFile).toString("utf8");
const icon = read(iconFile);
const trunkHtml = read("index.html").toString("utf8");

if (!glue.startsWith("let wasm_bindgen = (function") || !/function initSync\(/.test(glue)) {
  fail(
    "the wasm-bindgen glue is not the no-modules kind this loader expects " +
      '(index.html: data-bindgen-target="no-modules"; wasm_bindgen and wasm_bindgen.initSync)',
  );
}

// Trunk's loader: the inline module that imports the glue, and the preload links.
const trunkLoader = /<script type="module">[\s\S]*?TrunkApplicationStarted[\s\S]*?<\/script>\s*/;
const preloads = /<link rel="(?:modulepreload|preload)"[^>]*>/g;
if (!trunkLoader.test(trunkHtml)) fail("Trunk's loader script was not found in index.html");
const shell = trunkHtml.replace(trunkLoader, "").replace(preloads, "").replace(/\n\s*\n(\s*<\/head>)/, "\n$1");

const sha = (alg, data) => createHash(alg).update(data).digest("base64");
const cspHash = (text) => `'sha256-${sha("sha256", Buffer.from(text, "utf8"))}'`;

// The loader that follows the glue. In a worker (no document) it waits for the page to post the
// compiled module; on the page it gets the wasm bytes (`wasmBytes`, defined per build), compiles
// them and starts the app. Failures are shown in the page instead of a blank screen. It runs at the
// end of <body>, so the app's root element exists.
const loader = (wasmBytes) => `
// samlmeta boot loader (scripts/postbuild.mjs)
if (typeof document === "undefined") {
  self.onmessage = (event) => {
    self.onmessage = null;
    wasm_bindgen.initSync({ module: event.data });
  };
} else {
  const startFailed = (error) => {
    const root = document.getElementById("samlmeta");
    if (root) {
      const p = document.createElement("p");
      p.className = "panic-banner";
      p.setAttribute("role", "alert");
      p.textContent = "samlmeta could not start in this browser: " + error +
        ". It needs a current browser with WebAssembly (Chrome, Edge, Firefox or Safari from 2023 or later).";
      root.replaceChildren(p);
    }
    console.error(error);
  };
  // Start-up phases as performance marks (samlmeta:*), read by tests/bench/startup.mjs.
  const mark = (name) => performance.mark("samlmeta:" + name);
  (async () => {
    mark("boot");
    ${wasmBytes}
    mark("bytes");
    const module = await WebAssembly.compile(bytes);
    mark("compiled");
    await wasm_bindgen({ module_or_path: module });
    mark("started");
  })().catch(startFailed);
}
`;

const hostedBytes = `const response = await fetch(new URL(${JSON.stringify("./" + wasmFile)}, document.baseURI), {
      integrity: ${JSON.stringify("sha384-" + sha("sha384", wasm))},
    });
    if (!response.ok) throw new Error("the WebAssembly file answered HTTP " + response.status);
    const bytes = await response.arrayBuffer();`;

// The single file carries the wasm LZMA-compressed (`xz --format=lzma -9e`), then base64: file://
// is never compressed in transit, and LZMA makes the wasm about a fifth smaller than gzip does.
// Our own small decoder inflates it (browsers' DecompressionStream knows only gzip and deflate):
// crates/samlmeta-unlzma built for wasm32, its bytes inlined into scripts/lzma.js.
const lzmaDecoder = (() => {
  const built = spawnSync(
    "cargo",
    ["build", "--locked", "--release", "-p", "samlmeta-unlzma", "--target", "wasm32-unknown-unknown"],
    { stdio: ["ignore", "inherit", "inherit"] },
  );
  if (built.error || built.status !== 0) fail(`building crates/samlmeta-unlzma failed: ${built.error ?? built.status}`);
  const targetDir = process.env.CARGO_TARGET_DIR || "target";
  const raw = join(targetDir, "wasm32-unknown-unknown", "release", "samlmeta_unlzma.wasm");
  const optimized = join(targetDir, "samlmeta_unlzma.opt.wasm");
  const opt = spawnSync("wasm-opt", ["-O3", "--strip-debug", "--strip-producers", raw, "-o", optimized], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (opt.error || opt.status !== 0) fail(`wasm-opt on ${raw} failed: ${opt.error ?? opt.status}`);
  const code = readFileSync(optimized).toString("base64");
  const js = readFileSync(new URL("./lzma.js", import.meta.url), "utf8");
  if (!js.includes('"@UNLZMA_WASM@"')) fail("scripts/lzma.js has no @UNLZMA_WASM@ placeholder");
  return js.replace('"@UNLZMA_WASM@"', () => JSON.stringify(code));
})();
const singleBytes = `const data = document.getElementById("samlmeta-wasm");
    const text = data.textContent.trim();
    data.remove();
    const packed = typeof Uint8Array.fromBase64 === "function"
      ? Uint8Array.fromBase64(text)
      : Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
    mark("base64");
    const bytes = await lzmaDecode(packed);`;

function lzma(bytes) {
  const result = spawnSync("xz", ["--format=lzma", "-9e", "--stdout", "--threads=1"], {
    input: bytes,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error || result.status !== 0) {
    fail(`xz --format=lzma failed (scripts/setup.sh installs xz-utils): ${result.error ?? result.stderr}`);
  }
  return result.stdout;
}

const bootScript = (body) => {
  // Inline script text ends at the first "</script"; "<!--" changes how it is parsed.
  for (const bad of ["</script", "<!--"]) {
    if (body.toLowerCase().includes(bad)) fail(`the boot script contains ${bad}; it cannot be inlined`);
  }
  return body;
};

const csp = (directives) =>
  `<meta http-equiv="Content-Security-Policy" content="${directives.join("; ")}">`;

// The policy goes right after <meta charset>, before any script or style; the scripts go at the
// end of <body>.
const assemble = (html, cspMeta, bodyEnd) => {
  const charset = /<meta charset="utf-8">/i;
  if (!charset.test(html)) fail('index.html must start its <head> with <meta charset="utf-8">');
  if (!html.includes("</body>")) fail("index.html has no </body>");
  return html
    .replace(charset, (m) => `${m}\n    ${cspMeta}`)
    .replace("</body>", () => `${bodyEnd}\n  </body>`);
};

// ---- dist/index.html: the hosted site ----------------------------------------------------------
{
  const boot = bootScript(glue + loader(hostedBytes));
  const policy = csp([
    "default-src 'none'",
    `script-src ${cspHash(boot)} 'wasm-unsafe-eval'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "worker-src blob:",
    "form-action 'none'",
    "base-uri 'none'",
  ]);
  const html = assemble(shell, policy, `    <script id="samlmeta-boot">${boot}</script>`);
  writeFileSync(join(stage, "index.html"), html);
  // The glue is inlined in the boot script; the separate file would only be dead weight.
  rmSync(join(stage, glueFile));
}

// ---- dist/samlmeta.html: one file, offline ----------------------------------------------------
{
  const boot = bootScript(glue + "\n" + lzmaDecoder + loader(singleBytes));
  const style = css;
  const policy = csp([
    "default-src 'none'",
    `script-src ${cspHash(boot)} 'wasm-unsafe-eval'`,
    `style-src ${cspHash(style)}`,
    "img-src data:",
    "connect-src 'none'",
    "worker-src blob:",
    "form-action 'none'",
    "base-uri 'none'",
  ]);
  let html = shell;
  const cssLink = new RegExp(`<link rel="stylesheet" href="\\./${cssFile}"[^>]*>`);
  const iconLink = new RegExp(`<link rel="icon" href="\\./${iconFile}"[^>]*>`);
  if (!cssLink.test(html) || !iconLink.test(html)) fail("the stylesheet or icon link was not found in index.html");
  html = html
    .replace(cssLink, () => `<style>${style}</style>`)
    .replace(iconLink, () => `<link rel="icon" href="data:image/svg+xml;base64,${icon.toString("base64")}">`);
  html = assemble(
    html,
    policy,
    `    <script type="application/octet-stream" id="samlmeta-wasm" data-encoding="lzma">` +
      `${lzma(wasm).toString("base64")}</script>\n` +
      `    <script id="samlmeta-boot">${boot}</script>`,
  );
  if (/\s(?:src|href)="(?!data:)[^"#]/.test(html)) fail("samlmeta.html still refers to another file");
  writeFileSync(join(stage, "samlmeta.html"), html);
  const digest = createHash("sha256").update(html).digest("hex");
  console.log(`samlmeta.html: ${Buffer.byteLength(html)} bytes, sha256 ${digest}`);
}

function fail(message) {
  console.error(`postbuild: ${message}`);
  process.exit(1);
}
