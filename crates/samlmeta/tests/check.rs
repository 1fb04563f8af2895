//! Captured Responses checked against the connector: made here, signed by the real xmlsec1
//! (the Response, the Assertion, both, or neither), then damaged the ways logins fail.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // test code

mod common;

use common::{cert, xmlsec1_sign};
use samlmeta::dsig::verify::{Options, Trust, Verdict};
use samlmeta::message::{
    CheckError, Expectations, ProblemCode, ResponseCheck, check_response, decode,
};
use samlmeta::{Severity, UnixTime};

const IDP: &str = "KeeperSSO";
const SP: &str = "https://keepersecurity.com/api/rest/sso/saml/459561502469";
const ACS: &str = "https://keepersecurity.com/api/rest/sso/saml/sso/459561502469";

fn now() -> UnixTime {
    UnixTime::parse_rfc3339("2026-12-01T10:01:00Z").unwrap()
}

fn keeper() -> Expectations {
    Expectations {
        idp_entity_id: Some(IDP.to_owned()),
        sp_entity_id: Some(SP.to_owned()),
        acs_url: Some(ACS.to_owned()),
        keeper: true,
        ..Expectations::default()
    }
}

/// What a login's Response says; each test changes one thing.
#[derive(Clone)]
struct Login {
    issuer: &'static str,
    destination: &'static str,
    status: &'static str,
    audience: &'static str,
    recipient: &'static str,
    name_id: &'static str,
    attributes: &'static [(&'static str, &'static str)],
    sign_response: bool,
    sign_assertion: bool,
}

const GOOD: Login = Login {
    issuer: IDP,
    destination: ACS,
    status: r#"<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/>"#,
    audience: SP,
    recipient: ACS,
    name_id: "ada@example.com",
    attributes: &[
        ("Email", "ada@example.com"),
        ("First", "Ada"),
        ("Last", "Lovelace"),
    ],
    sign_response: true,
    sign_assertion: true,
};

fn template(id: &str) -> String {
    format!(
        r##"<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="#{id}"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature>"##
    )
}

