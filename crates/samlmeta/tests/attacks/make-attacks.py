#!/usr/bin/env python3
"""Makes the verifier attack corpus: one file per public family of XML-signature attacks on SAML,
and the positive controls beside them, with manifest.json naming each file's expected verdict and
refusal. The files are checked in; `crates/samlmeta/tests/attacks.rs` (the core) and the CLI's
tests read them. Run this again only to change them:

    crates/samlmeta/tests/attacks/make-attacks.py

Needs python3 (standard library only) and the real xmlsec1, which signs every document that
starts from a genuine signature. The keys are the fixtures `make-fixtures.sh` made with openssl:
`pkcs8.pem`/`cert.pem` is the trusted IdP, `other.key.pem`/`other.cert.pem` the attacker. RSA
PKCS#1 v1.5 signatures are deterministic, so a second run writes the same bytes.
"""

import base64
import json
import os
import random
import subprocess
import tempfile
import urllib.parse
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "fixtures"

MD = "urn:oasis:names:tc:SAML:2.0:metadata"
PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol"
ASSERTION = "urn:oasis:names:tc:SAML:2.0:assertion"
DS = "http://www.w3.org/2000/09/xmldsig#"
EXC = "http://www.w3.org/2001/10/xml-exc-c14n#"
EXC_COMMENTS = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
XPATH = "http://www.w3.org/TR/1999/REC-xpath-19991116"
XSLT = "http://www.w3.org/TR/1999/REC-xslt-19991116"
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
RSA_SHA1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
HMAC_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
SHA1 = "http://www.w3.org/2000/09/xmldsig#sha1"

manifest = []


def signature(uri, c14n=EXC, transforms=(ENVELOPED, EXC), method=RSA_SHA256, digest=SHA256):
    """An empty ds:Signature template for xmlsec1 --sign."""
    parts = []
    for t in transforms:
        if t == XPATH:
            parts.append(
                f'<ds:Transform Algorithm="{t}"><ds:XPath>not(ancestor-or-self::ds:Signature)'
                "</ds:XPath></ds:Transform>"
            )
        else:
            parts.append(f'<ds:Transform Algorithm="{t}"/>')
    return (
        f'<ds:Signature xmlns:ds="{DS}"><ds:SignedInfo>'
        f'<ds:CanonicalizationMethod Algorithm="{c14n}"/>'
        f'<ds:SignatureMethod Algorithm="{method}"/>'
        f'<ds:Reference URI="{uri}"><ds:Transforms>{"".join(parts)}</ds:Transforms>'
        f'<ds:DigestMethod Algorithm="{digest}"/><ds:DigestValue/></ds:Reference>'
        "</ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo>"
        "</ds:Signature>"
    )


def cert_base64(name):
    pem = (FIXTURES / name).read_text()
    body = pem.split("-----BEGIN CERTIFICATE-----")[1].split("-----END CERTIFICATE-----")[0]
    return "".join(body.split())


def metadata(sig="", entity_id="KeeperSSO", extensions="", organization=""):
    """IdP metadata in the shape samlmeta and JumpCloud write."""
    return (
        f'<md:EntityDescriptor xmlns:md="{MD}" ID="_attack_md" entityID="{entity_id}">\n'
        f"{sig}\n{extensions}"
        f'<md:IDPSSODescriptor WantAuthnRequestsSigned="false" '
        f'protocolSupportEnumeration="{PROTOCOL}">\n'
        f'<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="{DS}"><ds:X509Data>'
        f'<ds:X509Certificate>{cert_base64("cert.pem")}</ds:X509Certificate></ds:X509Data>'
        "</ds:KeyInfo></md:KeyDescriptor>\n"
        "<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>\n"
        '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" '
        'Location="https://sso.jumpcloud.com/saml2/keepersecurity"/>\n'
        f"</md:IDPSSODescriptor>\n{organization}</md:EntityDescriptor>\n"
    )


def assertion(sig="", id_="_attack_assertion", name_id="alice@example.com"):
    return (
        f'<saml:Assertion ID="{id_}" Version="2.0" IssueInstant="2026-12-01T00:00:00Z">\n'
        f"<saml:Issuer>KeeperSSO</saml:Issuer>\n{sig}\n"
        "<saml:Subject><saml:NameID "
        'Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">'
        f"{name_id}</saml:NameID></saml:Subject>\n"
        "</saml:Assertion>\n"
    )


