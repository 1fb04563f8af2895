// LZMA decoder for the single file's embedded WebAssembly ("LZMA alone" format, as written by
// `xz --format=lzma`). scripts/postbuild.mjs inlines this into samlmeta.html's boot script; it
// decodes only the bytes that come with it. It follows the reference decoder of the LZMA
// specification (Igor Pavlov, "lzma-specification", LzmaSpec.cpp), with the whole output kept in
// one buffer (which is also the dictionary). Throws on damaged input; never reads past the end.
// tests/e2e/lzma.test.mjs checks it against xz on many inputs and settings.
function lzmaDecode(input) {
  "use strict";
  let inPos = 0;
  const next = () => {
    if (inPos >= input.length) throw new Error("LZMA data ends too early");
    return input[inPos++];
  };
  if (input.length < 13) throw new Error("LZMA header missing");
  let d = next();
  if (d >= 9 * 5 * 5) throw new Error("bad LZMA properties");
  const lc = d % 9;
  d = (d / 9) | 0;
  const lp = d % 5;
  const pb = (d / 5) | 0;
  for (let i = 0; i < 4; i++) next(); // dictionary size: the whole output is kept, so unused
  let size = 0;
  let known = false;
  for (let i = 0; i < 8; i++) {
    const b = next();
    if (b !== 0xff) known = true;
    size += b * 2 ** (8 * i);
  }
  // Far more than the page's wasm; damaged data cannot make it allocate without bound.
  const MAX_OUTPUT = 64 * 1024 * 1024;
  if (known && size > MAX_OUTPUT) throw new Error("LZMA output too large");
  let out = new Uint8Array(known ? size : Math.max(1 << 16, input.length * 4));
  let outPos = 0;
  const put = (b) => {
    if (outPos === out.length) {
      if (known) throw new Error("LZMA data longer than its header says");
      if (out.length >= MAX_OUTPUT) throw new Error("LZMA output too large");
      const bigger = new Uint8Array(out.length * 2);
      bigger.set(out);
      out = bigger;
    }
    out[outPos++] = b;
  };

  // Range decoder. range and code are kept as non-negative numbers below 2^32.
  if (next() !== 0) throw new Error("bad LZMA range coder start");
  let range = 0xffffffff;
  let code = 0;
  for (let i = 0; i < 4; i++) code = code * 256 + next();
  if (code === range) throw new Error("bad LZMA range coder start");
  const normalize = () => {
    if (range < 0x1000000) {
      range *= 256;
      code = code * 256 + next();
    }
  };
  // The hot path: normalize() and next() written out in place (measured: about a third faster).
  const bit = (probs, i) => {
    const p = probs[i];
    const bound = (range >>> 11) * p;
    let b;
    if (code < bound) {
      range = bound;
      probs[i] = p + ((2048 - p) >>> 5);
      b = 0;
    } else {
      range -= bound;
      code -= bound;
      probs[i] = p - (p >>> 5);
      b = 1;
    }
    if (range < 0x1000000) {
      if (inPos >= input.length) throw new Error("LZMA data ends too early");
      range *= 256;
      code = code * 256 + input[inPos++];
    }
    return b;
  };
  const direct = (count) => {
    let res = 0;
    for (let i = 0; i < count; i++) {
      range = range >>> 1;
      let b = 0;
      if (code >= range) {
        code -= range;
        b = 1;
      }
      res = res * 2 + b;
      normalize();
    }
    return res;
  };
  const probs = (n) => new Uint16Array(n).fill(1024);
  const tree = (p, offset, bits) => {
    let m = 1;
    for (let i = 0; i < bits; i++) m = m * 2 + bit(p, offset + m);
    return m - (1 << bits);
  };
  const reverseTree = (p, offset, bits) => {
    let m = 1;
    let sym = 0;
    for (let i = 0; i < bits; i++) {
      const b = bit(p, offset + m);
      m = m * 2 + b;
      sym |= b << i;
    }
    return sym;
  };
  const lengthDecoder = () => {
    const choice = probs(2);
    const low = probs(16 << 3);
    const mid = probs(16 << 3);
    const high = probs(256);
    return (posState) => {
      if (bit(choice, 0) === 0) return tree(low, posState << 3, 3);
      if (bit(choice, 1) === 0) return 8 + tree(mid, posState << 3, 3);
      return 16 + tree(high, 0, 8);
    };
  };

  const literals = probs(0x300 << (lc + lp));
  const isMatch = probs(12 << 4);
  const isRep = probs(12);
  const isRepG0 = probs(12);
  const isRepG1 = probs(12);
  const isRepG2 = probs(12);
  const isRep0Long = probs(12 << 4);
  const posSlot = probs(4 << 6);
  const posDecoders = probs(1 + 114);
  const align = probs(16);
  const lenDecoder = lengthDecoder();
  const repLenDecoder = lengthDecoder();
  const pbMask = (1 << pb) - 1;
  const lpMask = (1 << lp) - 1;
  let state = 0;
  let rep0 = 0;
  let rep1 = 0;
  let rep2 = 0;
  let rep3 = 0;

  const distance = (len) => {
    const lenState = len < 3 ? len : 3;
    const slot = tree(posSlot, lenState << 6, 6);
    if (slot < 4) return slot;
    const directBits = (slot >>> 1) - 1;
    let dist = (2 | (slot & 1)) * 2 ** directBits;
    if (slot < 14) return dist + reverseTree(posDecoders, dist - slot, directBits);
    dist += direct(directBits - 4) * 16;
    return dist + reverseTree(align, 0, 4);
  };

  for (;;) {
    if (known && outPos === size) break;
    const posState = outPos & pbMask;
    if (bit(isMatch, (state << 4) + posState) === 0) {
      const prev = outPos > 0 ? out[outPos - 1] : 0;
      const base = 0x300 * (((outPos & lpMask) << lc) + (prev >>> (8 - lc)));
      let symbol = 1;
      if (state >= 7) {
        let match = out[outPos - rep0 - 1];
        do {
          const matchBit = (match >>> 7) & 1;
          match <<= 1;
          const b = bit(literals, base + ((1 + matchBit) << 8) + symbol);
          symbol = (symbol << 1) | b;
          if (matchBit !== b) break;
        } while (symbol < 0x100);
      }
      // The hottest loop, bit() written out with the coder's state in locals.
      let r = range;
      let c = code;
      while (symbol < 0x100) {
        const i = base + symbol;
        const p = literals[i];
        const bound = (r >>> 11) * p;
        if (c < bound) {
          r = bound;
          literals[i] = p + ((2048 - p) >>> 5);
          symbol <<= 1;
        } else {
          r -= bound;
          c -= bound;
          literals[i] = p - (p >>> 5);
          symbol = (symbol << 1) | 1;
        }
        if (r < 0x1000000) {
          if (inPos >= input.length) throw new Error("LZMA data ends too early");
          r *= 256;
          c = c * 256 + input[inPos++];
        }
      }
      range = r;
      code = c;
      put(symbol - 0x100);
      state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
      continue;
    }
    let len;
    if (bit(isRep, state) !== 0) {
      if (outPos === 0) throw new Error("damaged LZMA data");
      if (bit(isRepG0, state) === 0) {
        if (bit(isRep0Long, (state << 4) + posState) === 0) {
          state = state < 7 ? 9 : 11;
          put(out[outPos - rep0 - 1]);
          continue;
        }
      } else {
        let dist;
        if (bit(isRepG1, state) === 0) {
          dist = rep1;
        } else {
          if (bit(isRepG2, state) === 0) {
            dist = rep2;
          } else {
            dist = rep3;
            rep3 = rep2;
          }
          rep2 = rep1;
        }
        rep1 = rep0;
        rep0 = dist;
      }
      len = repLenDecoder(posState);
      state = state < 7 ? 8 : 11;
    } else {
      rep3 = rep2;
      rep2 = rep1;
      rep1 = rep0;
      len = lenDecoder(posState);
      state = state < 7 ? 7 : 10;
      rep0 = distance(len);
      if (rep0 === 0xffffffff) {
        if (code !== 0) throw new Error("damaged LZMA end marker");
        break;
      }
      if (rep0 >= outPos) throw new Error("damaged LZMA data");
    }
    // A match: room for it first, then a plain byte loop (it may overlap what it copies).
    const n = len + 2;
    if (outPos + n > out.length) {
      if (known) throw new Error("LZMA data longer than its header says");
      for (let k = n; k > 0; k--) put(out[outPos - rep0 - 1]);
    } else {
      for (let from = outPos - rep0 - 1, end = outPos + n; outPos < end; ) out[outPos++] = out[from++];
    }
  }
  return outPos === out.length ? out : out.slice(0, outPos);
}
