//! Making a key pair in the browser: the key from WebCrypto's `generateKey`, the certificate (and
//! the encrypted copy) from the core.
//!
//! WebCrypto, not the core's own RSA key generation, by measurement (BENCHMARKS.md): it runs on
//! the browser's own thread, is faster (the core in WebAssembly took 3-5 times as long, median
//! against median, with a tail to 8.5 s at 4096 bits), and costs no bytes, while the core's generation adds 23 KB
//! gzip to the single file (its prime sieve's table of reciprocals does not compress). WebCrypto
//! exists wherever the page is a secure context: opened from disk (file://), over https, from
//! localhost, and in their `blob:` workers. Over plain http it does not, and the page says so.
//! The `wasm-keygen` feature (off in the shipped build; `make bench` uses it) adds the core's
//! generation as the fallback there.
//!
//! The same code runs in the page's worker (the normal case: the page's thread never waits) and,
//! where no worker starts, on the page itself.
//!
//! WebCrypto's key is extractable only so that it can be exported once, as PKCS#8, straight into
//! wasm memory; the exported buffer is zero-filled and the `CryptoKey` dropped.

use crate::engine::describe;
use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use samlmeta::pki::generate::{CertificateRequest, KeyPair, KeySize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use zeroize::Zeroizing;

/// Why no key can be made where the browser has no WebCrypto.
pub const NO_WEBCRYPTO: &str = "This browser makes keys only for pages opened from disk \
    (file://), over https or from localhost, and this page came over plain http. Save samlmeta.html \
    and open it from disk, or make the pair with: samlmeta keygen --cn <name> --key-out \
    private.pem --cert-out cert.pem";

/// What to make.
pub struct Request {
    /// The key size.
    pub size: KeySize,
    /// The certificate's subject and validity.
    pub certificate: CertificateRequest,
    /// A passphrase for the encrypted copy, if one is wanted.
    pub passphrase: Option<Zeroizing<String>>,
    /// Use WebCrypto for the key (false where the page has none: the worker then uses the
    /// core's generation if the build has it, else says why not).
    pub webcrypto: bool,
}

/// A pair made, with its encrypted copy.
pub struct Made {
    /// The key and certificate.
    pub pair: KeyPair,
    /// The key encrypted with the passphrase, when one was given.
    pub encrypted: Option<Zeroizing<String>>,
    /// Which engine made the key: "WebCrypto" or "WebAssembly".
    pub engine: &'static str,
}

/// True when this global scope (page or worker) has `crypto.subtle.generateKey`: secure contexts
/// only (https, localhost and file:// pages, and their `blob:` workers).
#[must_use]
pub fn webcrypto_available() -> bool {
    subtle().is_some()
}

fn subtle() -> Option<JsValue> {
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into()).ok()?;
    let subtle = Reflect::get(&crypto, &"subtle".into()).ok()?;
    let generate = Reflect::get(&subtle, &"generateKey".into()).ok()?;
    generate.is_function().then_some(subtle)
}

/// Makes the pair `request` asks for.
///
/// # Errors
/// A sentence: a value the certificate cannot hold, or why the browser made no key.
pub async fn generate(request: &Request) -> Result<Made, String> {
    request.certificate.check().map_err(|e| e.to_string())?;
    let (pair, engine) = match request.webcrypto.then(subtle).flatten() {
        Some(subtle) => (
            webcrypto_pair(&subtle, request.size.bits(), &request.certificate).await?,
            "WebCrypto",
        ),
        #[cfg(feature = "wasm-keygen")]
        None => (
            KeyPair::generate(request.size, &request.certificate).map_err(|e| e.to_string())?,
            "WebAssembly",
        ),
        #[cfg(not(feature = "wasm-keygen"))]
        None => return Err(NO_WEBCRYPTO.to_owned()),
    };
    let encrypted = match &request.passphrase {
        Some(passphrase) => Some(
            pair.encrypted_pkcs8_pem(passphrase)
                .map_err(|e| e.to_string())?,
        ),
        None => None,
    };
    Ok(Made {
        pair,
        encrypted,
        engine,
    })
}