def response(body, sig="", id_="_attack_resp", status_detail=""):
    return (
        f'<samlp:Response xmlns:samlp="{PROTOCOL}" xmlns:saml="{ASSERTION}" ID="{id_}" '
        'Version="2.0" IssueInstant="2026-12-01T00:00:00Z" '
        'Destination="https://sso.example.com/sso-connect/saml/sso">\n'
        f"<saml:Issuer>KeeperSSO</saml:Issuer>\n{sig}\n"
        '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/>'
        f"{status_detail}</samlp:Status>\n{body}</samlp:Response>\n"
    )


def xmlsec1_sign(template, key="pkcs8.pem", cert="cert.pem"):
    with tempfile.NamedTemporaryFile("w", suffix=".xml", delete=False) as f:
        f.write(template)
        path = f.name
    try:
        out = subprocess.run(
            [
                "xmlsec1", "--sign",
                "--privkey-pem", f"{FIXTURES / key},{FIXTURES / cert}",
                "--id-attr:ID", f"{MD}:EntityDescriptor",
                "--id-attr:ID", f"{PROTOCOL}:Response",
                "--id-attr:ID", f"{ASSERTION}:Assertion",
                path,
            ],
            check=True, capture_output=True, text=True,
        )
    finally:
        os.unlink(path)
    return out.stdout


def between(text, start, end):
    a = text.index(start)
    b = text.index(end, a) + len(end)
    return text[a:b]


def write(name, content, **expected):
    data = content.encode() if isinstance(content, str) else content
    (HERE / name).write_bytes(data)
    manifest.append({"file": name, **expected})


def expect(name, **expected):
    """Another expectation for a file already written (other trust or options)."""
    manifest.append({"file": name, **expected})


# ---- Positive controls: genuine signatures that must verify -------------------------------------
signed_md = xmlsec1_sign(metadata(signature("#_attack_md")))
write("control-metadata.xml", signed_md, family="positive control",
      via="verify", trust="cert.pem", verdict="valid")
signed_md_comment = xmlsec1_sign(metadata(
    signature("#_attack_md"),
    organization='<md:Organization><md:OrganizationName xml:lang="en">Example<!-- a comment in '
                 'signed content is dropped by canonicalization --> Inc</md:OrganizationName>'
                 '<md:OrganizationDisplayName xml:lang="en">Example Inc</md:OrganizationDisplayName>'
                 '<md:OrganizationURL xml:lang="en">https://example.com</md:OrganizationURL>'
                 "</md:Organization>\n"))
write("control-comment-in-signed-content.xml", signed_md_comment, family="positive control",
      via="verify", trust="cert.pem", verdict="valid")
signed_assertion = xmlsec1_sign(response(assertion(signature("#_attack_assertion"))))
write("control-response-assertion-signed.xml", signed_assertion, family="positive control",
      via="verify", trust="cert.pem", verdict="valid")
signed_response = xmlsec1_sign(response(assertion(), sig=signature("#_attack_resp")))
write("control-response-signed.xml", signed_response, family="positive control",
      via="verify", trust="cert.pem", verdict="valid")
sha1_md = xmlsec1_sign(metadata(signature("#_attack_md", method=RSA_SHA1, digest=SHA1)))
write("sha1.xml", sha1_md, family="positive control", via="verify", trust="cert.pem",
      allow_sha1=True, verdict="valid")

# ---- Values read two ways: comments and extra parts inside the signature -------------------------
sig_block = between(signed_md, "<ds:Signature", "</ds:Signature>")
evil_md = signed_md.replace('entityID="KeeperSSO"', 'entityID="https://evil.example"', 1)
digest = between(signed_md, "<ds:DigestValue>", "</ds:DigestValue>")
digest_text = digest[len("<ds:DigestValue>"):-len("</ds:DigestValue>")]
write("digestvalue-comment.xml",
      evil_md.replace(digest, f"<ds:DigestValue><!--{digest_text}-->{digest_text}</ds:DigestValue>", 1),
      family="comment inside DigestValue", source="xml-crypto CVE-2025-29775",
      via="verify", trust="cert.pem", verdict="refused", refusal="comment-in-signature")
