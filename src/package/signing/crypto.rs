//! Checking one signature with one public key, for the algorithms APK signing uses.

use rsa::signature::hazmat::PrehashVerifier as _;
use sha1::Sha1;
use sha2::{Digest as _, Sha256, Sha512};
use spki::DecodePublicKey as _;

/// Digest algorithms used by the signature schemes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestAlg {
    Sha1,
    Sha256,
    Sha512,
}

/// A digest being computed over bytes that arrive in pieces.
pub enum Hasher {
    Sha1(Sha1),
    Sha256(Sha256),
    Sha512(Sha512),
}

impl Hasher {
    pub fn update(&mut self, data: &[u8]) {
        match self {
            Hasher::Sha1(h) => h.update(data),
            Hasher::Sha256(h) => h.update(data),
            Hasher::Sha512(h) => h.update(data),
        }
    }

    pub fn finish(self) -> Vec<u8> {
        match self {
            Hasher::Sha1(h) => h.finalize().to_vec(),
            Hasher::Sha256(h) => h.finalize().to_vec(),
            Hasher::Sha512(h) => h.finalize().to_vec(),
        }
    }
}

impl DigestAlg {
    pub fn hasher(self) -> Hasher {
        match self {
            DigestAlg::Sha1 => Hasher::Sha1(Sha1::new()),
            DigestAlg::Sha256 => Hasher::Sha256(Sha256::new()),
            DigestAlg::Sha512 => Hasher::Sha512(Sha512::new()),
        }
    }

    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            DigestAlg::Sha1 => Sha1::digest(data).to_vec(),
            DigestAlg::Sha256 => Sha256::digest(data).to_vec(),
            DigestAlg::Sha512 => Sha512::digest(data).to_vec(),
        }
    }
}

/// Public-key algorithms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyAlg {
    RsaPkcs1,
    RsaPss,
    Ecdsa,
    Dsa,
}

impl KeyAlg {
    /// The algorithm of a SubjectPublicKeyInfo, by its OID (RSA signatures here are PKCS#1 v1.5).
    pub fn of_spki_oid(oid: &str) -> Option<Self> {
        match oid {
            "1.2.840.113549.1.1.1" => Some(KeyAlg::RsaPkcs1),
            "1.2.840.10045.2.1" => Some(KeyAlg::Ecdsa),
            "1.2.840.10040.4.1" => Some(KeyAlg::Dsa),
            _ => None,
        }
    }
}

/// A v2/v3 signature algorithm id: what signs, what digests, and whether its content digest is
/// the plain chunked one (the verity variants use a Merkle tree we do not rebuild).
#[derive(Debug, Clone, Copy)]
pub struct SchemeAlgorithm {
    pub id: u32,
    pub key: KeyAlg,
    pub digest: DigestAlg,
    pub chunked: bool,
}

pub fn scheme_algorithm(id: u32) -> Option<SchemeAlgorithm> {
    let (key, digest, chunked) = match id {
        0x0101 => (KeyAlg::RsaPss, DigestAlg::Sha256, true),
        0x0102 => (KeyAlg::RsaPss, DigestAlg::Sha512, true),
        0x0103 => (KeyAlg::RsaPkcs1, DigestAlg::Sha256, true),
        0x0104 => (KeyAlg::RsaPkcs1, DigestAlg::Sha512, true),
        0x0201 => (KeyAlg::Ecdsa, DigestAlg::Sha256, true),
        0x0202 => (KeyAlg::Ecdsa, DigestAlg::Sha512, true),
        0x0301 => (KeyAlg::Dsa, DigestAlg::Sha256, true),
        0x0421 => (KeyAlg::RsaPkcs1, DigestAlg::Sha256, false),
        0x0423 => (KeyAlg::Ecdsa, DigestAlg::Sha256, false),
        0x0425 => (KeyAlg::Dsa, DigestAlg::Sha256, false),
        _ => return None,
    };
    Some(SchemeAlgorithm {
        id,
        key,
        digest,
        chunked,
    })
}

/// Verifies `signature` over `message` with the key in `spki` (DER SubjectPublicKeyInfo).
pub fn verify(
    key: KeyAlg,
    digest: DigestAlg,
    spki: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<(), String> {
    verify_prehashed(key, digest, spki, &digest.digest(message), signature)
}

/// As [`verify`], with the message already digested.
pub fn verify_prehashed(
    key: KeyAlg,
    digest: DigestAlg,
    spki: &[u8],
    hashed: &[u8],
    signature: &[u8],
) -> Result<(), String> {
    match key {
        KeyAlg::RsaPkcs1 | KeyAlg::RsaPss => {
            let public = rsa::RsaPublicKey::from_public_key_der(spki)
                .map_err(|e| format!("the RSA public key cannot be read: {e}"))?;
            let result = match (key, digest) {
                (KeyAlg::RsaPkcs1, DigestAlg::Sha1) => {
                    public.verify(rsa::Pkcs1v15Sign::new::<Sha1>(), hashed, signature)
                }
                (KeyAlg::RsaPkcs1, DigestAlg::Sha256) => {
                    public.verify(rsa::Pkcs1v15Sign::new::<Sha256>(), hashed, signature)
                }
                (KeyAlg::RsaPkcs1, DigestAlg::Sha512) => {
                    public.verify(rsa::Pkcs1v15Sign::new::<Sha512>(), hashed, signature)
                }
                (_, DigestAlg::Sha1) => public.verify(rsa::Pss::new::<Sha1>(), hashed, signature),
                (_, DigestAlg::Sha256) => public.verify(rsa::Pss::new::<Sha256>(), hashed, signature),
                (_, DigestAlg::Sha512) => public.verify(rsa::Pss::new::<Sha512>(), hashed, signature),
            };
            result.map_err(|_| "the RSA signature does not match".to_string())
        }
        KeyAlg::Ecdsa => {
            if let Ok(vk) = p256::ecdsa::VerifyingKey::from_public_key_der(spki) {
                let sig = p256::ecdsa::Signature::from_der(signature)
                    .map_err(|_| "the ECDSA signature is not valid DER".to_string())?;
                vk.verify_prehash(hashed, &sig)
                    .map_err(|_| "the ECDSA signature does not match".to_string())
            } else if let Ok(vk) = p384::ecdsa::VerifyingKey::from_public_key_der(spki) {
                let sig = p384::ecdsa::Signature::from_der(signature)
                    .map_err(|_| "the ECDSA signature is not valid DER".to_string())?;
                vk.verify_prehash(hashed, &sig)
                    .map_err(|_| "the ECDSA signature does not match".to_string())
            } else {
                Err("the EC key is not on a supported curve (P-256 or P-384)".to_string())
            }
        }
        KeyAlg::Dsa => Err("DSA signatures cannot be checked by this version".to_string()),
    }
}
