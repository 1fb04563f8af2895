//! LZMA decoder for `samlmeta.html`'s embedded WebAssembly.
//!
//! The single file carries the page's wasm as "LZMA alone" data (`xz --format=lzma -9e`), base64
//! in the HTML. This crate, built for `wasm32-unknown-unknown` and inlined into the boot script by
//! `scripts/postbuild.mjs` (a few KB), unpacks it at start-up: native-speed code from the first
//! byte, where a decoder written in JavaScript runs cold in the browser's interpreter first
//! (BENCHMARKS.md, "Page start-up"). `scripts/lzma.js` is the JavaScript side: it instantiates
//! this module, copies the data into its memory and calls its one export, `decode` (wasm32 only).
//!
//! It follows the reference decoder of the LZMA specification (Igor Pavlov, `lzma-specification`,
//! `LzmaSpec.cpp`), with the whole output in one buffer, which is also the dictionary. It never
//! reads or writes outside the two slices it is given, and damaged or truncated data gives an
//! [`Error`], never a trap. Properties with `lc + lp > 4` (which LZMA2 and xz's presets never
//! use) are refused, so that the literal coder's probabilities fit a fixed array.

#![cfg_attr(all(target_arch = "wasm32", not(feature = "std")), no_std)]

/// Why the data could not be decoded. [`Error::code`] is what the export `decode` returns for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Error {
    /// Shorter than the 13-byte header.
    Header = 1,
    /// The properties byte is not a valid `lc`, `lp`, `pb`, or has `lc + lp > 4`.
    Properties = 2,
    /// The data ends before the output does.
    Truncated = 3,
    /// The data does not decode: a distance before the start, a bad range coder start or end, an
    /// end marker before the header's size.
    Damaged = 4,
    /// The header gives a size and the data holds more than that.
    LongerThanHeader = 5,
    /// The header gives no size and the output does not fit the room given: try with more.
    OutputFull = 6,
    /// The header's size is larger than the room given.
    NoRoom = 7,
}

impl Error {
    /// The negative number the export `decode` returns for this error.
    #[must_use]
    pub const fn code(self) -> i32 {
        -(self as i32)
    }
}

/// The header's uncompressed size (bytes 5 to 12, little-endian), or `None` when it is "unknown"
/// (all ones: the data then ends with an end marker).
///
/// # Errors
/// [`Error::Header`] when `input` is shorter than the header.
pub fn unpacked_size(input: &[u8]) -> Result<Option<u64>, Error> {
    let bytes: [u8; 8] = input
        .get(5..13)
        .and_then(|b| b.try_into().ok())
        .ok_or(Error::Header)?;
    let size = u64::from_le_bytes(bytes);
    Ok((size != u64::MAX).then_some(size))
}

/// The range decoder (LZMA specification, "The range decoder").
struct Range<'a> {
    input: &'a [u8],
    pos: usize,
    range: u32,
    code: u32,
    /// Set when a byte past the end was asked for (0 was given instead); checked per symbol.
    overrun: bool,
}

const TOP: u32 = 1 << 24;
const BITS: u32 = 11;
const HALF: u16 = 1 << (BITS - 1);

impl<'a> Range<'a> {
    fn new(input: &'a [u8], pos: usize) -> Result<Self, Error> {
        let mut rc = Self {
            input,
            pos,
            range: u32::MAX,
            code: 0,
            overrun: false,
        };
        if rc.byte() != 0 {
            return Err(Error::Damaged);
        }
        for _ in 0..4 {
            rc.code = (rc.code << 8) | u32::from(rc.byte());
        }
        if rc.overrun {
            return Err(Error::Truncated);
        }
        if rc.code == rc.range {
            return Err(Error::Damaged);
        }
        Ok(rc)
    }

    #[inline(always)]
    fn byte(&mut self) -> u8 {
        if let Some(&b) = self.input.get(self.pos) {
            self.pos += 1;
            b
        } else {
            self.overrun = true;
            0
        }
    }

    #[inline(always)]
    fn normalize(&mut self) {
        if self.range < TOP {
            self.range <<= 8;
            self.code = (self.code << 8) | u32::from(self.byte());
        }
    }

    /// One bit with the adaptive probability `p` (of a 0, out of 2^11).
    #[inline(always)]
    fn bit(&mut self, p: &mut u16) -> usize {
        let bound = (self.range >> BITS) * u32::from(*p);
        let b = if self.code < bound {
            self.range = bound;
            *p += ((1 << BITS) - *p) >> 5;
            0
        } else {
            self.range -= bound;
            self.code -= bound;
            *p -= *p >> 5;
            1
        };
        self.normalize();
        b
    }