/// An RSASSA-PKCS1-v1_5 key from WebCrypto, exported once as PKCS#8 DER into wasm memory, and
/// its certificate: built by the core, signed by WebCrypto with the same `CryptoKey` (a few
/// milliseconds, where the core's RSA in wasm takes 15-75), checked by the core. The `CryptoKey`
/// is dropped when this returns.
async fn webcrypto_pair(
    subtle: &JsValue,
    bits: u32,
    certificate: &CertificateRequest,
) -> Result<KeyPair, String> {
    let failed = |e: JsValue| {
        format!(
            "The browser could not make the key ({}). Try again.",
            describe(&e)
        )
    };
    let method = |name: &str| -> Result<Function, String> {
        Reflect::get(subtle, &name.into())
            .map_err(failed)?
            .dyn_into::<Function>()
            .map_err(failed)
    };
    let call = |promise: Result<JsValue, JsValue>| async {
        JsFuture::from(Promise::from(promise.map_err(failed)?))
            .await
            .map_err(failed)
    };
    let algorithm = Object::new();
    for (name, value) in [
        ("name", JsValue::from_str("RSASSA-PKCS1-v1_5")),
        ("modulusLength", JsValue::from(bits)),
        ("publicExponent", Uint8Array::from(&[1_u8, 0, 1][..]).into()),
        ("hash", JsValue::from_str("SHA-256")),
    ] {
        Reflect::set(&algorithm, &name.into(), &value).map_err(failed)?;
    }
    let usages = Array::of2(&"sign".into(), &"verify".into());
    let pair =
        call(method("generateKey")?.call3(subtle, &algorithm, &JsValue::TRUE, &usages)).await?;
    let private = Reflect::get(&pair, &"privateKey".into()).map_err(failed)?;
    let buffer = call(method("exportKey")?.call2(subtle, &"pkcs8".into(), &private)).await?;
    let exported = Uint8Array::new(&buffer);
    let der = Zeroizing::new(exported.to_vec());
    exported.fill(0, 0, exported.length());

    let unsigned = KeyPair::prepare(&der, certificate).map_err(|e| e.to_string())?;
    let tbs = Uint8Array::from(unsigned.to_be_signed());
    let signature =
        call(method("sign")?.call3(subtle, &"RSASSA-PKCS1-v1_5".into(), &private, &tbs)).await?;
    unsigned
        .finish(&Uint8Array::new(&signature).to_vec())
        .map_err(|e| e.to_string())
}

/// Encodes `request` for the worker: `{ kind: "keygen", token, bits, cn, org, days, now,
/// passphrase, webcrypto }`.
#[must_use]
pub fn to_message(token: u64, request: &Request) -> JsValue {
    let message = Object::new();
    let c = &request.certificate;
    #[allow(clippy::cast_precision_loss)] // tokens and times are far below 2^53
    let fields = [
        ("kind", JsValue::from_str("keygen")),
        ("token", JsValue::from(token as f64)),
        ("bits", JsValue::from(request.size.bits())),
        ("cn", JsValue::from_str(&c.common_name)),
        (
            "org",
            c.organization
                .as_deref()
                .map_or(JsValue::NULL, JsValue::from_str),
        ),
        ("days", JsValue::from(c.days)),
        ("now", JsValue::from(c.not_before.seconds() as f64)),
        (
            "passphrase",
            request
                .passphrase
                .as_ref()
                .map_or(JsValue::NULL, |p| JsValue::from_str(p)),
        ),
        ("webcrypto", JsValue::from_bool(request.webcrypto)),
    ];
    for (name, value) in fields {
        let _ = Reflect::set(&message, &name.into(), &value);
    }
    message.into()
}

