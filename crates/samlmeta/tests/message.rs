//! Captured SAML messages in every form an admin copies them, decoded by [`samlmeta::message`];
//! DEFLATE streams made by the real gzip.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // test code

use base64ct::{Base64, Encoding as _};
use samlmeta::message::{
    DecodeError, Encoding, MAX_INFLATED_BYTES, MAX_MESSAGE_BYTES, Parameter, decode,
};
use std::io::Write;
use std::process::{Command, Stdio};

const RESPONSE: &str = r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r1" Version="2.0" IssueInstant="2026-12-01T10:00:00Z" Destination="https://keepersecurity.com/api/rest/sso/saml/sso/123"><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:Response>"#;
const AUTHN_REQUEST: &str = r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a1" Version="2.0" IssueInstant="2026-12-01T10:00:00Z" AssertionConsumerServiceURL="https://keepersecurity.com/api/rest/sso/saml/sso/123"><saml:Issuer>https://keepersecurity.com/api/rest/sso/saml/123</saml:Issuer></samlp:AuthnRequest>"#;

/// Raw DEFLATE (RFC 1951) by the real gzip: its output without the 10-byte header (`-n`: no
/// name, no time) and the 8-byte trailer.
fn deflate(data: &[u8]) -> Vec<u8> {
    let mut child = Command::new("gzip")
        .args(["-n", "-c", "-9"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("gzip runs");
    let mut stdin = child.stdin.take().unwrap();
    let input = data.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(out.status.success());
    out.stdout[10..out.stdout.len() - 8].to_vec()
}

/// The same stream with zlib's wrapper (RFC 1950), as some SPs send it.
fn zlib(data: &[u8]) -> Vec<u8> {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    let mut out = vec![0x78, 0x9c];
    out.extend(deflate(data));
    out.extend(((b << 16) | a).to_be_bytes());
    out
}

/// `%XX` for everything but unreserved characters, as a browser encodes a query value.
fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Base64 with a line break every 76 characters, as some tools show a form field.
fn wrapped_base64(data: &[u8]) -> String {
    let b64 = Base64::encode_string(data);
    b64.as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join("\r\n")
}

#[test]
fn xml_is_taken_as_it_is() {
    let input = format!("\u{feff}\n  {RESPONSE}\n");
    let d = decode(input.as_bytes()).unwrap();
    assert_eq!(d.encoding, Encoding::Xml);
    assert_eq!(d.xml, RESPONSE.as_bytes());
    assert_eq!(d.parameter, None);
    assert!(!d.deflated);
}

#[test]
fn a_post_binding_form_field_in_every_shape() {
    let b64 = Base64::encode_string(RESPONSE.as_bytes());
    for (input, encoding) in [
        (b64.clone(), Encoding::Base64),
        (wrapped_base64(RESPONSE.as_bytes()), Encoding::Base64),
        (format!("  {b64}\n"), Encoding::Base64),
        (b64.trim_end_matches('=').to_owned(), Encoding::Base64),
        (url_encode(&b64), Encoding::UrlEncoded),
        (
            format!(
                "SAMLResponse={}&RelayState=%2Fvault%3Fa%3Db",
                url_encode(&b64)
            ),
            Encoding::Form,
        ),
        // A body shown "decoded" by a browser's tools: `+` turned into spaces. (A space at the
        // very end of the input would be trimmed with the whitespace around it.)
        (
            format!("SAMLResponse={}&RelayState=x", b64.replace('+', " ")),
            Encoding::Form,
        ),
    ] {
        let d = decode(input.as_bytes()).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(d.encoding, encoding, "{input}");
        assert_eq!(d.xml, RESPONSE.as_bytes(), "{input}");
        assert!(!d.deflated);
    }
    let form =
        decode(format!("SAMLResponse={b64}&RelayState=%2Fvault%3Fa%3Db").as_bytes()).unwrap();
    assert_eq!(form.parameter, Some(Parameter::SamlResponse));
    assert_eq!(form.relay_state.as_deref(), Some("/vault?a=b"));
}

#[test]
fn the_redirect_binding_raw_deflate_or_zlib_and_a_whole_url() {
    let raw = Base64::encode_string(&deflate(AUTHN_REQUEST.as_bytes()));
    let wrapped = Base64::encode_string(&zlib(AUTHN_REQUEST.as_bytes()));
    for value in [&raw, &wrapped] {
        for input in [value.clone(), url_encode(value)] {
            let d = decode(input.as_bytes()).unwrap();
            assert_eq!(d.encoding, Encoding::RedirectDeflate, "{input}");
            assert!(d.deflated);
            assert_eq!(d.xml, AUTHN_REQUEST.as_bytes());
        }
    }
    let sig_alg = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    let query = format!(
        "SAMLRequest={}&RelayState={}&SigAlg={}&Signature={}",
        url_encode(&raw),
        url_encode("https://keepersecurity.com/vault/#/"),
        url_encode(sig_alg),
        url_encode("c2lnbmF0dXJl+/==")
    );
    let url = format!("https://sso.jumpcloud.com/saml2/keepersecurity?{query}#fragment");
    let d = decode(url.as_bytes()).unwrap();
    assert_eq!(d.encoding, Encoding::Url);
    assert_eq!(d.parameter, Some(Parameter::SamlRequest));
    assert!(d.deflated);
    assert_eq!(d.xml, AUTHN_REQUEST.as_bytes());
    assert_eq!(
        d.relay_state.as_deref(),
        Some("https://keepersecurity.com/vault/#/")
    );
    assert_eq!(d.sig_alg.as_deref(), Some(sig_alg));
    assert_eq!(d.signature.as_deref(), Some("c2lnbmF0dXJl+/=="));
    // The query exactly as received: a Redirect signature covers these bytes.
    assert_eq!(d.query.as_deref(), Some(query.as_str()));
    // The scheme in capitals, and plain http, are URLs too.
    let d = decode(format!("HTTP://sp.example/acs?{query}").as_bytes()).unwrap();
    assert_eq!(d.encoding, Encoding::Url);
}

#[test]
fn deflate_bombs_are_refused_while_inflating() {
    // 20 MB of one byte compresses about a thousand times: over the ratio cap long before the
    // absolute one.
    let bomb = deflate(&vec![b' '; 20_000_000]);
    assert!(bomb.len() < 100_000, "{}", bomb.len());
    let err = decode(Base64::encode_string(&bomb).as_bytes()).unwrap_err();
    assert_eq!(
        err,
        DecodeError::InflatedTooLarge {
            compressed: bomb.len(),
            limit: bomb.len() * 100
        }
    );
    assert!(err.to_string().contains("100 times"), "{err}");

    // Under the ratio cap but over 10 MB inflated: noise from 16 symbols compresses about 2:1.
    let mut state = 0x2545_f491_u32;
    let noise: Vec<u8> = (0..12_000_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            b'a' + u8::try_from(state % 16).unwrap()
        })
        .collect();
    let big = deflate(&noise);
    let b64 = Base64::encode_string(&big);
    assert!(b64.len() < MAX_MESSAGE_BYTES, "{}", b64.len());
    assert_eq!(
        decode(b64.as_bytes()).unwrap_err(),
        DecodeError::InflatedTooLarge {
            compressed: big.len(),
            limit: MAX_INFLATED_BYTES
        }
    );

    // The same caps hold inside a URL.
    let url = format!(
        "https://idp.example/sso?SAMLRequest={}",
        url_encode(&Base64::encode_string(&bomb))
    );
    assert!(matches!(
        decode(url.as_bytes()),
        Err(DecodeError::InflatedTooLarge { .. })
    ));
}

#[test]
fn what_cannot_be_decoded_says_why() {
    let raw = Base64::encode_string(&deflate(AUTHN_REQUEST.as_bytes()));
    let too_big = vec![b'A'; MAX_MESSAGE_BYTES + 1];
    for (input, expected) in [
        (&b""[..], DecodeError::Empty),
        (&b" \r\n\t "[..], DecodeError::Empty),
        (
            &too_big[..],
            DecodeError::TooLarge {
                bytes: MAX_MESSAGE_BYTES + 1,
            },
        ),
        (&b"\xff\xfe\x00garbage"[..], DecodeError::NotText),
        (&b"https://sp.example/acs"[..], DecodeError::NoMessage),
        (
            &b"https://sp.example/acs?RelayState=x"[..],
            DecodeError::NoMessage,
        ),
        (&b"not base64 at all!"[..], DecodeError::NotBase64),
        (&b"SAMLResponse=%zz"[..], DecodeError::PercentEncoding),
        (&b"SAMLResponse=abc%"[..], DecodeError::PercentEncoding),
        (&b"aGVsbG8gd29ybGQ="[..], DecodeError::NotXml), // "hello world"
    ] {
        let err = decode(input).unwrap_err();
        assert_eq!(
            err,
            expected,
            "{:?}",
            String::from_utf8_lossy(&input[..input.len().min(40)])
        );
        assert!(err.to_string().len() > 40, "{err}");
    }
    let two = format!("SAMLRequest={raw}&SAMLResponse={raw}");
    assert_eq!(
        decode(two.as_bytes()).unwrap_err(),
        DecodeError::TwoMessages
    );
    // A cut-short DEFLATE stream decodes to nothing usable.
    let cut = deflate(AUTHN_REQUEST.as_bytes());
    let cut = Base64::encode_string(&cut[..cut.len() / 2]);
    assert_eq!(decode(cut.as_bytes()).unwrap_err(), DecodeError::NotXml);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256), failure_persistence: None, ..proptest::prelude::ProptestConfig::default() })]

    /// Whatever is pasted, `decode` answers (a message or a typed error), never panics.
    #[test]
    fn anything_pasted_gets_an_answer(input in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
        let _ = decode(&input);
    }

    /// Any XML, base64-encoded, URL-encoded or in a form, decodes back to the same bytes.
    #[test]
    fn every_post_encoding_round_trips(body in "[ -~]{0,200}") {
        let xml = format!("<samlp:Response>{body}</samlp:Response>");
        let b64 = Base64::encode_string(xml.as_bytes());
        for input in [b64.clone(), url_encode(&b64), format!("SAMLResponse={}", url_encode(&b64))] {
            let decoded = decode(input.as_bytes()).unwrap();
            proptest::prop_assert_eq!(decoded.xml, xml.as_bytes());
        }
    }
}
