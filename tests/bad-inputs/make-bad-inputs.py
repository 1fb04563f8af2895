#!/usr/bin/env python3
"""Makes the bad-input corpus: files an admin may drop on the wrong input, damaged or hostile
files, and settings and messages that must be refused. `manifest.json` lists each file with the
input ("slot") it is given to and the typed error expected (its stable code), with a phrase of
the plain-words message. The files are checked in; the core's, the CLI's and the page's tests
read them. Run this again only to change them:

    tests/bad-inputs/make-bad-inputs.py

Needs python3 (standard library only), the real openssl, and ssh-keygen (for an OpenSSH key). Files that start from a key or
certificate use the core's fixtures (crates/samlmeta/tests/fixtures, made with openssl).

Slots: "certificate" and "key" (step 1 of the page, `samlmeta idp --cert/--key`), "sp-metadata"
(the page's "SP metadata", `samlmeta sp --sp-metadata`), "metadata" (`samlmeta verify`),
"message" (`samlmeta check`), "settings" (the page's settings import, `samlmeta idp --settings`).
"passphrase" is given with the file where one is. "page": true marks the files the page's
end-to-end test drops on its inputs.
"""

import json
import os
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parents[1] / "crates" / "samlmeta" / "tests" / "fixtures"
PASS = "correct horse battery staple"
manifest = []


def fixture(name):
    return (FIXTURES / name).read_bytes()


def openssl(*args, stdin=None):
    return subprocess.run(["openssl", *args], input=stdin, check=True, capture_output=True).stdout


def write(name, data, slot, error, says, **extra):
    if isinstance(data, str):
        data = data.encode()
    (HERE / name).write_bytes(data)
    manifest.append({"file": name, "slot": slot, "error": error, "says": says, **extra})


cert_pem = fixture("cert.pem").decode()
key_pem = fixture("pkcs8.pem").decode()
lines = cert_pem.splitlines(keepends=True)

