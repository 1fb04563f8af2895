//! The decoder against the real `xz --format=lzma` (Debian's xz-utils): every input and setting
//! round-trips, and truncated or damaged data gives an error, never a panic or a hang.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

use samlmeta_unlzma::{Error, decode_into, unpacked_size};
use std::io::Write;
use std::process::{Command, Stdio};

fn xz(input: &[u8], args: &[&str]) -> Vec<u8> {
    let mut child = Command::new("xz")
        .args(["--format=lzma", "--stdout"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("xz runs (scripts/setup.sh installs xz-utils)");
    let mut stdin = child.stdin.take().expect("stdin");
    let data = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&data));
    let out = child.wait_with_output().expect("xz output");
    writer.join().expect("writer").expect("write to xz");
    assert!(out.status.success(), "xz {args:?} failed");
    out.stdout
}

/// Deterministic bytes that look neither random nor constant.
fn mixed(len: usize) -> Vec<u8> {
    let text = include_bytes!("../src/lib.rs");
    let mut x = 0x2545_f491_u32;
    (0..len)
        .map(|i| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            if (i / 4096) % 3 == 0 {
                x as u8
            } else {
                text[i % text.len()]
            }
        })
        .collect()
}

fn decode(packed: &[u8], room: usize) -> Result<Vec<u8>, Error> {
    let mut out = vec![0; room];
    let n = decode_into(packed, &mut out)?;
    out.truncate(n);
    Ok(out)
}

#[test]
fn round_trips_at_every_setting() {
    let inputs: [(&str, Vec<u8>); 5] = [
        ("empty", Vec::new()),
        ("one byte", vec![42]),
        ("zeros", vec![0; 300_000]),
        ("mixed", mixed(200_000)),
        ("source x3", include_bytes!("../src/lib.rs").repeat(3)),
    ];
    let settings: [&[&str]; 6] = [
        &["-9e"],
        &["-0"],
        &["-6"],
        &["--lzma1=preset=6,lc=0,lp=2,pb=0"],
        &["--lzma1=preset=6,lc=4,lp=0,pb=4"],
        &["--lzma1=preset=1,lc=1,lp=1,pb=1,mf=hc4"],
    ];
    for (name, input) in &inputs {
        for args in settings {
            let packed = xz(input, args);
            // From a pipe xz writes "size unknown" and an end marker.
            assert_eq!(unpacked_size(&packed), Ok(None));
            let out = decode(&packed, input.len() + 1)
                .unwrap_or_else(|e| panic!("{name} {args:?}: {e:?}"));
            assert!(out == *input, "{name} {args:?}");
        }
    }
}

#[test]
fn size_in_header_decodes_exactly_and_needs_the_room() {
    let input = mixed(100_000);
    let mut packed = xz(&input, &["-6"]);
    packed[5..13].copy_from_slice(&(input.len() as u64).to_le_bytes());
    assert_eq!(unpacked_size(&packed), Ok(Some(input.len() as u64)));
    assert_eq!(decode(&packed, input.len()), Ok(input.clone()));
    assert_eq!(decode(&packed, input.len() - 1), Err(Error::NoRoom));
    // The header claims less than the data holds: decoding stops at the claimed size (as the
    // specification's decoder does), or reports the match that crosses it.
    let short = input.len() - 10;
    packed[5..13].copy_from_slice(&(short as u64).to_le_bytes());
    match decode(&packed, input.len()) {
        Ok(out) => assert!(out == input[..short]),
        Err(e) => assert_eq!(e, Error::LongerThanHeader),
    }
}

#[test]
fn an_end_marker_before_the_headers_size_is_damage() {
    // Found by fuzzing (fuzz/regressions/unlzma/): the header promised more than came before the
    // end marker, and the shorter output was returned as if whole.
    let input = mixed(3000);
    let mut packed = xz(&input, &["-9e"]);
    packed[5..13].copy_from_slice(&4024_u64.to_le_bytes());
    assert_eq!(decode(&packed, 4024), Err(Error::Damaged));
    // The exact size with the marker after it is fine: decoding stops at the size.
    packed[5..13].copy_from_slice(&3000_u64.to_le_bytes());
    assert_eq!(decode(&packed, 3000), Ok(input));
}

#[test]
fn unknown_size_asks_for_more_room() {
    let input = mixed(50_000);
    let packed = xz(&input, &["-9e"]);
    assert_eq!(decode(&packed, 49_999), Err(Error::OutputFull));
    assert_eq!(decode(&packed, 50_000), Ok(input));
}

#[test]
fn bad_headers_are_refused() {
    assert_eq!(decode(&[], 10), Err(Error::Header));
    assert_eq!(decode(&[0x5d; 12], 10), Err(Error::Header));
    let mut packed = xz(b"hello", &["-6"]);
    packed[0] = 225;
    assert_eq!(decode(&packed, 10), Err(Error::Properties));
    // lc = 4, lp = 1: valid LZMA, but more literal states than this decoder keeps.
    packed[0] = 4 + 9;
    assert_eq!(decode(&packed, 10), Err(Error::Properties));
}

#[test]
fn truncated_or_damaged_data_is_an_error() {
    let input = include_bytes!("../src/lib.rs").repeat(3);
    let packed = xz(&input, &["-9e"]);
    for cut in [13, 14, 18, packed.len() / 2, packed.len() - 1] {
        assert!(
            decode(&packed[..cut], input.len() + 1).is_err(),
            "cut at {cut}"
        );
    }
    let mut caught = 0;
    for i in 0..300 {
        let mut damaged = packed.clone();
        let at = 13 + (i * 7919) % (packed.len() - 13);
        damaged[at] ^= 1 << (i % 8);
        // Either an error or some output: never a panic, never more than the room.
        match decode(&damaged, input.len() + 1) {
            Err(_) => caught += 1,
            Ok(out) => assert!(out.len() <= input.len() + 1),
        }
    }
    assert!(caught > 150, "most damage is detected ({caught}/300)");
}
