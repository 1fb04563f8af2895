//! PKCS#12 (`.p12`, `.pfx`) files, as AD FS, Windows and OpenSSL export them (RFC 7292).
//!
//! The structures are RustCrypto's `pkcs12` and `cms` types; the ciphers and digests are the
//! RustCrypto crates the rest of the core uses. Supported:
//!
//! - integrity: the password MAC with HMAC-SHA-1/-256/-384/-512 (RFC 7292 Appendix B KDF);
//! - privacy: PBES2 (PBKDF2 or scrypt with AES-CBC; OpenSSL 3's default), and the legacy
//!   `pbeWithSHAAnd3-KeyTripleDES-CBC`, `…2-KeyTripleDES-CBC`, `…128BitRC2-CBC` and `…40BitRC2-CBC`
//!   that older Windows and OpenSSL `-legacy` exports use;
//! - bags: `keyBag`, `pkcs8ShroudedKeyBag`, `certBag` with an X.509 certificate; CRL and secret
//!   bags are skipped.
//!
//! Every iteration count and scrypt cost is checked against the caps in [`crate::pki::key`] before any
//! work, and decrypted key bytes are zeroized when dropped.

use crate::pki::key::{KeyError, MAX_PBKDF2_ITERATIONS, check_encryption_cost};
use cipher::{BlockModeDecrypt, KeyIvInit};
use cms::content_info::ContentInfo;
use cms::encrypted_data::EncryptedData;
use der::Decode;
use der::asn1::{AnyRef, ObjectIdentifier, OctetString};
use hmac::{KeyInit, Mac, SimpleHmac};
use pkcs12::kdf::{Pkcs12KeyType, derive_key};
use pkcs12::pfx::Pfx;
use pkcs12::safe_bag::SafeBag;
use zeroize::Zeroizing;

const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const ID_ENCRYPTED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.6");
const PBES2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.13");
const SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
const SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");

const CONTAINER: &str = "PKCS#12 file";

/// `EncryptedPrivateKeyInfo` (RFC 5958), with any algorithm: inside PKCS#12 it is often one of the
/// PKCS#12 PBE schemes, which `pkcs8`'s own type does not decode.
#[derive(der::Sequence)]
struct ShroudedKey {
    algorithm: spki::AlgorithmIdentifierOwned,
    encrypted_data: OctetString,
}

/// What a PKCS#12 file holds, decrypted.
pub(crate) struct Pkcs12Contents {
    /// Each private key as PKCS#8 `PrivateKeyInfo` DER.
    pub keys: Vec<Zeroizing<Vec<u8>>>,
    /// Each X.509 certificate as DER.
    pub certificates: Vec<Vec<u8>>,
}

fn malformed(detail: impl core::fmt::Display) -> KeyError {
    KeyError::Malformed {
        what: "a PKCS#12 file",
        detail: detail.to_string(),
    }
}

/// True when `der` has the shape of a PFX: `SEQUENCE { INTEGER 3, ContentInfo, MacData? }`.
pub(crate) fn looks_like_pfx(der: &[u8]) -> bool {
    #[derive(der::Sequence)]
    #[allow(dead_code)] // decoded to check the shape, not read
    struct PfxHead<'a> {
        version: u8,
        auth_safe: AnyRef<'a>,
        mac_data: Option<AnyRef<'a>>,
    }
    PfxHead::from_der(der).is_ok_and(|head| {
        head.version == 3 && der::Tagged::tag(&head.auth_safe) == der::Tag::Sequence
    })
}

/// Checks the MAC with `password`, then decrypts and collects the keys and certificates.
pub(crate) fn decode(der: &[u8], password: &str) -> Result<Pkcs12Contents, KeyError> {
    let pfx = Pfx::from_der(der).map_err(malformed)?;
    if pfx.auth_safe.content_type != ID_DATA {
        return Err(KeyError::UnsupportedEncryption {
            detail: "public-key protection (a signed PKCS#12 file)".to_owned(),
        });
    }
    let auth_safe: OctetString = pfx.auth_safe.content.decode_as().map_err(malformed)?;
    let auth_safe = auth_safe.as_bytes();
    if let Some(mac_data) = &pfx.mac_data {
        verify_mac(mac_data, auth_safe, password)?;
    }

    let mut out = Pkcs12Contents {
        keys: Vec::new(),
        certificates: Vec::new(),
    };
    let safes = Vec::<ContentInfo>::from_der(auth_safe).map_err(malformed)?;
    for safe in safes {
        if safe.content_type == ID_DATA {
            let data: OctetString = safe.content.decode_as().map_err(malformed)?;
            read_bags(data.as_bytes(), password, &mut out)?;
        } else if safe.content_type == ID_ENCRYPTED_DATA {
            let encrypted: EncryptedData = safe.content.decode_as().map_err(malformed)?;
            let info = &encrypted.enc_content_info;
            let ciphertext = info
                .encrypted_content
                .as_ref()
                .ok_or_else(|| malformed("an encrypted part has no content"))?;
            let plain = decrypt(&info.content_enc_alg, ciphertext.as_bytes(), password)?;
            read_bags(&plain, password, &mut out)?;
        } else {
            return Err(KeyError::UnsupportedEncryption {
                detail: "public-key encryption (enveloped data)".to_owned(),
            });
        }
    }
    Ok(out)
}