# The attacker's own SignedInfo (digest of the altered document, signed by nobody trusted)
# placed before the genuine one, whose signature value still verifies.
evil_signed = xmlsec1_sign(metadata(signature("#_attack_md"), entity_id="https://evil.example"),
                           key="other.key.pem", cert="other.cert.pem")
evil_signed_info = between(evil_signed, "<ds:SignedInfo>", "</ds:SignedInfo>")
write("signedinfo-twice.xml",
      evil_md.replace("<ds:SignedInfo>", evil_signed_info + "<ds:SignedInfo>", 1),
      family="two SignedInfo", source="xml-crypto CVE-2025-29774",
      via="verify", trust="cert.pem", verdict="refused", refusal="malformed")
# ruby-saml took the first DigestValue anywhere in the document: one with the digest of the
# altered assertion, placed earlier than the signature, in StatusDetail.
evil_assertion_signed = xmlsec1_sign(
    response(assertion(signature("#_attack_assertion"), name_id="mallory@evil.example")),
    key="other.key.pem", cert="other.cert.pem")
evil_digest = between(evil_assertion_signed, "<ds:DigestValue>", "</ds:DigestValue>")
tampered = signed_assertion.replace("alice@example.com", "mallory@evil.example", 1)
write("digestvalue-outside-signedinfo.xml",
      tampered.replace(
          '"/></samlp:Status>',
          f'"/><samlp:StatusDetail xmlns:ds="{DS}">{evil_digest}</samlp:StatusDetail></samlp:Status>', 1),
      family="second DigestValue outside SignedInfo", source="ruby-saml CVE-2024-45409",
      via="verify", trust="cert.pem", verdict="altered")
write("object-wrapping.xml",
      signed_md.replace("</ds:KeyInfo></ds:Signature>",
                        "</ds:KeyInfo><ds:Object>" + metadata(entity_id="https://evil.example")
                        .replace('ID="_attack_md"', 'ID="_moved"') + "</ds:Object></ds:Signature>", 1),
      family="content wrapped in ds:Object", source="XSW (Somorovsky et al., 2012)",
      via="verify", trust="cert.pem", verdict="refused", refusal="object")

# ---- Signatures moved away from what they sign ---------------------------------------------------
resp_sig = between(signed_response, "<ds:Signature", "</ds:Signature>")
moved = signed_response.replace(resp_sig, "", 1).replace(
    '"/></samlp:Status>', f'"/><samlp:StatusDetail>{resp_sig}</samlp:StatusDetail></samlp:Status>', 1)
write("signature-in-statusdetail.xml", moved,
      family="signature moved into StatusDetail", source="ruby-saml CVE-2024-45409",
      via="verify", trust="cert.pem", verdict="refused", refusal="not-on-signed-element")
write("signature-in-extensions.xml",
      signed_md.replace(sig_block, "", 1).replace(
          "<md:IDPSSODescriptor", f"<md:Extensions>{sig_block}</md:Extensions><md:IDPSSODescriptor", 1),
      family="signature moved into Extensions", source="XSW (Somorovsky et al., 2012)",
      via="verify", trust="cert.pem", verdict="not-on-root", refusal="not-on-root")
write("two-signatures.xml", signed_md.replace(sig_block, sig_block + sig_block, 1),
      family="two signatures on metadata", source="SAML metadata: exactly one, on the root",
      via="verify", trust="cert.pem", verdict="refused", refusal="multiple-signatures")
entity = signed_md[signed_md.index("<md:EntityDescriptor"):].strip()
write("xsw-metadata-moved-signature.xml",
      f'<md:EntityDescriptor xmlns:md="{MD}" ID="_evil" entityID="https://evil.example">{sig_block}'
      f"<md:Extensions>{entity.replace(sig_block, '', 1)}</md:Extensions></md:EntityDescriptor>\n",
      family="XSW: new root carrying the signature", source="XSW (Somorovsky et al., 2012)",
      via="verify", trust="cert.pem", verdict="refused", refusal="not-on-signed-element")