    /// `count` bits of probability one half.
    fn direct(&mut self, count: u32) -> u32 {
        let mut res = 0;
        for _ in 0..count {
            self.range >>= 1;
            let b = if self.code >= self.range {
                self.code -= self.range;
                1
            } else {
                0
            };
            res = (res << 1) | b;
            self.normalize();
        }
        res
    }

    /// A `bits`-bit symbol, most significant bit first, from a tree of `N = 2^bits` probabilities.
    fn tree<const N: usize>(&mut self, probs: &mut [u16; N], bits: u32) -> usize {
        let mut m = 1;
        for _ in 0..bits {
            m = (m << 1) | self.bit(&mut probs[m & (N - 1)]);
        }
        m - (1 << bits)
    }

    /// A `bits`-bit symbol, least significant bit first, from the tree at `probs[base..]`.
    fn reverse_tree(&mut self, probs: &mut [u16], base: usize, bits: u32) -> Result<u32, Error> {
        let mut m = 1;
        let mut symbol = 0;
        for i in 0..bits {
            let p = probs.get_mut(base + m).ok_or(Error::Damaged)?;
            let b = self.bit(p);
            m = (m << 1) | b;
            symbol |= (b as u32) << i;
        }
        Ok(symbol)
    }
}

/// The length coder's probabilities (LZMA specification, "The length decoder").
struct Lengths {
    choice: u16,
    choice2: u16,
    low: [[u16; 8]; 16],
    mid: [[u16; 8]; 16],
    high: [u16; 256],
}

impl Lengths {
    const fn new() -> Self {
        Self {
            choice: HALF,
            choice2: HALF,
            low: [[HALF; 8]; 16],
            mid: [[HALF; 8]; 16],
            high: [HALF; 256],
        }
    }

    fn decode(&mut self, rc: &mut Range<'_>, pos_state: usize) -> usize {
        if rc.bit(&mut self.choice) == 0 {
            return rc.tree(&mut self.low[pos_state & 15], 3);
        }
        if rc.bit(&mut self.choice2) == 0 {
            return 8 + rc.tree(&mut self.mid[pos_state & 15], 3);
        }
        16 + rc.tree(&mut self.high, 8)
    }
}

/// The literal coder's probabilities for `lc + lp <= 4`.
const LITERALS: usize = 0x300 << 4;
const END_MARKER: u32 = u32::MAX;

/// Every adaptive probability of the decoder. The state (0 to 11) and the position state (below
/// 16) index arrays of 16 and 16 x 16, so that a mask (`& 15`, `& 0xff`) keeps every index in
/// bounds without a check.
struct Probs {
    literal: [u16; LITERALS],
    is_match: [u16; 256],
    is_rep: [u16; 16],
    is_rep_g0: [u16; 16],
    is_rep_g1: [u16; 16],
    is_rep_g2: [u16; 16],
    is_rep0_long: [u16; 256],
    pos_slot: [[u16; 64]; 4],
    pos_special: [u16; 1 + 114],
    align: [u16; 16],
    len: Lengths,
    rep_len: Lengths,
}

impl Probs {
    const fn new() -> Self {
        Self {
            literal: [HALF; LITERALS],
            is_match: [HALF; 256],
            is_rep: [HALF; 16],
            is_rep_g0: [HALF; 16],
            is_rep_g1: [HALF; 16],
            is_rep_g2: [HALF; 16],
            is_rep0_long: [HALF; 256],
            pos_slot: [[HALF; 64]; 4],
            pos_special: [HALF; 1 + 114],
            align: [HALF; 16],
            len: Lengths::new(),
            rep_len: Lengths::new(),
        }
    }
}

/// Decodes "LZMA alone" data (header included) into `out`; returns how many bytes were written.
/// With a size in the header, exactly that many; without, up to the end marker.
///
/// # Errors
/// See [`Error`]; `out` may then hold part of the output.
pub fn decode_into(input: &[u8], out: &mut [u8]) -> Result<usize, Error> {
    let props = *input.first().ok_or(Error::Header)?;
    let known = unpacked_size(input)?;
    if props >= 9 * 5 * 5 {
        return Err(Error::Properties);
    }
    let lc = usize::from(props % 9);
    let lp = usize::from(props / 9 % 5);
    let pb = usize::from(props / 45);
    if lc + lp > 4 {
        return Err(Error::Properties);
    }
    let end = match known {
        Some(size) => {
            let size = usize::try_from(size).map_err(|_| Error::NoRoom)?;
            if size > out.len() {
                return Err(Error::NoRoom);
            }
            size
        }
        None => out.len(),
    };
    let out = out.get_mut(..end).ok_or(Error::NoRoom)?;
    let mut decoder = Decoder {
        rc: Range::new(input, 13)?,
        p: Probs::new(),
        lc,
        lp_mask: (1 << lp) - 1,
        pb_mask: (1 << pb) - 1,
        known,
        end,
        state: 0,
        reps: [0; 4],
        pos: 0,
    };
    while !decoder.run(out, SYMBOLS_PER_CALL)? {}
    if decoder.rc.overrun {
        return Err(Error::Truncated);
    }
    Ok(decoder.pos)
}

