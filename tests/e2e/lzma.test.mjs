// The decoder the single file uses for its embedded wasm (scripts/lzma.js around
// crates/samlmeta-unlzma, exactly as dist/samlmeta.html carries it), against the real xz: every
// input and every setting round-trips, and damaged data throws instead of hanging or returning
// garbage.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import { DIST, ROOT } from "./browser.mjs";

// The decoder module's bytes as built into the shipped file.
const shipped = readFileSync(join(DIST, "samlmeta.html"), "utf8").match(/const UNLZMA_WASM = ("[A-Za-z0-9+/=]+");/);
assert.ok(shipped, "dist/samlmeta.html carries the LZMA decoder module");
const source = readFileSync(join(ROOT, "scripts/lzma.js"), "utf8").replace('"@UNLZMA_WASM@"', () => shipped[1]);
const load = (webAssembly) =>
  runInNewContext(`${source}; lzmaDecode`, { Uint8Array, Error, RangeError, Math, WebAssembly: webAssembly, atob });
const lzmaDecode = load(WebAssembly);

function xz(bytes, args) {
  const r = spawnSync("xz", ["--format=lzma", "--stdout", ...args], { input: bytes, maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, String(r.stderr));
  return new Uint8Array(r.stdout);
}

const text = Buffer.from(readFileSync(join(ROOT, "README.md"), "utf8").repeat(3));
const inputs = {
  empty: Buffer.alloc(0),
  "one byte": Buffer.from([42]),
  zeros: Buffer.alloc(300_000),
  random: randomBytes(200_000),
  "README x3": text,
  "mixed": Buffer.concat([randomBytes(5000), text, Buffer.alloc(70_000, 7), randomBytes(100)]),
};
const wasm = readdirSync(DIST).find((f) => f.endsWith(".wasm"));
if (wasm) inputs["the page's wasm"] = readFileSync(join(DIST, wasm));

test("round trips through xz at several presets and lc/lp/pb settings", async () => {
  const settings = [["-9e"], ["-0"], ["-6"], ["--lzma1=preset=6,lc=0,lp=2,pb=0"], ["--lzma1=preset=6,lc=4,lp=0,pb=4"], ["--lzma1=preset=1,lc=1,lp=1,pb=1,mf=hc4"]];
  for (const [name, input] of Object.entries(inputs)) {
    for (const args of settings) {
      const packed = xz(input, args);
      const out = await lzmaDecode(packed);
      assert.equal(out.length, input.length, `${name} ${args}`);
      assert.ok(Buffer.from(out).equals(input), `${name} ${args}`);
    }
  }
});

test("a header with the size given (no end marker) decodes too", async () => {
  const input = inputs["mixed"];
  const packed = xz(input, ["-6"]);
  // xz writes "size unknown" and an end marker when reading a pipe; write the size in instead.
  const sized = new Uint8Array(packed);
  new DataView(sized.buffer).setBigUint64(5, BigInt(input.length), true);
  assert.ok(Buffer.from(await lzmaDecode(sized)).equals(input));
});

test("damaged or truncated data throws", async () => {
  const input = inputs["README x3"];
  const packed = xz(input, ["-9e"]);
  await assert.rejects(lzmaDecode(packed.slice(0, packed.length >> 1)), /LZMA/);
  await assert.rejects(lzmaDecode(new Uint8Array(5)), /LZMA/);
  let caught = 0;
  for (let i = 0; i < 200; i++) {
    const damaged = new Uint8Array(packed);
    const at = 13 + ((i * 7919) % (packed.length - 13));
    damaged[at] ^= 1 << (i % 8);
    try {
      const out = await lzmaDecode(damaged);
      // A flip can go unnoticed by the format; then the output must still differ or be equal in
      // length only by chance. What matters: it returned, it did not hang.
      assert.ok(out instanceof Uint8Array);
    } catch (e) {
      assert.match(String(e), /LZMA/);
      caught++;
    }
  }
  assert.ok(caught > 100, `most damage is detected (${caught}/200)`);
});

test("where the browser refuses to compile the decoder synchronously, it compiles it asynchronously", async () => {
  // Older Chrome and Android WebView refuse synchronous compiles of more than 4 KB on the main
  // thread with a RangeError.
  const refusing = {
    ...Object.fromEntries(Object.getOwnPropertyNames(WebAssembly).map((k) => [k, WebAssembly[k]])),
    Module: function Module() {
      throw new RangeError("WebAssembly.Compile is disallowed on the main thread, if the buffer size is larger than 4KB.");
    },
  };
  let asyncCompiles = 0;
  refusing.instantiate = (...args) => {
    asyncCompiles++;
    return WebAssembly.instantiate(...args);
  };
  const input = inputs["mixed"];
  const out = await load(refusing)(xz(input, ["-9e"]));
  assert.ok(Buffer.from(out).equals(input));
  assert.equal(asyncCompiles, 1);
});