write("xsw-metadata-signed-entity-inside-aggregate.xml",
      f'<md:EntitiesDescriptor xmlns:md="{MD}" ID="_aggregate">{entity}'
      '<md:EntityDescriptor entityID="https://evil.example"/></md:EntitiesDescriptor>\n',
      family="XSW: signed entity inside an unsigned aggregate", source="XSW (Somorovsky et al., 2012)",
      via="verify", trust="cert.pem", verdict="not-on-root", refusal="not-on-root")

# ---- Signature wrapping on a Response (the signed assertion stays intact) ------------------------
signed_a = between(signed_assertion, "<saml:Assertion", "</saml:Assertion>")
evil_a = assertion(id_="_evil", name_id="mallory@evil.example").strip()
def with_assertions(body):
    return signed_assertion.replace(signed_a, body, 1)
write("xsw-evil-assertion-before.xml", with_assertions(evil_a + signed_a),
      family="XSW: evil assertion before the signed one", source="XSW (Somorovsky et al., 2012)",
      via="verify", trust="cert.pem", verdict="partly-unsigned")
write("xsw-evil-assertion-after.xml", with_assertions(signed_a + evil_a),
      family="XSW: evil assertion after the signed one", source="XSW (Somorovsky et al., 2012)",
      via="verify", trust="cert.pem", verdict="partly-unsigned")
write("xsw-evil-assertion-around.xml",
      with_assertions(evil_a.replace("<saml:Subject>", f"<saml:Advice>{signed_a}</saml:Advice><saml:Subject>", 1)),
      family="XSW: signed assertion tucked inside the evil one", source="XSW (Somorovsky et al., 2012)",
      via="verify", trust="cert.pem", verdict="partly-unsigned")
write("xsw-duplicate-id.xml",
      with_assertions(evil_a.replace('ID="_evil"', 'ID="_attack_assertion"', 1) + signed_a),
      family="XSW: two elements with the signed ID", source="XSW (Somorovsky et al., 2012)",
      via="verify", trust="cert.pem", error="duplicate-id")
inner = signed_response[signed_response.index("<samlp:Response"):].strip()
write("xsw-signed-response-inside-evil.xml",
      f'<samlp:Response xmlns:samlp="{PROTOCOL}" xmlns:saml="{ASSERTION}" ID="_evil_resp" '
      'Version="2.0" IssueInstant="2026-12-01T00:00:00Z"><saml:Issuer>KeeperSSO</saml:Issuer>'
      f"<samlp:Extensions>{inner}</samlp:Extensions>"
      '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>'
      f"{evil_a}</samlp:Response>\n",
      family="XSW: signed Response hidden in the evil one's Extensions", source="XSW (Somorovsky et al., 2012)",
      via="verify", trust="cert.pem", verdict="refused", refusal="unexpected-signed-element")

# ---- What a Reference, a transform and an algorithm may be ---------------------------------------
write("reference-uri-empty.xml", xmlsec1_sign(metadata(signature(""))),
      family='Reference URI="" (the whole document)', source="SAML core 5.4.2",
      via="verify", trust="cert.pem", verdict="refused", refusal="reference-uri")
write("c14n-with-comments.xml", xmlsec1_sign(metadata(signature("#_attack_md", c14n=EXC_COMMENTS))),
      family="#WithComments canonicalization", source="comment truncation (CVE-2017-11427 family)",
      via="verify", trust="cert.pem", verdict="refused", refusal="canonicalization")
write("transform-with-comments.xml",
      xmlsec1_sign(metadata(signature("#_attack_md", transforms=(ENVELOPED, EXC_COMMENTS)))),
      family="#WithComments transform", source="comment truncation (CVE-2017-11427 family)",
      via="verify", trust="cert.pem", verdict="refused", refusal="transforms")
write("transform-xpath.xml", xmlsec1_sign(metadata(signature("#_attack_md", transforms=(XPATH, EXC)))),
      family="XPath transform", source="XMLDSig best practices (W3C Note, 2013) 2.1",
      via="verify", trust="cert.pem", verdict="refused", refusal="transforms")