/// Decodes a request made by [`to_message`]; `None` when `message` is not one.
#[must_use]
pub fn from_message(message: &JsValue) -> Option<(u64, Request)> {
    let get = |name: &str| Reflect::get(message, &name.into()).ok();
    if get("kind")?.as_string()? != "keygen" {
        return None;
    }
    let number = |name: &str| get(name).and_then(|v| v.as_f64());
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let (token, bits, days, now) = (
        number("token")? as u64,
        number("bits")? as u32,
        number("days")? as u32,
        number("now")? as i64,
    );
    let mut certificate = CertificateRequest::new(
        get("cn")?.as_string()?,
        samlmeta::UnixTime::from_seconds(now),
    );
    certificate.organization = get("org").and_then(|v| v.as_string());
    certificate.days = days;
    Some((
        token,
        Request {
            size: KeySize::from_bits(bits)?,
            certificate,
            passphrase: get("passphrase")
                .and_then(|v| v.as_string())
                .map(Zeroizing::new),
            webcrypto: get("webcrypto").and_then(|v| v.as_bool()).unwrap_or(true),
        },
    ))
}

/// The worker's answer: `{ kind: "keygen", token, ok: true, key, cert, encrypted, engine }` with
/// the key's buffer to transfer (so no copy stays in the worker), or `{ ..., ok: false, value }`.
#[must_use]
pub fn answer_message(token: u64, made: Result<Made, String>) -> (JsValue, Option<Array>) {
    let reply = Object::new();
    let set = |name: &str, value: &JsValue| {
        let _ = Reflect::set(&reply, &name.into(), value);
    };
    set("kind", &"keygen".into());
    #[allow(clippy::cast_precision_loss)]
    set("token", &JsValue::from(token as f64));
    let transfer = match made.and_then(|made| {
        let key = made.pair.private_key_der().map_err(|e| e.to_string())?;
        Ok((made, key))
    }) {
        Ok((made, key)) => {
            let key = Uint8Array::from(key.as_slice());
            set("ok", &JsValue::TRUE);
            set("key", &key);
            set(
                "cert",
                &Uint8Array::from(made.pair.certificate().der()).into(),
            );
            set(
                "encrypted",
                &made
                    .encrypted
                    .as_ref()
                    .map_or(JsValue::NULL, |p| JsValue::from_str(p)),
            );
            set("engine", &made.engine.into());
            Some(Array::of1(&key.buffer()))
        }
        Err(why) => {
            set("ok", &JsValue::FALSE);
            set("value", &why.into());
            None
        }
    };
    (reply.into(), transfer)
}

/// Reads the worker's answer on the page: the token and the pair (key bytes copied into wasm,
/// the transferred buffer zero-filled), or why there is none. `None` when `message` is not a
/// key generation answer.
#[must_use]
pub fn read_answer(message: &JsValue) -> Option<(u64, Result<Made, String>)> {
    let get = |name: &str| Reflect::get(message, &name.into()).ok();
    if get("kind")?.as_string()? != "keygen" {
        return None;
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let token = get("token")?.as_f64()? as u64;
    if get("ok")?.as_bool() != Some(true) {
        let why = get("value")
            .and_then(|v| v.as_string())
            .unwrap_or_else(|| "The key pair could not be made.".to_owned());
        return Some((token, Err(why)));
    }
    let bytes = |name: &str| get(name).and_then(|v| v.dyn_into::<Uint8Array>().ok());
    let (Some(key), Some(cert)) = (bytes("key"), bytes("cert")) else {
        return Some((
            token,
            Err("The worker sent an incomplete key pair.".to_owned()),
        ));
    };
    let der = Zeroizing::new(key.to_vec());
    key.fill(0, 0, key.length());
    let made = KeyPair::from_der(&der, &cert.to_vec())
        .map_err(|e| e.to_string())
        .map(|pair| Made {
            pair,
            encrypted: get("encrypted")
                .and_then(|v| v.as_string())
                .map(Zeroizing::new),
            engine: match get("engine").and_then(|v| v.as_string()).as_deref() {
                Some("WebCrypto") => "WebCrypto",
                _ => "WebAssembly",
            },
        });
    Some((token, made))
}
