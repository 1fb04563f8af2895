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

    let headings = root.query_selector_all("section.step h2").unwrap();
    let titles: Vec<String> = (0..headings.length())
        .filter_map(|i| headings.item(i))
        .map(|h| h.text_content().unwrap_or_default())
        .collect();
    assert_eq!(
        titles,
        ["1Certificate and key", "2Connector values", "3Metadata"]
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
