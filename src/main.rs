//! Entry point of the page's WebAssembly module.
//!
//! The same module runs in two places: on the page, where it renders the app, and in the
//! background worker the page starts from a `blob:` URL, where it answers the page's requests.

fn main() {
    if samlmeta_web::engine::is_worker() {
        samlmeta_web::engine::serve_worker();
        return;
    }
    samlmeta_web::browser::install_panic_banner();
    samlmeta_web::browser::start_page();
}