fn read_bags(der: &[u8], password: &str, out: &mut Pkcs12Contents) -> Result<(), KeyError> {
    for bag in Vec::<SafeBag>::from_der(der).map_err(malformed)? {
        // `bag_value` is the `[0] EXPLICIT` wrapper; its value is the bag's own DER.
        let wrapper = AnyRef::from_der(&bag.bag_value).map_err(malformed)?;
        let value = wrapper.value();
        if bag.bag_id == pkcs12::PKCS_12_KEY_BAG_OID {
            out.keys.push(Zeroizing::new(value.to_vec()));
        } else if bag.bag_id == pkcs12::PKCS_12_PKCS8_KEY_BAG_OID {
            let shrouded = ShroudedKey::from_der(value).map_err(malformed)?;
            out.keys.push(decrypt(
                &shrouded.algorithm,
                shrouded.encrypted_data.as_bytes(),
                password,
            )?);
        } else if bag.bag_id == pkcs12::PKCS_12_CERT_BAG_OID {
            let cert = pkcs12::CertBag::from_der(value).map_err(malformed)?;
            if cert.cert_id == pkcs12::PKCS_12_X509_CERT_OID {
                out.certificates.push(cert.cert_value.as_bytes().to_vec());
            }
        }
        // CRL, secret and nested bags carry nothing for SAML metadata.
    }
    Ok(())
}

/// The password as RFC 7292 Appendix B.1 wants it: BMPString (UTF-16BE) with a two-byte NUL.
fn bmp_password(password: &str) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(password.len() * 2 + 2));
    for unit in password.encode_utf16() {
        out.extend_from_slice(&unit.to_be_bytes());
    }
    out.extend_from_slice(&[0, 0]);
    out
}

fn iterations(count: i32) -> Result<i32, KeyError> {
    match u32::try_from(count) {
        Ok(n) if (1..=MAX_PBKDF2_ITERATIONS).contains(&n) => Ok(count),
        _ => Err(KeyError::TooCostly {
            detail: format!(
                "{count} key-derivation iterations (at most {MAX_PBKDF2_ITERATIONS} are accepted)"
            ),
        }),
    }
}

fn verify_mac(mac_data: &pkcs12::MacData, data: &[u8], password: &str) -> Result<(), KeyError> {
    let rounds = iterations(mac_data.iterations)?;
    let salt = mac_data.mac_salt.as_bytes();
    let expected = mac_data.mac.digest.as_bytes();
    // OpenSSL writes an empty password either as a BMP NUL or as no bytes at all; try both.
    let mut candidates = vec![bmp_password(password)];
    if password.is_empty() {
        candidates.push(Zeroizing::new(Vec::new()));
    }
    let oid = mac_data.mac.algorithm.oid;
    for pass in candidates {
        let ok = if oid == SHA1 {
            hmac_matches::<sha1::Sha1>(&pass, salt, rounds, data, expected)
        } else if oid == SHA256 {
            hmac_matches::<sha2::Sha256>(&pass, salt, rounds, data, expected)
        } else if oid == SHA384 {
            hmac_matches::<sha2::Sha384>(&pass, salt, rounds, data, expected)
        } else if oid == SHA512 {
            hmac_matches::<sha2::Sha512>(&pass, salt, rounds, data, expected)
        } else {
            return Err(KeyError::UnsupportedEncryption {
                detail: format!("an integrity check with the digest {oid}"),
            });
        };
        if ok {
            return Ok(());
        }
    }
    Err(if password.is_empty() {
        KeyError::PassphraseNeeded {
            container: CONTAINER,
        }
    } else {
        KeyError::WrongPassphrase {
            container: CONTAINER,
        }
    })
}