fn assertion(l: &Login, id: &str, with_template: bool) -> String {
    let attributes: String = l
        .attributes
        .iter()
        .map(|(n, v)| {
            format!(r#"<saml:Attribute Name="{n}"><saml:AttributeValue>{v}</saml:AttributeValue></saml:Attribute>"#)
        })
        .collect();
    format!(
        r#"<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{id}" Version="2.0" IssueInstant="2026-12-01T10:00:00Z"><saml:Issuer>{issuer}</saml:Issuer>{sig}<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{name_id}</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="2026-12-01T10:05:00Z" Recipient="{recipient}"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="2026-12-01T09:59:00Z" NotOnOrAfter="2026-12-01T10:05:00Z"><saml:AudienceRestriction><saml:Audience>{audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AttributeStatement>{attributes}</saml:AttributeStatement></saml:Assertion>"#,
        issuer = l.issuer,
        sig = if with_template {
            template(id)
        } else {
            String::new()
        },
        name_id = l.name_id,
        recipient = l.recipient,
        audience = l.audience,
    )
}

fn response(l: &Login, inner: &str, with_template: bool) -> String {
    format!(
        r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_resp" Version="2.0" IssueInstant="2026-12-01T10:00:00Z" Destination="{destination}" InResponseTo="_req1"><saml:Issuer>{issuer}</saml:Issuer>{sig}<samlp:Status>{status}</samlp:Status>{inner}</samlp:Response>"#,
        destination = l.destination,
        issuer = l.issuer,
        sig = if with_template {
            template("_resp")
        } else {
            String::new()
        },
        status = l.status,
    )
}

/// The login signed as asked: the Assertion first, then the Response around it.
fn signed(l: &Login) -> String {
    let mut xml = response(l, &assertion(l, "_a1", l.sign_assertion), false);
    if l.sign_assertion {
        xml = String::from_utf8(xmlsec1_sign(xml.as_bytes(), "pkcs8.pem", "cert.pem")).unwrap();
    }
    if l.sign_response {
        let status = xml.find("<samlp:Status>").unwrap();
        xml.insert_str(status, &template("_resp"));
        xml = String::from_utf8(xmlsec1_sign(xml.as_bytes(), "pkcs8.pem", "cert.pem")).unwrap();
    }
    xml
}

fn trusted() -> Options {
    Options::new(Trust::Certificate(Box::new(cert("cert.pem"))))
}

fn check_with(xml: &str, options: &Options, expected: &Expectations) -> ResponseCheck {
    check_response(
        &decode(xml.as_bytes()).unwrap(),
        options,
        expected,
        now(),
        180,
    )
    .unwrap()
}

fn codes(c: &ResponseCheck) -> Vec<(&'static str, Severity)> {
    c.problems
        .iter()
        .map(|p| (p.code.as_str(), p.severity))
        .collect()
}

#[test]
fn a_good_login_signed_both_ways_has_no_problem_and_every_value_is_signed() {
    let xml = signed(&GOOD);
    let c = check_with(&xml, &trusted(), &keeper());
    assert_eq!(c.verdict, Verdict::Valid);
    assert!(c.is_response && c.response_signed);
    assert_eq!(codes(&c), [], "{:#?}", c.problems);
    let a = &c.assertions[0];
    assert!(a.signed);
    assert_eq!(a.name_id.as_ref().unwrap().value, "ada@example.com");
    assert!(a.name_id.as_ref().unwrap().signed);
    assert_eq!(a.audiences[0].value, SP);
    assert_eq!(a.attributes.len(), 3);
    assert_eq!(c.response.destination.as_ref().unwrap().value, ACS);
    assert_eq!(c.response.in_response_to.as_ref().unwrap().value, "_req1");

    // The same bytes as JumpCloud posts them: base64 in a form body.
    let b64 = <base64ct::Base64 as base64ct::Encoding>::encode_string(xml.as_bytes());
    let form = format!(
        "SAMLResponse={}&RelayState=x",
        b64.replace('+', "%2B").replace('=', "%3D")
    );
    let decoded = decode(form.as_bytes()).unwrap();
    let c = check_response(&decoded, &trusted(), &keeper(), now(), 180).unwrap();
    assert_eq!(codes(&c), []);
}

/// The signed/unsigned map of each element, by local name, in document order.
fn map_of(c: &ResponseCheck) -> Vec<(String, usize, bool)> {
    c.map
        .entries
        .iter()
        .map(|e| {
            let local = e.name.rsplit(':').next().unwrap_or_default().to_owned();
            (local, e.depth, e.signed)
        })
        .collect()
}

#[test]
fn the_map_marks_exactly_what_a_good_signature_covers() {
    let assertion_only = check_with(
        &signed(&Login {
            sign_response: false,
            ..GOOD
        }),
        &trusted(),
        &keeper(),
    );
    let map = map_of(&assertion_only);
    let signed_of = |name: &str| {
        map.iter()
            .filter(|(n, _, _)| n == name)
            .map(|(_, _, s)| *s)
            .collect::<Vec<_>>()
    };
    assert_eq!(map[0], ("Response".to_owned(), 0, false));
    // The Response's Issuer and Status are outside the signed Assertion; its own are inside.
    assert_eq!(signed_of("Issuer"), [false, true]);
    assert_eq!(signed_of("Status"), [false]);
    assert_eq!(signed_of("Assertion"), [true]);
    assert_eq!(signed_of("NameID"), [true]);
    // A signature's inside is not listed.
    assert!(signed_of("SignedInfo").is_empty());
    assert!(
        map.iter()
            .all(|(_, depth, _)| *depth <= samlmeta::message::MAP_DEPTH)
    );

    let both = check_with(&signed(&GOOD), &trusted(), &keeper());
    assert!(
        both.map.entries.iter().all(|e| e.signed),
        "{:?}",
        map_of(&both)
    );

    let altered = signed(&GOOD).replace(
        "ada@example.com</saml:NameID>",
        "eve@example.com</saml:NameID>",
    );
    let altered = check_with(&altered, &trusted(), &keeper());
    assert!(
        altered.map.entries.iter().all(|e| !e.signed),
        "{:?}",
        map_of(&altered)
    );
}

#[test]
fn what_is_signed_decides_response_not_signed_and_unsigned() {
    // Assertion only: Keeper expects the Response signed.
    let assertion_only = signed(&Login {
        sign_response: false,
        ..GOOD
    });
    let c = check_with(&assertion_only, &trusted(), &keeper());
    assert!(!c.response_signed && c.assertions[0].signed);
    assert_eq!(codes(&c), [("response-not-signed", Severity::Error)]);
    let generic = Expectations {
        keeper: false,
        ..keeper()
    };
    let c = check_with(&assertion_only, &trusted(), &generic);
    assert_eq!(codes(&c), [("response-not-signed", Severity::Warning)]);

    // Response only: the assertion is covered by the Response's signature.
    let c = check_with(
        &signed(&Login {
            sign_assertion: false,
            ..GOOD
        }),
        &trusted(),
        &keeper(),
    );
    assert!(c.response_signed && c.assertions[0].signed);
    assert_eq!(codes(&c), []);

    // Neither: one problem, every value marked unsigned and no check passed or failed on them.
    let c = check_with(
        &signed(&Login {
            sign_assertion: false,
            sign_response: false,
            issuer: "https://evil.example",
            ..GOOD
        }),
        &trusted(),
        &keeper(),
    );
    assert_eq!(c.verdict, Verdict::Unsigned);
    assert_eq!(codes(&c), [("unsigned", Severity::Error)]);
    assert!(!c.assertions[0].issuer.as_ref().unwrap().signed);
    assert!(c.problems[0].message.contains("Sign"));
}

#[test]
fn values_that_do_not_match_the_connector_say_what_to_change() {
    let cases: Vec<(Login, &str, &str)> = vec![
        (
            Login {
                audience: "https://keepersecurity.com/api/rest/sso/saml/1",
                ..GOOD
            },
            "audience-mismatch",
            "SP Entity ID",
        ),
        (
            Login {
                issuer: "keepersso",
                ..GOOD
            },
            "issuer-mismatch",
            "Only the case differs",
        ),
        (
            Login {
                recipient: "https://keepersecurity.com/api/rest/sso/saml/459561502469",
                ..GOOD
            },
            "recipient-mismatch",
            "ACS URL",
        ),
        (
            Login {
                destination: "https://keepersecurity.com/sso",
                ..GOOD
            },
            "destination-mismatch",
            "ACS URL",
        ),
        (
            Login {
                name_id: "ada",
                ..GOOD
            },
            "nameid-not-email",
            "email",
        ),
        (
            Login {
                attributes: &[
                    ("email", "ada@example.com"),
                    ("First", "Ada"),
                    ("Last", "L"),
                ],
                ..GOOD
            },
            "attribute-missing",
            "only the case differs",
        ),
        (
            Login {
                status: r#"<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:AuthnFailed"/></samlp:StatusCode>"#,
                ..GOOD
            },
            "status-not-success",
            "AuthnFailed",
        ),
    ];
    for (login, code, says) in cases {
        let c = check_with(&signed(&login), &trusted(), &keeper());
        let found: Vec<&str> = c.problems.iter().map(|p| p.code.as_str()).collect();
        assert!(found.contains(&code), "{code}: {found:?}");
        let p = c.problems.iter().find(|p| p.code.as_str() == code).unwrap();
        assert!(p.message.contains(says), "{code}: {}", p.message);
        assert!(c.has_errors(), "{code}");
    }
    // First and Last missing are warnings; Email missing is an error.
    let c = check_with(
        &signed(&Login {
            attributes: &[("Email", "ada@example.com")],
            ..GOOD
        }),
        &trusted(),
        &keeper(),
    );
    assert_eq!(
        codes(&c),
        [
            ("attribute-missing", Severity::Warning),
            ("attribute-missing", Severity::Warning)
        ]
    );
    assert!(!c.has_errors());
}

#[test]
fn the_clock_with_its_skew() {
    let xml = signed(&GOOD);
    let decoded = decode(xml.as_bytes()).unwrap();
    let at = |t: &str, skew| {
        let c = check_response(
            &decoded,
            &trusted(),
            &keeper(),
            UnixTime::parse_rfc3339(t).unwrap(),
            skew,
        )
        .unwrap();
        c.problems.iter().map(|p| p.code).collect::<Vec<_>>()
    };
    assert_eq!(at("2026-12-01T09:57:00Z", 180), []);
    assert_eq!(at("2026-12-01T09:55:00Z", 180), [ProblemCode::NotYetValid]);
    assert_eq!(at("2026-12-01T10:07:59Z", 180), []);
    // Conditions and SubjectConfirmationData both end at 10:05.
    assert_eq!(
        at("2026-12-01T10:08:00Z", 180),
        [ProblemCode::Expired, ProblemCode::Expired]
    );
    assert_eq!(
        at("2026-12-01T10:05:00Z", 0),
        [ProblemCode::Expired, ProblemCode::Expired]
    );
    let c = check_response(
        &decoded,
        &trusted(),
        &keeper(),
        UnixTime::parse_rfc3339("2026-12-01T11:05:00Z").unwrap(),
        180,
    )
    .unwrap();
    assert!(
        c.problems[0].message.contains("3600 seconds"),
        "{}",
        c.problems[0].message
    );
}

#[test]
fn signatures_that_fail_and_signers_that_differ() {
    let xml = signed(&GOOD);
    // Altered after signing.
    let altered = xml.replacen(
        "ada@example.com</saml:NameID>",
        "eve@example.com</saml:NameID>",
        1,
    );
    let c = check_with(&altered, &trusted(), &keeper());
    assert_eq!(c.problems[0].code, ProblemCode::SignatureInvalid);
    // Checked against another certificate.
    let other = Options::new(Trust::Certificate(Box::new(cert("other.cert.pem"))));
    let c = check_with(&xml, &other, &keeper());
    assert_eq!(c.problems[0].code, ProblemCode::SignerMismatch);
    // No certificate given: intact, signer not authenticated (a warning).
    let c = check_with(&xml, &Options::new(Trust::Embedded), &keeper());
    assert_eq!(codes(&c), [("signer-not-authenticated", Severity::Warning)]);
}

#[test]
fn a_second_assertion_is_reported_and_its_values_never_count() {
    // Signature wrapping: an unsigned assertion for another user placed before the signed one.
    let xml = signed(&Login {
        sign_response: false,
        ..GOOD
    });
    let evil = assertion(
        &Login {
            name_id: "eve@example.com",
            ..GOOD
        },
        "_evil",
        false,
    );
    let wrapped = xml.replacen("<saml:Assertion", &format!("{evil}<saml:Assertion"), 1);
    let c = check_with(&wrapped, &trusted(), &keeper());
    let found: Vec<&str> = c.problems.iter().map(|p| p.code.as_str()).collect();
    assert!(found.contains(&"multiple-assertions"), "{found:?}");
    assert!(found.contains(&"unsigned"), "{found:?}");
    let evil = c
        .assertions
        .iter()
        .find(|a| a.id.as_deref() == Some("_evil"))
        .unwrap();
    assert!(!evil.signed && !evil.name_id.as_ref().unwrap().signed);
    let real = c
        .assertions
        .iter()
        .find(|a| a.id.as_deref() == Some("_a1"))
        .unwrap();
    assert!(real.signed);
    assert_eq!(real.name_id.as_ref().unwrap().value, "ada@example.com");
}

#[test]
fn a_bare_assertion_and_what_is_not_a_response() {
    let l = Login {
        sign_response: false,
        ..GOOD
    };
    let bare = assertion(&l, "_a1", true);
    let bare = String::from_utf8(xmlsec1_sign(bare.as_bytes(), "pkcs8.pem", "cert.pem")).unwrap();
    let c = check_with(&bare, &trusted(), &keeper());
    assert!(!c.is_response);
    assert_eq!(codes(&c), []);

    let request = r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_q" Version="2.0" IssueInstant="2026-12-01T10:00:00Z"/>"#;
    let err = check_response(
        &decode(request.as_bytes()).unwrap(),
        &trusted(),
        &keeper(),
        now(),
        180,
    )
    .unwrap_err();
    assert_eq!(
        err,
        CheckError::NotAResponse {
            found: "samlp:AuthnRequest".to_owned()
        }
    );
    assert!(err.to_string().contains("not a SAML Response"));
}

const REQUEST: &str = r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_req1" Version="2.0" IssueInstant="2026-12-01T10:00:00Z" Destination="https://sso.jumpcloud.com/saml2/keepersecurity" AssertionConsumerServiceURL="ACS_URL"><saml:Issuer>ISSUER</saml:Issuer>SIGNATURE<samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"/></samlp:AuthnRequest>"#;

fn request(acs: &str, issuer: &str, signed: bool) -> String {
    let xml = REQUEST
        .replace("ACS_URL", acs)
        .replace("ISSUER", issuer)
        .replace(
            "SIGNATURE",
            &if signed {
                template("_req1")
            } else {
                String::new()
            },
        );
    if signed {
        String::from_utf8(xmlsec1_sign(xml.as_bytes(), "pkcs8.pem", "cert.pem")).unwrap()
    } else {
        xml
    }
}

fn jumpcloud_keeper() -> Expectations {
    Expectations {
        idp_sso_url: Some("https://sso.jumpcloud.com/saml2/keepersecurity".to_owned()),
        ..keeper()
    }
}

#[test]
fn an_authn_request_is_held_against_the_sp_side_of_the_connector() {
    use samlmeta::message::{RequestKind, check_request};
    // Unsigned, as SPs send them to JumpCloud: no problem, the values read.
    let xml = request(ACS, SP, false);
    let c = check_request(
        &decode(xml.as_bytes()).unwrap(),
        &trusted(),
        &jumpcloud_keeper(),
    )
    .unwrap();
    assert_eq!(c.kind, RequestKind::AuthnRequest);
    assert_eq!(c.verdict, Verdict::Unsigned);
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    assert_eq!(c.acs_url.as_ref().unwrap().value, ACS);
    assert_eq!(c.issuer.as_ref().unwrap().value, SP);

    // Another ACS URL, an issuer differing in case, sent to another IdP URL.
    let xml = request(
        "https://keepersecurity.com/api/rest/sso/saml/sso/1",
        &SP.to_uppercase(),
        false,
    )
    .replace("saml2/keepersecurity", "saml2/keeper");
    let c = check_request(
        &decode(xml.as_bytes()).unwrap(),
        &trusted(),
        &jumpcloud_keeper(),
    )
    .unwrap();
    let found: Vec<&str> = c.problems.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(
        found,
        [
            "issuer-mismatch",
            "acs-url-mismatch",
            "destination-mismatch"
        ]
    );
    assert!(c.problems[0].message.contains("Only the case differs"));

    // Signed by the SP: verified against the SP's certificate; another key is a mismatch.
    let xml = request(ACS, SP, true);
    let decoded = decode(xml.as_bytes()).unwrap();
    let c = check_request(&decoded, &trusted(), &jumpcloud_keeper()).unwrap();
    assert_eq!(c.verdict, Verdict::Valid);
    let other = Options::new(Trust::Certificate(Box::new(cert("other.cert.pem"))));
    let c = check_request(&decoded, &other, &jumpcloud_keeper()).unwrap();
    assert_eq!(c.problems[0].code, ProblemCode::SignerMismatch);
    // Checked through `check` with an IdP's metadata certificates: they never vouch for a
    // request, so only the embedded certificate is used.
    let idp_metadata = Options::new(Trust::AnyOf(vec![cert("cert.pem")]));
    match samlmeta::message::check(&decoded, &idp_metadata, &jumpcloud_keeper(), now(), 180) {
        Ok(samlmeta::message::Checked::Request(c)) => {
            assert_eq!(c.verdict, Verdict::SignerNotAuthenticated);
        }
        other => panic!("{other:?}"),
    }

    // From a Redirect-binding URL with its signature: present, not verified.
    let b64 =
        <base64ct::Base64 as base64ct::Encoding>::encode_string(request(ACS, SP, false).as_bytes());
    let url = format!(
        "https://sso.jumpcloud.com/saml2/keepersecurity?SAMLRequest={}&SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23rsa-sha256&Signature=AAAA",
        b64.replace('+', "%2B")
            .replace('/', "%2F")
            .replace('=', "%3D")
    );
    let c = check_request(
        &decode(url.as_bytes()).unwrap(),
        &trusted(),
        &jumpcloud_keeper(),
    )
    .unwrap();
    assert_eq!(
        c.redirect_signature.as_deref(),
        Some("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256")
    );

    // A logout response reads its status; metadata is not a message checked here.
    let logout = r#"<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_l" Version="2.0" IssueInstant="2026-12-01T10:00:00Z"><saml:Issuer>KeeperSSO</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:LogoutResponse>"#;
    let c = check_request(
        &decode(logout.as_bytes()).unwrap(),
        &trusted(),
        &Expectations::default(),
    )
    .unwrap();
    assert_eq!(c.kind, RequestKind::LogoutResponse);
    assert!(c.status.unwrap().value.ends_with(":Success"));
    let md =
        r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>"#;
    assert!(matches!(
        check_request(&decode(md.as_bytes()).unwrap(), &trusted(), &keeper()),
        Err(CheckError::UnknownKind { .. })
    ));
}

fn connector() -> samlmeta::connector::ConnectorValues {
    samlmeta::connector::ConnectorValues {
        idp_entity_id: IDP.to_owned(),
        idp_url_suffix: "keepersecurity".to_owned(),
        sp_entity_id: SP.to_owned(),
        acs_url: ACS.to_owned(),
        ..Default::default()
    }
}

#[test]
fn metadata_is_read_and_compared_with_the_connector() {
    use samlmeta::message::check_metadata;
    let values = connector();
    let mut expected = Expectations::from_connector(&values);
    expected.certificate = Some(cert("cert.pem").sha256_fingerprint());
    let md = values.idp_metadata(cert("cert.pem"));
    let xml = samlmeta::metadata::idp_xml(&md).unwrap();

    // What the builder makes, as JumpCloud exports it (unsigned): nothing differs.
    let c = check_metadata(&xml, &Options::new(Trust::Embedded), &expected, now()).unwrap();
    assert_eq!(c.verdict, Verdict::Unsigned);
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    let idp = &c.entities[0];
    assert_eq!(idp.entity_id, IDP);
    assert_eq!(idp.roles, ["IDPSSODescriptor"]);
    assert_eq!(
        idp.endpoints[0].location,
        "https://sso.jumpcloud.com/saml2/keepersecurity"
    );
    assert_eq!(
        idp.certificates[0].sha256,
        cert("cert.pem").sha256_fingerprint()
    );
    assert!(idp.certificates[0].days_left > 0);

    // Signed: verified against the given certificate; another one is a signer mismatch.
    let signed =
        samlmeta::dsig::signed_idp_xml(&md, &common::key("pkcs8.pem", None), "_md").unwrap();
    let c = check_metadata(&signed, &trusted(), &expected, now()).unwrap();
    assert_eq!(c.verdict, Verdict::Valid);
    let other = Options::new(Trust::Certificate(Box::new(cert("other.cert.pem"))));
    let c = check_metadata(&signed, &other, &expected, now()).unwrap();
    assert_eq!(c.problems[0].code, ProblemCode::SignerMismatch);

    // Against other connector values: each difference, with its code.
    let mut differs = expected.clone();
    differs.idp_entity_id = Some("keepersso".to_owned());
    differs.idp_sso_url = Some("https://sso.jumpcloud.com/saml2/keeper".to_owned());
    differs.certificate = Some(cert("other.cert.pem").sha256_fingerprint());
    differs
        .bindings
        .push(samlmeta::metadata::Binding::HttpRedirect);
    let c = check_metadata(&xml, &Options::new(Trust::Embedded), &differs, now()).unwrap();
    let found: Vec<&str> = c.problems.iter().map(|p| p.code.as_str()).collect();
    for code in [
        "entity-id-mismatch",
        "sso-url-mismatch",
        "certificate-mismatch",
        "binding-mismatch",
    ] {
        assert!(found.contains(&code), "{code}: {found:?}");
    }
    assert!(
        c.problems
            .iter()
            .any(|p| p.message.contains("Only the case differs"))
    );

    // An expired certificate is an error; one expiring soon a warning.
    let expired = values.idp_metadata(cert("expired.pem"));
    let xml = samlmeta::metadata::idp_xml(&expired).unwrap();
    let c = check_metadata(
        &xml,
        &Options::new(Trust::Embedded),
        &Expectations::default(),
        now(),
    )
    .unwrap();
    assert_eq!(c.problems[0].code, ProblemCode::CertExpired);
    let soon = UnixTime::from_seconds(cert("cert.pem").not_after().seconds() - 10 * 86_400);
    let xml = samlmeta::metadata::idp_xml(&md).unwrap();
    let c = check_metadata(
        &xml,
        &Options::new(Trust::Embedded),
        &Expectations::default(),
        soon,
    )
    .unwrap();
    assert_eq!(c.problems[0].code, ProblemCode::CertExpiring);
}

#[test]
fn an_encrypted_assertion_is_said_to_be_unreadable_here() {
    let xml = response(
        &GOOD,
        r#"<saml:EncryptedAssertion><xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#"/></saml:EncryptedAssertion>"#,
        true,
    );
    let signed = String::from_utf8(xmlsec1_sign(xml.as_bytes(), "pkcs8.pem", "cert.pem")).unwrap();
    let c = check_with(&signed, &trusted(), &keeper());
    assert!(c.response_signed);
    assert!(c.assertions[0].encrypted);
    assert_eq!(codes(&c), [("encrypted-assertion", Severity::Warning)]);
    assert!(c.problems[0].message.contains("SP's private key"));
}

#[test]
fn a_refused_signature_carries_the_verifiers_refusal_code() {
    let xml = signed(&Login {
        sign_response: false,
        ..GOOD
    })
    .replacen(r##"URI="#_a1""##, r#"URI="""#, 1);
    let c = check_with(&xml, &trusted(), &keeper());
    let refused = c
        .problems
        .iter()
        .find(|p| p.code == ProblemCode::Refused)
        .unwrap();
    assert_eq!(refused.severity, Severity::Error);
    assert!(refused.refusal.is_some(), "{refused:?}");
    assert!(
        !c.assertions[0].signed,
        "a refused signature covers nothing"
    );
}
