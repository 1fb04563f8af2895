//! Building and signing IdP metadata, for 2048/3072/4096-bit keys (natively).
//! `make bench`, or `cargo bench -p samlmeta --bench sign`.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use samlmeta::dsig::signed_idp_xml;
use samlmeta::metadata::IdpMetadata;
use std::hint::black_box;

fn read(name: &str) -> samlmeta::Contents {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    samlmeta::read(&std::fs::read(path).expect("fixture"), None).expect(name)
}

fn sign(c: &mut Criterion) {
    let mut group = c.benchmark_group("build+sign IdP metadata");
    for (bits, key_file, cert_file) in [
        (2048, "pkcs8.pem", "cert.pem"),
        (3072, "rsa3072.key.pem", "rsa3072.cert.pem"),
        (4096, "rsa4096.key.pem", "rsa4096.cert.pem"),
    ] {
        let key = read(key_file).key.expect("key");
        let cert = read(cert_file).certificates.remove(0);
        let mut md = IdpMetadata::jumpcloud("KeeperSSO", cert, "keepersecurity");
        md.display_name = Some("Keeper Security".to_owned());
        group.bench_function(format!("RSA {bits}"), |b| {
            b.iter(|| {
                signed_idp_xml(black_box(&md), &key, "_0123456789abcdef0123456789abcdef").unwrap()
            });
        });
    }
    group.bench_function("unsigned", |b| {
        let md = IdpMetadata::jumpcloud(
            "KeeperSSO",
            read("cert.pem").certificates.remove(0),
            "keepersecurity",
        );
        b.iter(|| samlmeta::metadata::idp_xml(black_box(&md)).unwrap());
    });
    group.finish();
}

criterion_group!(benches, sign);
criterion_main!(benches);