fn hmac_matches<D>(pass: &[u8], salt: &[u8], rounds: i32, data: &[u8], expected: &[u8]) -> bool
where
    D: digest::Digest + digest::FixedOutputReset + digest::block_api::BlockSizeUser + Clone,
{
    let key = Zeroizing::new(derive_key::<D>(
        pass,
        salt,
        Pkcs12KeyType::Mac,
        rounds,
        <D as digest::Digest>::output_size(),
    ));
    let Ok(mut mac) = <SimpleHmac<D> as KeyInit>::new_from_slice(&key) else {
        return false;
    };
    mac.update(data);
    mac.verify_slice(expected).is_ok()
}

/// Decrypts `ciphertext` encrypted with `algorithm` under `password`.
fn decrypt(
    algorithm: &spki::AlgorithmIdentifierOwned,
    ciphertext: &[u8],
    password: &str,
) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    let wrong = || KeyError::WrongPassphrase {
        container: CONTAINER,
    };
    let params = algorithm
        .parameters
        .as_ref()
        .ok_or_else(|| malformed("an encryption algorithm has no parameters"))?;
    if algorithm.oid == PBES2 {
        let params: pkcs8::pkcs5::pbes2::Parameters = params.decode_as().map_err(malformed)?;
        let scheme = pkcs8::pkcs5::EncryptionScheme::Pbes2(params);
        check_encryption_cost(&scheme)?;
        // Within PKCS#12, PBES2 takes the password as UTF-8 bytes (as OpenSSL writes it).
        return scheme
            .decrypt(password.as_bytes(), ciphertext)
            .map(Zeroizing::new)
            .map_err(|_| wrong());
    }

    let pbe: pkcs12::pbe_params::Pkcs12PbeParams = params.decode_as().map_err(malformed)?;
    let rounds = iterations(pbe.iterations)?;
    let salt = pbe.salt.as_bytes();
    let pass = bmp_password(password);
    let derive = |id, len| Zeroizing::new(derive_key::<sha1::Sha1>(&pass, salt, id, rounds, len));
    let iv = derive(Pkcs12KeyType::Iv, 8);
    let oid = algorithm.oid;
    let mut buf = Zeroizing::new(ciphertext.to_vec());
    let plain_len = if oid == pkcs12::PKCS_12_PBE_WITH_SHAAND3_KEY_TRIPLE_DES_CBC {
        let key = derive(Pkcs12KeyType::EncryptionKey, 24);
        cbc_decrypt::<des::TdesEde3>(&key, &iv, &mut buf)
    } else if oid == pkcs12::PKCS_12_PBE_WITH_SHAAND2_KEY_TRIPLE_DES_CBC {
        let key = derive(Pkcs12KeyType::EncryptionKey, 16);
        cbc_decrypt::<des::TdesEde2>(&key, &iv, &mut buf)
    } else if oid == pkcs12::PKCS_12_PBE_WITH_SHAAND128_BIT_RC2_CBC {
        let key = derive(Pkcs12KeyType::EncryptionKey, 16);
        rc2_decrypt(&key, 128, &iv, &mut buf)
    } else if oid == pkcs12::PKCS_12_PBEWITH_SHAAND40_BIT_RC2_CBC {
        let key = derive(Pkcs12KeyType::EncryptionKey, 5);
        rc2_decrypt(&key, 40, &iv, &mut buf)
    } else {
        return Err(KeyError::UnsupportedEncryption {
            detail: format!("the algorithm {oid}"),
        });
    };
    let len = plain_len.ok_or_else(wrong)?;
    buf.truncate(len);
    Ok(buf)
}

/// CBC-decrypts `buf` in place and strips PKCS#7 padding; the plaintext length, or `None` when
/// the padding is wrong (a wrong password).
fn cbc_decrypt<C>(key: &[u8], iv: &[u8], buf: &mut [u8]) -> Option<usize>
where
    C: cipher::BlockCipherDecrypt + cipher::KeyInit,
    cbc::Decryptor<C>: KeyIvInit + BlockModeDecrypt,
{
    let decryptor = <cbc::Decryptor<C> as KeyIvInit>::new_from_slices(key, iv).ok()?;
    decryptor
        .decrypt_padded::<cipher::block_padding::Pkcs7>(buf)
        .ok()
        .map(<[u8]>::len)
}

fn rc2_decrypt(key: &[u8], effective_bits: usize, iv: &[u8], buf: &mut [u8]) -> Option<usize> {
    let cipher = rc2::Rc2::new_with_eff_key_len(key, effective_bits);
    let decryptor =
        <cbc::Decryptor<rc2::Rc2> as cipher::InnerIvInit>::inner_iv_slice_init(cipher, iv).ok()?;
    decryptor
        .decrypt_padded::<cipher::block_padding::Pkcs7>(buf)
        .ok()
        .map(<[u8]>::len)
}