write("transform-xslt.xml",
      signed_md.replace(f'<ds:Transform Algorithm="{ENVELOPED}"/>',
                        f'<ds:Transform Algorithm="{XSLT}"><xsl:stylesheet '
                        'xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="1.0">'
                        '<xsl:template match="/"><xsl:copy-of select="document(\'file:///etc/passwd\')"/>'
                        "</xsl:template></xsl:stylesheet></ds:Transform>", 1),
      family="XSLT transform", source="XMLDSig best practices (W3C Note, 2013) 2.1.3",
      via="verify", trust="cert.pem", verdict="refused", refusal="transforms")
write("transforms-missing.xml",
      signed_md.replace(between(signed_md, "<ds:Transforms>", "</ds:Transforms>"), "", 1),
      family="no transforms (inclusive C14N by default)", source="XMLDSig 1.1 4.4.3.2",
      via="verify", trust="cert.pem", verdict="refused", refusal="transforms")
# HMAC keyed with the public certificate's bytes: key confusion, if a verifier let the document
# choose the algorithm.
import hashlib, hmac  # noqa: E402
hmac_md = signed_md.replace(f'<ds:SignatureMethod Algorithm="{RSA_SHA256}"/>',
                            f'<ds:SignatureMethod Algorithm="{HMAC_SHA256}"/>', 1)
sv = between(hmac_md, "<ds:SignatureValue>", "</ds:SignatureValue>")
mac = base64.b64encode(hmac.new(cert_base64("cert.pem").encode(), b"SignedInfo", hashlib.sha256).digest()).decode()
write("hmac-signature-method.xml",
      hmac_md.replace(sv, f"<ds:SignatureValue>{mac}</ds:SignatureValue>", 1),
      family="HMAC signature method (key confusion)", source="CVE-2017-11428 family; XMLDSig 6.3",
      via="verify", trust="cert.pem", verdict="refused", refusal="signature-algorithm")
expect("sha1.xml", family="SHA-1 without --allow-sha1", source="SHA-1 collisions (SHAttered, 2017)",
       via="verify", trust="cert.pem", verdict="refused", refusal="sha1")

# ---- Parser tricks ------------------------------------------------------------------------------
body = signed_md[signed_md.index("<md:EntityDescriptor"):]
write("doctype-attlist.xml",
      '<?xml version="1.0"?>\n<!DOCTYPE md:EntityDescriptor [\n'
      '  <!ATTLIST md:EntityDescriptor ID ID #IMPLIED>\n'
      '  <!ATTLIST ds:Signature xmlns:ds CDATA "http://www.w3.org/2000/09/xmldsig#">\n]>\n' + body,
      family="DOCTYPE with ATTLIST", source="ruby-saml CVE-2025-25291",
      via="verify", trust="cert.pem", error="doctype")
