//! Verification: exclusive C14N + SHA-256 throughput, and full verification of a signed ~8 MB
//! metadata aggregate (thousands of entities), beside `xmlsec1 --verify` on the same file in the
//! same run. `make bench`, or `cargo bench -p samlmeta --bench verify`.
//!
//! The aggregate is built from our own unsigned IdP metadata and signed once by xmlsec1
//! (not timed), so both verifiers check a signature neither of them made.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use samlmeta::digest::sha256;
use samlmeta::dsig::verify::{Options, Trust, verify};
use samlmeta::metadata::IdpMetadata;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;

const TARGET_BYTES: usize = 8_000_000;
const MD: &str = "urn:oasis:names:tc:SAML:2.0:metadata";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// An `md:EntitiesDescriptor` of about 8 MB, signed by xmlsec1; (path, entity count).
fn signed_aggregate(cert: &samlmeta::Certificate) -> (PathBuf, usize) {
    let mut body = String::with_capacity(TARGET_BYTES + 10_000);
    let mut count = 0;
    while body.len() < TARGET_BYTES {
        let mut md = IdpMetadata::jumpcloud(
            &format!("https://idp{count}.example.com/saml"),
            cert.clone(),
            &format!("tenant{count}"),
        );
        md.display_name = Some(format!("Tenant {count}"));
        let xml = String::from_utf8(samlmeta::metadata::idp_xml(&md).unwrap()).unwrap();
        let start = xml.find("<md:EntityDescriptor").unwrap();
        body.push_str("\n  ");
        body.push_str(xml[start..].trim_end());
        count += 1;
    }
    let template = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <md:EntitiesDescriptor xmlns:md=\"{MD}\" ID=\"_aggregate\" Name=\"bench\">\n  \
         <ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo>\
         <ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>\
         <ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/>\
         <ds:Reference URI=\"#_aggregate\"><ds:Transforms>\
         <ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>\
         <ds:Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/></ds:Transforms>\
         <ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><ds:DigestValue/>\
         </ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo>\
         </ds:Signature>{body}\n</md:EntitiesDescriptor>\n"
    );
    let dir = std::env::temp_dir();
    let template_path = dir.join(format!(
        "samlmeta-bench-{}-template.xml",
        std::process::id()
    ));
    let signed_path = dir.join(format!("samlmeta-bench-{}-signed.xml", std::process::id()));
    std::fs::write(&template_path, template).unwrap();
    let keys = format!(
        "{},{}",
        fixture("pkcs8.pem").display(),
        fixture("cert.pem").display()
    );
    let status = Command::new("xmlsec1")
        .args(["--sign", "--privkey-pem", &keys, "--id-attr:ID"])
        .arg(format!("{MD}:EntitiesDescriptor"))
        .arg("--output")
        .arg(&signed_path)
        .arg(&template_path)
        .status()
        .expect("xmlsec1 (make test installs it)");
    assert!(status.success(), "xmlsec1 --sign");
    let _ = std::fs::remove_file(&template_path);
    (signed_path, count)
}

fn bench(c: &mut Criterion) {
    let cert = samlmeta::read(&std::fs::read(fixture("cert.pem")).unwrap(), None)
        .unwrap()
        .certificates
        .remove(0);
    let (path, entities) = signed_aggregate(&cert);
    let xml = std::fs::read(&path).unwrap();
    let options = Options::new(Trust::Certificate(Box::new(cert)));
    assert!(verify(&xml, &options).unwrap().verdict.is_valid());
    eprintln!(
        "aggregate: {} bytes, {entities} entities, signed by xmlsec1",
        xml.len()
    );

    let mut group = c.benchmark_group("verify");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(xml.len() as u64));
    group.bench_function("parse + exc-c14n + SHA-256 of the 8 MB aggregate", |b| {
        b.iter(|| sha256(&samlmeta::xml::c14n::exclusive(black_box(&xml), None, &[]).unwrap()));
    });
    group.bench_function("samlmeta verify (parse, c14n, digest, RSA)", |b| {
        b.iter(|| verify(black_box(&xml), &options).unwrap());
    });
    group.bench_function("xmlsec1 --verify (process, same file)", |b| {
        b.iter(|| {
            let status = Command::new("xmlsec1")
                .args(["--verify", "--id-attr:ID"])
                .arg(format!("{MD}:EntitiesDescriptor"))
                .arg("--trusted-pem")
                .arg(fixture("cert.pem"))
                .arg(&path)
                .output()
                .unwrap()
                .status;
            assert!(status.success());
        });
    });
    group.finish();

    // Our signed IdP metadata: the size the page verifies after every signing.
    let md = IdpMetadata::jumpcloud(
        "KeeperSSO",
        samlmeta::read(&std::fs::read(fixture("cert.pem")).unwrap(), None)
            .unwrap()
            .certificates
            .remove(0),
        "keepersecurity",
    );
    let key = samlmeta::read(&std::fs::read(fixture("pkcs8.pem")).unwrap(), None)
        .unwrap()
        .key
        .unwrap();
    let small = samlmeta::dsig::signed_idp_xml(&md, &key, "_bench").unwrap();
    let mut group = c.benchmark_group("verify");
    group.throughput(Throughput::Bytes(small.len() as u64));
    group.bench_function("samlmeta verify, one signed IdP metadata", |b| {
        b.iter(|| verify(black_box(&small), &options).unwrap());
    });
    group.finish();
    let _ = std::fs::remove_file(&path);
}

criterion_group!(benches, bench);
criterion_main!(benches);