# ---- PEM and DER damage ------------------------------------------------------------------------
write("truncated-cert.pem", "".join(lines[: len(lines) // 2]), "certificate", "malformed-pem",
      "is damaged", page=True)
write("truncated-key.pem", "".join(key_pem.splitlines(keepends=True)[:10]), "key", "malformed-pem",
      "is damaged", page=True)
write("wrong-armour.pem", cert_pem.replace("-----END CERTIFICATE-----", "-----END PRIVATE KEY-----"),
      "certificate", "malformed-pem", "is damaged")
write("base64-garbage.pem", "-----BEGIN CERTIFICATE-----\nThis is not base64 at all!!\n"
      "-----END CERTIFICATE-----\n", "certificate", "malformed-pem", "is damaged")
write("der-trailing-bytes.der", fixture("cert.der") + b"\x00\x01trailing", "certificate",
      "malformed-certificate", "damaged")
write("random.bin", fixture("random.bin"), "key", "unrecognized", "not a key or certificate")
write("empty.pem", b"", "certificate", "empty", "The file is empty", page=True)
write("whitespace-only.pem", b" \n\t\r\n", "key", "empty", "The file is empty")
write("oversize.pem", b"-" * (1024 * 1024 + 1), "certificate", "too-large", "bytes are read",
      page=True)
write("utf16-cert.pem", fixture("cert-utf16.pem"), "certificate", "utf-16", "UTF-16", page=True)

# ---- Encrypted keys ----------------------------------------------------------------------------
write("wrong-passphrase.pem", fixture("encrypted-pbkdf2.pem"), "key", "wrong-passphrase",
      "does not unlock", passphrase="not the passphrase")
write("passphrase-missing.pem", fixture("encrypted-pbkdf2.pem"), "key", "passphrase-needed",
      "protected by a passphrase")
aria = openssl("pkcs8", "-topk8", "-v2", "aria-256-cbc", "-passout", f"pass:{PASS}",
               "-in", str(FIXTURES / "pkcs8.pem"))
write("pbes2-aria.pem", aria, "key", "unsupported-encryption", "not supported", passphrase=PASS,
      page=True)
# scrypt with r raised from 8 to 127: N * r * 128 bytes = 254 MiB of memory to decrypt.
scrypt = openssl("pkcs8", "-topk8", "-scrypt", "-scrypt_N", "16384", "-scrypt_r", "8",
                 "-scrypt_p", "1", "-passout", f"pass:{PASS}", "-outform", "DER",
                 "-in", str(FIXTURES / "pkcs8.pem"))
params = bytes.fromhex("020240000201080201 01".replace(" ", ""))
assert scrypt.count(params) == 1, "the scrypt parameters are where expected"
write("scrypt-costly.der", scrypt.replace(params, bytes.fromhex("0202400002017f020101")), "key",
      "too-costly", "refused", passphrase=PASS)
write("pbkdf2-huge-iterations.pem", fixture("encrypted-pbkdf2-huge-iterations.pem"), "key",
      "too-costly", "refused", passphrase=PASS)
write("legacy-encrypted-pkcs1.pem", fixture("legacy-encrypted-pkcs1.pem"), "key",
      "legacy-pem-encryption", "legacy PEM encryption")
write("p12-wrong-passphrase.p12", fixture("bundle-aes.p12"), "key", "wrong-passphrase",
      "does not unlock", passphrase="not the passphrase")
write("p12-huge-iterations.p12", fixture("bundle-huge-iterations.p12"), "key", "too-costly",
      "refused", passphrase=PASS)

# ---- Keys samlmeta does not sign with ----------------------------------------------------------
write("ec-p256.pem", fixture("ec-p256.pkcs8.pem"), "key", "unsupported-key", "signed with RSA",
      page=True)
write("ed25519.pem", fixture("ed25519.pem"), "key", "unsupported-key", "signed with RSA")
write("dsa.pem", fixture("dsa.pem"), "key", "unsupported-key", "signed with RSA")
write("rsa1024.key.pem", fixture("rsa1024.key.pem"), "key", "key-too-small", "2048",
      certificate="rsa1024.cert.pem")
write("several-keys.pem", key_pem + fixture("other.key.pem").decode(), "key", "several-keys",
      "private keys")
with tempfile.TemporaryDirectory() as tmp:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "admin@laptop",
                    "-f", f"{tmp}/id_ed25519"], check=True)
    openssh = Path(f"{tmp}/id_ed25519").read_text()
write("openssh-private-key", openssh, "key", "openssh-key", "OpenSSH private key", page=True)
write("id_rsa.pub", "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 admin@laptop\n", "key",
      "unrecognized", "SSH public key")
write("putty.ppk", "PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\nComment: rsa-key\n", "key",
      "unrecognized", "PuTTY")

# ---- The right file in the wrong input ---------------------------------------------------------
write("csr.pem", fixture("csr.pem"), "key", "not-a-key", "not a private key")
write("public-key.pem", fixture("public-key.pem"), "key", "not-a-key", "not a private key",
      page=True)
write("chain-in-key-slot.pem", fixture("chain-reversed.pem"), "key", "not-a-key",
      "not a private key")
write("cert-in-key-slot.pem", cert_pem, "key", "not-a-key", "Put it in the certificate slot",
      page=True)
write("key-in-cert-slot.pem", key_pem, "certificate", "no-certificate",
      "Put it in the private key slot", page=True)
write("csr-in-cert-slot.pem", fixture("csr.pem"), "certificate", "no-certificate",
      "not a certificate")
p7b = openssl("crl2pkcs7", "-nocrl", "-certfile", str(FIXTURES / "cert.pem"))
write("bundle.p7b", p7b, "certificate", "pkcs7", "PKCS#7")
write("document.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n", "certificate",
      "unrecognized", "PDF")
write("archive.zip", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 20, "certificate",
      "unrecognized", "ZIP")
write("metadata-in-cert-slot.xml", '<?xml version="1.0"?>\n<md:EntityDescriptor '
      'xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="KeeperSSO"/>\n', "certificate",
      "unrecognized", "XML")

# ---- XML: SP metadata, and metadata to verify --------------------------------------------------
laughs = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
          + "".join(f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
                    for i in range(1, 10))
          + ']>\n<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
            'entityID="&lol9;"><md:SPSSODescriptor protocolSupportEnumeration='
            '"urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>\n')
