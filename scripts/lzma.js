// LZMA decoder for the single file's embedded WebAssembly ("LZMA alone" format, as written by
// `xz --format=lzma`). The decoding itself is crates/samlmeta-unlzma, built for wasm32 (a few KB);
// scripts/postbuild.mjs puts that module's bytes, base64, in place of UNLZMA_WASM below and
// inlines this file into samlmeta.html's boot script. Compiled code decodes the page's wasm in a
// fraction of the time a JavaScript decoder takes (BENCHMARKS.md, "Page start-up").
// Throws an Error whose message names LZMA on damaged or truncated input.
// tests/e2e/lzma.test.mjs checks it against xz on many inputs and settings.
const UNLZMA_WASM = "@UNLZMA_WASM@";

async function lzmaDecode(input) {
  "use strict";
  if (input.length < 13) throw new Error("LZMA header missing");
  // Far more than the page's wasm; damaged data cannot make it allocate without bound.
  const MAX_OUTPUT = 64 * 1024 * 1024;
  let size = 0;
  let known = false;
  for (let i = 5; i < 13; i++) {
    if (input[i] !== 0xff) known = true;
    size += input[i] * 2 ** (8 * (i - 5));
  }
  if (known && size > MAX_OUTPUT) throw new Error("LZMA output too large");
  const code = Uint8Array.from(atob(UNLZMA_WASM), (c) => c.charCodeAt(0));
  // Compiled and run without giving the event loop a turn, so that the page's first paint
  // overlaps the big module's compile (which runs off the main thread) instead of delaying this
  // decode. Some browsers refuse to compile more than 4 KB synchronously on the main thread
  // (older Chrome and Android WebView, with a RangeError); there it is compiled asynchronously.
  let instance;
  try {
    instance = new WebAssembly.Instance(new WebAssembly.Module(code));
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    instance = (await WebAssembly.instantiate(code)).instance;
  }
  const { memory, decode } = instance.exports;
  // Everything past the module's own memory is ours: the input, then the output.
  const base = memory.buffer.byteLength;
  let room = known ? size : Math.max(1 << 16, input.length * 4);
  for (;;) {
    const needed = base + input.length + room;
    if (needed > memory.buffer.byteLength) {
      memory.grow(Math.ceil((needed - memory.buffer.byteLength) / 65536));
    }
    new Uint8Array(memory.buffer, base, input.length).set(input);
    const outAt = base + input.length;
    const n = decode(base, input.length, outAt, room);
    if (n >= 0) return new Uint8Array(memory.buffer.slice(outAt, outAt + n));
    // The codes of crates/samlmeta-unlzma's Error.
    if (n === -6 && !known && room < MAX_OUTPUT) {
      room = Math.min(room * 2, MAX_OUTPUT);
      continue;
    }
    const why = {
      [-1]: "LZMA header missing",
      [-2]: "bad LZMA properties",
      [-3]: "LZMA data ends too early",
      [-4]: "damaged LZMA data",
      [-5]: "LZMA data longer than its header says",
      [-6]: "LZMA output too large",
      [-7]: "LZMA output too large",
    }[n];
    throw new Error(why || `LZMA decoder failed (${n})`);
  }
}