/// How many symbols [`Decoder::run`] decodes per call. WebAssembly engines start a function with
/// quickly made baseline code and may switch to optimized code only from a later call on, so the
/// work comes in many calls, not one long one. (In the Chromium the page is tested with this made
/// no measurable difference; BENCHMARKS.md, "Page start-up".)
const SYMBOLS_PER_CALL: usize = 1 << 12;

/// The decoder's state between calls of [`Decoder::run`].
struct Decoder<'a> {
    rc: Range<'a>,
    p: Probs,
    lc: usize,
    lp_mask: usize,
    pb_mask: usize,
    known: Option<u64>,
    /// The output's length: the header's size, or the room given.
    end: usize,
    state: usize,
    /// The last four distances (rep0 first).
    reps: [u32; 4],
    /// How many bytes are written.
    pos: usize,
}

impl Decoder<'_> {
    /// Decodes up to `symbols` symbols into `out`; `true` once the output is complete.
    #[inline(never)]
    fn run(&mut self, out: &mut [u8], symbols: usize) -> Result<bool, Error> {
        for _ in 0..symbols {
            if self.symbol(out)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// One literal or match (LZMA specification, "The main loop of decoder"); `true` at the end.
    #[inline(always)]
    fn symbol(&mut self, out: &mut [u8]) -> Result<bool, Error> {
        let Self {
            rc,
            p,
            lc,
            lp_mask,
            pb_mask,
            known,
            end,
            ..
        } = self;
        let (lc, lp_mask, pb_mask, known, end) = (*lc, *lp_mask, *pb_mask, *known, *end);
        let mut state = self.state;
        let [mut rep0, mut rep1, mut rep2, mut rep3] = self.reps;
        let mut pos = self.pos;
        let finished = 'symbol: {
            if rc.overrun {
                return Err(Error::Truncated);
            }
            if known.is_some() && pos == end {
                break 'symbol true;
            }
            let pos_state = pos & pb_mask;
            // state < 12 and pos_state < 16: the index is below 192.
            if rc.bit(&mut p.is_match[((state << 4) + pos_state) & 0xff]) == 0 {
                if pos == end {
                    return Err(Error::OutputFull);
                }
                let prev = match pos.checked_sub(1) {
                    Some(at) => *out.get(at).ok_or(Error::Damaged)?,
                    None => 0,
                };
                let lit_state = ((pos & lp_mask) << lc) + (usize::from(prev) >> (8 - lc));
                // lit_state < 2^(lc + lp) <= 16.
                let base = 0x300 * (lit_state & 15);
                let probs: &mut [u16; 0x300] = p
                    .literal
                    .get_mut(base..base + 0x300)
                    .and_then(|s| s.try_into().ok())
                    .ok_or(Error::Damaged)?;
                let mut symbol = 1_usize;
                if state >= 7 {
                    let at = pos.checked_sub(rep0 as usize + 1).ok_or(Error::Damaged)?;
                    let mut match_byte = usize::from(*out.get(at).ok_or(Error::Damaged)?);
                    loop {
                        let match_bit = (match_byte >> 7) & 1;
                        match_byte <<= 1;
                        let b = rc.bit(&mut probs[(((1 + match_bit) << 8) + symbol) % 0x300]);
                        symbol = (symbol << 1) | b;
                        if match_bit != b || symbol >= 0x100 {
                            break;
                        }
                    }
                }
                while symbol < 0x100 {
                    symbol = (symbol << 1) | rc.bit(&mut probs[symbol]);
                }
                *out.get_mut(pos).ok_or(Error::OutputFull)? = (symbol - 0x100) as u8;
                pos += 1;
                state = if state < 4 {
                    0
                } else if state < 10 {
                    state - 3
                } else {
                    state - 6
                };
                break 'symbol false;
            }
            let len;
            if rc.bit(&mut p.is_rep[state & 15]) != 0 {
                if pos == 0 {
                    return Err(Error::Damaged);
                }
                if rc.bit(&mut p.is_rep_g0[state & 15]) == 0 {
                    if rc.bit(&mut p.is_rep0_long[((state << 4) + pos_state) & 0xff]) == 0 {
                        if pos == end {
                            return Err(out_of_room(known));
                        }
                        state = if state < 7 { 9 } else { 11 };
                        let at = pos.checked_sub(rep0 as usize + 1).ok_or(Error::Damaged)?;
                        let b = *out.get(at).ok_or(Error::Damaged)?;
                        *out.get_mut(pos).ok_or(Error::OutputFull)? = b;
                        pos += 1;
                        break 'symbol false;
                    }
                } else {
                    let dist;
                    if rc.bit(&mut p.is_rep_g1[state & 15]) == 0 {
                        dist = rep1;
                    } else {
                        if rc.bit(&mut p.is_rep_g2[state & 15]) == 0 {
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
                len = p.rep_len.decode(rc, pos_state);
                state = if state < 7 { 8 } else { 11 };
            } else {
                rep3 = rep2;
                rep2 = rep1;
                rep1 = rep0;
                len = p.len.decode(rc, pos_state);
                state = if state < 7 { 7 } else { 10 };
                rep0 = distance(rc, p, len)?;
                if rep0 == END_MARKER {
                    // With a size in the header, the output ends at that size (checked before
                    // each symbol): a marker before it is damage, as in the specification's
                    // decoder ("finished with end marker before than specified size").
                    if rc.code != 0 || rc.overrun || known.is_some() {
                        return Err(Error::Damaged);
                    }
                    break 'symbol true;
                }
                if rep0 as usize >= pos {
                    return Err(Error::Damaged);
                }
            }
            // A match of len + 2 bytes, which may overlap what it copies.
            let n = len + 2;
            if n > end - pos {
                return Err(out_of_room(known));
            }
            let from = pos.checked_sub(rep0 as usize + 1).ok_or(Error::Damaged)?;
            for k in 0..n {
                let b = *out.get(from + k).ok_or(Error::Damaged)?;
                *out.get_mut(pos + k).ok_or(Error::OutputFull)? = b;
            }
            pos += n;
            false
        };
        self.state = state;
        self.reps = [rep0, rep1, rep2, rep3];
        self.pos = pos;
        Ok(finished)
    }
}

/// Output that does not fit: the data is longer than its header says, or the room given is
/// too small for data of unknown size.
const fn out_of_room(known: Option<u64>) -> Error {
    match known {
        Some(_) => Error::LongerThanHeader,
        None => Error::OutputFull,
    }
}

/// A match's distance (LZMA specification, "The distance decoder"); [`END_MARKER`] for the end.
fn distance(rc: &mut Range<'_>, p: &mut Probs, len: usize) -> Result<u32, Error> {
    let len_state = len.min(3);
    let slot = rc.tree(&mut p.pos_slot[len_state], 6) as u32;
    if slot < 4 {
        return Ok(slot);
    }
    let direct_bits = (slot >> 1) - 1;
    let dist = (2 | (slot & 1)) << direct_bits;
    if slot < 14 {
        let base = (dist - slot) as usize;
        return Ok(dist + rc.reverse_tree(&mut p.pos_special, base, direct_bits)?);
    }
    let high = rc.direct(direct_bits - 4) << 4;
    let low = rc.reverse_tree(&mut p.align, 0, 4)?;
    Ok(dist.wrapping_add(high).wrapping_add(low))
}

/// The module's one export: decodes `input_len` bytes at `input` into the `out_len` bytes at
/// `out`, both in this module's memory. Returns the number of bytes written, or a negative
/// [`Error::code`].
///
/// # Safety
/// `input..input + input_len` and `out..out + out_len` must be memory of this module that
/// nothing else uses, and must not overlap. scripts/lzma.js grows the memory for them, past
/// everything the module itself uses; nothing else runs in the instance while it decodes.
#[cfg(target_arch = "wasm32")]
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn decode(
    input: *const u8,
    input_len: usize,
    out: *mut u8,
    out_len: usize,
) -> i32 {
    // SAFETY: the caller's promise above.
    let (input, out) = unsafe {
        (
            core::slice::from_raw_parts(input, input_len),
            core::slice::from_raw_parts_mut(out, out_len),
        )
    };
    match decode_into(input, out) {
        Ok(n) => i32::try_from(n).unwrap_or(Error::NoRoom.code()),
        Err(e) => e.code(),
    }
}

#[cfg(all(target_arch = "wasm32", not(feature = "std"), not(test)))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}