write("billion-laughs.xml", laughs, "sp-metadata", "doctype", "DOCTYPE", page=True)
write("external-entity.xml", '<?xml version="1.0"?>\n<!DOCTYPE md [<!ENTITY xxe SYSTEM '
      '"file:///etc/passwd">]>\n<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
      'entityID="&xxe;"/>\n', "sp-metadata", "doctype", "DOCTYPE")
write("deep-nesting.xml", '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
      'entityID="https://sp.example.com">' + "<x>" * 300 + "</x>" * 300 + "</md:EntityDescriptor>\n",
      "sp-metadata", "too-deep", "nested more than 256")
write("idp-metadata-in-sp-slot.xml", '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
      'entityID="KeeperSSO"><md:IDPSSODescriptor protocolSupportEnumeration='
      '"urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>\n', "sp-metadata",
      "not-sp-metadata", "not a service provider", page=True)
write("sp-metadata-utf16.xml", '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
      'entityID="https://sp.example.com"/>\n'.encode("utf-16"), "sp-metadata", "not-utf8",
      "not UTF-8")
write("sp-metadata-no-entity-id.xml", '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">'
      '<md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/>'
      "</md:EntityDescriptor>\n", "sp-metadata", "no-entity-id", "entityID")
write("sp-metadata-truncated.xml", '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
      'entityID="https://sp.example.com"><md:SPSSODescriptor', "sp-metadata", "malformed-xml",
      "not well-formed")
signed = (HERE.parents[1] / "crates" / "samlmeta" / "tests" / "attacks" / "control-metadata.xml").read_text()
write("duplicate-ids.xml", signed.replace("<md:IDPSSODescriptor ", '<md:IDPSSODescriptor ID="_attack_md" ', 1),
      "metadata", "duplicate-id", "Two elements have the ID")
sig = signed[signed.index("<ds:Signature"):signed.index("</ds:Signature>") + len("</ds:Signature>")]
write("two-signatures.xml", signed.replace(sig, sig + sig, 1), "metadata", "multiple-signatures",
      "exactly one signature")
write("pem-as-metadata.xml", cert_pem, "metadata", "malformed-xml", "not well-formed")

# ---- Settings files ----------------------------------------------------------------------------
write("settings-holding-a-key.json", json.dumps({
    "samlmeta-settings": 1, "idp-entity-id": "KeeperSSO", "idp-url-suffix": "keepersecurity",
    "notes": key_pem}, indent=2) + "\n", "settings", "holds-key", "holds a private key", page=True)
write("settings-newer-format.json", '{"samlmeta-settings": 7, "idp-entity-id": "KeeperSSO"}\n',
      "settings", "newer-format", "newer samlmeta", page=True)
write("settings-not-json.json", '{"samlmeta-settings": 1, "idp-entity-id": KeeperSSO}\n',
      "settings", "not-json", "not valid JSON")
write("settings-not-settings.json", '{"name": "something else"}\n', "settings", "not-settings",
      "not samlmeta settings")
write("settings-deep.json", '{"samlmeta-settings": 1, "x": ' + "[" * 100 + "]" * 100 + "}\n",
      "settings", "not-json", "not valid JSON")

# ---- Captured messages -------------------------------------------------------------------------
write("message-not-base64.txt", "SAMLResponse value: PHNhbWxwOlJlc3Bvbn!!!\n", "message",
      "not-base64", "not base64")
write("message-two-responses.txt", "SAMLResponse=PHNhbWxwOlJlc3BvbnNlLz4%3D&SAMLResponse=PHg%2BPC94Pg%3D%3D\n",
      "message", "two-messages", "more than one")
write("message-bad-percent.txt", "SAMLResponse=PHNhbWxwOlJl%ZZc3BvbnNlLz4\n", "message",
      "percent-encoding", "URL-encoding is damaged")
write("message-empty.txt", "  \n", "message", "empty", "nothing to check")

(HERE / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
print(f"{len(manifest)} files in {HERE}")
