//! How long reading each kind of key file takes (natively; the page's figures are in
//! BENCHMARKS.md). `make bench`, or `cargo bench -p samlmeta --bench read`.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

const PASS: &str = "correct horse battery staple";

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(path).expect("fixture")
}

fn read(c: &mut Criterion) {
    let mut group = c.benchmark_group("read");
    for (name, pass) in [
        ("cert.pem", None),
        ("pkcs1.pem", None),
        ("pkcs8.pem", None),
        ("encrypted-pbkdf2.pem", Some(PASS)),
        ("encrypted-scrypt.pem", Some(PASS)),
        ("bundle-aes.p12", Some(PASS)),
        ("bundle-3des.pfx", Some(PASS)),
    ] {
        let bytes = fixture(name);
        // Fail loudly here rather than benchmark an error path.
        samlmeta::read(&bytes, pass).expect(name);
        group.bench_function(name, |b| {
            b.iter(|| samlmeta::read(black_box(&bytes), pass).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, read);
criterion_main!(benches);
