//! The page's Rust code in a real browser (headless Chromium via wasm-bindgen-test): the core
//! running on wasm32, and the app shell rendered into a real DOM.
//!
//! Run with `make test` (or `make test-wasm`).

#![cfg(target_arch = "wasm32")]
// Test code (clippy does not see `#[wasm_bindgen_test]` functions as tests): failing loudly is the point.
#![allow(clippy::unwrap_used, clippy::panic)]

use samlmeta::digest::Fingerprint;
use samlmeta_web::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn the_core_runs_on_wasm32() {
    assert_eq!(samlmeta::self_test(), Ok(()));
    assert_eq!(
        Fingerprint::sha256(b"abc").to_string(),
        "BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD"
    );
}

/// Lets the browser run pending tasks (Yew renders and runs effects asynchronously).
async fn settle() {
    for _ in 0..5 {
        let tick = js_sys::Promise::new(&mut |resolve, _| {
            let _ = web_sys::window()
                .unwrap()
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20);
        });
        wasm_bindgen_futures::JsFuture::from(tick).await.unwrap();
    }
}

#[wasm_bindgen_test]
async fn the_shell_renders_its_steps_and_reports_the_engine() {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    settle().await;

    let text = |selector: &str| {
        root.query_selector(selector)
            .unwrap()
            .unwrap_or_else(|| panic!("{selector} not rendered"))
            .text_content()
            .unwrap_or_default()
    };
    assert_eq!(text("h1"), "samlmeta");

    let headings = root
        .query_selector_all("main.steps section.step h2")
        .unwrap();
    let titles: Vec<String> = (0..headings.length())
        .filter_map(|i| headings.item(i))
        .map(|h| h.text_content().unwrap_or_default())
        .collect();
    assert_eq!(
        titles,
        [
            "1Certificate and key",
            "2Connector values",
            "3Metadata",
            "4Set up the connector"
        ]
    );

    assert_eq!(text(".version"), format!("samlmeta {}", samlmeta::VERSION));
    assert_eq!(text("[data-engine]"), "Self-test passed");

    // The test harness has no boot script, so the worker can't start: the page must say so
    // and carry on, not break.
    let worker = root
        .query_selector("[data-worker]")
        .unwrap()
        .unwrap()
        .dyn_into::<web_sys::HtmlElement>()
        .unwrap();
    assert_eq!(
        worker.get_attribute("data-worker").as_deref(),
        Some("unavailable")
    );
    assert!(
        worker
            .text_content()
            .unwrap_or_default()
            .contains("no boot script"),
        "{:?}",
        worker.text_content()
    );
}

/// Key pair generation as the page's worker does it: WebCrypto's key, the core's certificate
/// signed by WebCrypto, the encrypted copy; and the messages between page and worker, whose key
/// buffer is zero-filled once the page has read it.
#[wasm_bindgen_test]
async fn webcrypto_makes_a_pair_the_core_certifies_and_the_worker_messages_round_trip() {
    use js_sys::{Reflect, Uint8Array};
    use samlmeta::pki::generate::{CertificateRequest, KeySize};
    use samlmeta_web::keygen;

    let now = samlmeta::UnixTime::from_seconds(1_796_083_200); // 2026-12-01
    let request = keygen::Request {
        size: KeySize::Rsa2048,
        certificate: CertificateRequest::new("idp.example.com", now),
        passphrase: Some(zeroize::Zeroizing::new("correct horse".to_owned())),
        webcrypto: true,
    };
    assert!(keygen::webcrypto_available());

    // What the page sends is what the worker reads.
    let (token, sent) = keygen::from_message(&keygen::to_message(42, &request)).unwrap();
    assert_eq!(token, 42);
    assert_eq!(sent.size, request.size);
    assert_eq!(sent.certificate, request.certificate);
    assert_eq!(sent.passphrase.as_deref(), request.passphrase.as_deref());
    assert!(sent.webcrypto);

    let made = keygen::generate(&sent).await.unwrap();
    assert_eq!(made.engine, "WebCrypto");
    assert_eq!(made.pair.bits(), 2048);
    let cert = made.pair.certificate().clone();
    assert_eq!(cert.subject(), "CN=idp.example.com");
    let findings = samlmeta::check(
        Some(&made.pair.signing_key().public()),
        std::slice::from_ref(&cert),
        now,
    );
    assert!(findings.is_empty(), "{findings:?}");
    // The encrypted copy opens with the passphrase, as the same key.
    let encrypted = made.encrypted.clone().unwrap();
    let reopened = samlmeta::read(encrypted.as_bytes(), Some("correct horse")).unwrap();
    assert_eq!(
        reopened.key.unwrap().public_key_der(),
        made.pair.signing_key().public_key_der()
    );

    // The worker's answer, read by the page: the same pair, and the key's buffer wiped.
    let (reply, transfer) = keygen::answer_message(42, Ok(made));
    assert!(
        transfer.is_some(),
        "the key's buffer is transferred, not copied"
    );
    let key: Uint8Array = Reflect::get(&reply, &"key".into())
        .unwrap()
        .unchecked_into();
    assert!(key.to_vec().iter().any(|b| *b != 0));
    let (token, read) = keygen::read_answer(&reply).unwrap();
    assert_eq!(token, 42);
    assert_eq!(read.unwrap().pair.certificate(), &cert);
    assert!(
        key.to_vec().iter().all(|b| *b == 0),
        "zero-filled after reading"
    );

    // A failure crosses as its sentence.
    let (reply, transfer) = keygen::answer_message(7, Err("why".to_owned()));
    assert!(transfer.is_none());
    let (token, read) = keygen::read_answer(&reply).unwrap();
    assert_eq!((token, read.err()), (7, Some("why".to_owned())));
}