write("entity-billion-laughs.xml",
      '<?xml version="1.0"?>\n<!DOCTYPE md:EntityDescriptor [\n  <!ENTITY a "lol">\n'
      + "".join(f'  <!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(9))
      + ']>\n' + body.replace('entityID="KeeperSSO"', 'entityID="&j;"', 1),
      family="billion laughs (entity expansion)", source="CVE-2003-1564",
      via="verify", trust="cert.pem", error="doctype")
write("entity-external.xml",
      '<?xml version="1.0"?>\n<!DOCTYPE md:EntityDescriptor [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
      + body.replace("</md:NameIDFormat>", "&xxe;</md:NameIDFormat>", 1),
      family="external entity (XXE)", source="OWASP XXE",
      via="verify", trust="cert.pem", error="doctype")
write("entity-undeclared.xml", signed_md.replace("</md:NameIDFormat>", "&xxe;</md:NameIDFormat>", 1),
      family="undeclared entity", source="XML 1.0 4.1 (well-formedness: entity declared)",
      via="verify", trust="cert.pem", error="malformed-xml")
write("namespace-zero-width.xml",
      signed_md.replace(f'xmlns:ds="{DS}"', f'xmlns:ds="{DS}\u200b"', 1),
      family="namespace URI with an odd code point (a look-alike ds namespace)",
      source="ruby-saml CVE-2025-25292",
      via="verify", trust="cert.pem", verdict="unsigned")
write("namespace-forbidden-char.xml",
      signed_md.replace(f'xmlns:ds="{DS}"', f'xmlns:ds="{DS}&#xFFFE;"', 1),
      family="namespace URI with a code point XML forbids", source="ruby-saml CVE-2025-25292",
      via="verify", trust="cert.pem", error="malformed-xml")

# ---- Canonicalization and values that yield nothing: fail closed ---------------------------------
write("digestvalue-empty.xml", signed_md.replace(digest, "<ds:DigestValue></ds:DigestValue>", 1),
      family="empty DigestValue", source="fail closed (xml-crypto CVE-2024-32962 family)",
      via="verify", trust="cert.pem", verdict="altered")
write("signaturevalue-empty.xml",
      signed_md.replace(between(signed_md, "<ds:SignatureValue>", "</ds:SignatureValue>"),
                        "<ds:SignatureValue></ds:SignatureValue>", 1),
      family="empty SignatureValue", source="fail closed",
      via="verify", trust="cert.pem", verdict="other-signer")
write("signedinfo-empty.xml",
      signed_md.replace(between(signed_md, "<ds:SignedInfo>", "</ds:SignedInfo>"), "<ds:SignedInfo/>", 1),
      family="empty SignedInfo", source="fail closed",
      via="verify", trust="cert.pem", verdict="refused", refusal="malformed")
write("c14n-unknown-algorithm.xml",
      signed_md.replace(f'<ds:CanonicalizationMethod Algorithm="{EXC}"/>',
                        '<ds:CanonicalizationMethod Algorithm="urn:example:no-such-c14n"/>', 1),
      family="canonicalization the verifier does not know", source="fail closed",
      via="verify", trust="cert.pem", verdict="refused", refusal="canonicalization")

# ---- Who signed: a certificate only KeyInfo vouches for ------------------------------------------
keyinfo_md = xmlsec1_sign(metadata(signature("#_attack_md")), key="other.key.pem", cert="other.cert.pem")
write("keyinfo-certificate-only.xml", keyinfo_md,
      family="a certificate only KeyInfo vouches for", source="xml-crypto CVE-2024-32962",
      via="verify", trust="cert.pem", verdict="other-signer")
expect("keyinfo-certificate-only.xml", family="a certificate only KeyInfo vouches for",
       source="xml-crypto CVE-2024-32962", via="verify", trust="embedded",
       verdict="signer-not-authenticated")

# ---- The login check: comment truncation, DEFLATE bombs, oversize input --------------------------
truncation = xmlsec1_sign(response(assertion(signature("#_attack_assertion"),
                                             name_id="alice@example.com.evil.example")))
write("nameid-comment-truncation.xml",
      truncation.replace("alice@example.com.evil.example", "alice@example.com<!---->.evil.example", 1),
      family="comment inside a signed NameID (read whole, never cut at the comment)",
      source="Duo Labs 2018: CVE-2017-11427, CVE-2017-11428, CVE-2018-0489",
      via="check", trust="cert.pem", verdict="valid", name_id="alice@example.com.evil.example")
def redirect(raw_deflate):
    value = urllib.parse.quote(base64.b64encode(raw_deflate).decode(), safe="")
    return f"https://sso.jumpcloud.com/saml2/keepersecurity?SAMLRequest={value}&RelayState=x\n"
def deflate(data):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()
write("redirect-deflate-bomb-ratio.txt",
      redirect(deflate(b'<samlp:AuthnRequest xmlns:samlp="' + PROTOCOL.encode() + b'">' + b" " * 5_000_000)),
      family="Redirect-binding DEFLATE bomb (ratio)", source="ruby-saml CVE-2025-25293",
      via="check", error="inflated-too-large")
rng = random.Random(2025)
noise = bytes(rng.getrandbits(8) for _ in range(120_000))
write("redirect-deflate-bomb-size.txt", redirect(deflate(noise + b" " * 12_000_000)),
      family="Redirect-binding DEFLATE bomb (over 10 MB inflated, under the ratio)",
      source="ruby-saml CVE-2025-54572",
      via="check", error="inflated-too-large")
write("message-oversize.txt", b"PHNhbWxwOlJlc3BvbnNl" * (10 * 1024 * 1024 // 20 + 1),
      family="oversize input before decoding", source="ruby-saml CVE-2025-54572",
      via="check", error="too-large")

(HERE / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
print(f"{len(manifest)} cases, {len(set(m['file'] for m in manifest))} files in {HERE}")
