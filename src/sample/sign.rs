//! APK Signature Schemes v2 and v3 for the project's APK writer: the sample package and the tests
//! can be signed, a re-inspection test can sign the new version with another key, and with a v3
//! proof of rotation from the earlier key. ECDSA P-256 with SHA-256 (algorithm 0x0201), one signer,
//! as apksigner writes it; what `package::signing` verifies.

use der::Encode as _;
use p256::ecdsa::signature::Signer as _;
use sha2::{Digest as _, Sha256};

use crate::notice::cert::{CertError, self_signed};

const V2_BLOCK_ID: u32 = 0x7109_871a;
const V3_BLOCK_ID: u32 = 0xf053_68c0;
/// The proof-of-rotation attribute of a v3 signer.
const PROOF_OF_ROTATION: u32 = 0x3ba0_6f8c;
/// The platform range a v3 signer states: Android 7.0 (API 24) and everything after.
const MIN_SDK: u32 = 24;
const MAX_SDK: u32 = i32::MAX as u32;
const ECDSA_SHA256: u32 = 0x0201;
const MAGIC: &[u8; 16] = b"APK Sig Block 42";
const CHUNK: usize = 1 << 20;

/// A signing key and its self-signed certificate.
pub struct ApkSigner {
    key: p256::ecdsa::SigningKey,
    cert: Vec<u8>,
}

fn prefixed(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(bytes);
}

/// The v2 content digest: each section cut into 1 MiB chunks, each chunk hashed with its length,
/// then the chunk digests hashed with their count.
fn content_digest(sections: &[&[u8]]) -> Vec<u8> {
    let chunks: Vec<&[u8]> = sections.iter().flat_map(|s| s.chunks(CHUNK)).collect();
    let mut top = Sha256::new();
    top.update([0x5a]);
    top.update((chunks.len() as u32).to_le_bytes());
    for c in chunks {
        let mut h = Sha256::new();
        h.update([0xa5]);
        h.update((c.len() as u32).to_le_bytes());
        h.update(c);
        top.update(h.finalize());
    }
    top.finalize().to_vec()
}

impl ApkSigner {
    /// A new key with a certificate naming `name`.
    pub fn new(name: &str) -> Result<Self, CertError> {
        let (key, cert) = self_signed(name, None, 25)?;
        Ok(Self { key, cert })
    }

    /// The certificate's SHA-256, as `scan` reports a signer.
    pub fn certificate_sha256(&self) -> String {
        crate::case::sha256_hex(&self.cert)
    }

    /// Signs a zip written by [`super::apk::zip`] (no archive comment) with APK Signature Scheme
    /// v2: the APK Signing Block goes between the entries and the central directory, whose offset
    /// the end record then states.
    pub fn sign_v2(&self, zip: &[u8]) -> Result<Vec<u8>, String> {
        with_block(zip, |digest| {
            let signed = self.signed_data(digest, None);
            Ok(vec![(V2_BLOCK_ID, self.block_value(signed, None)?)])
        })
    }

    /// Signs with APK Signature Scheme v3 only (a package for Android 7.0 and later). With
    /// `rotated_from`, the signer carries a proof of rotation: the earlier key's certificate, then
    /// this one's, signed by the earlier key — as apksigner writes a rotated key's lineage.
    pub fn sign_v3(&self, zip: &[u8], rotated_from: Option<&ApkSigner>) -> Result<Vec<u8>, String> {
        let lineage = rotated_from.map(|old| self.lineage_from(old));
        with_block(zip, |digest| {
            let signed = self.signed_data(digest, Some(lineage.as_deref()));
            Ok(vec![(V3_BLOCK_ID, self.block_value(signed, Some(()))?)])
        })
    }

    /// The encoded lineage old → self: version, then two links, each (signed data: certificate and
    /// the algorithm the previous key signed it with), flags, the algorithm this key signs the next
    /// link with, the previous key's signature.
    fn lineage_from(&self, old: &ApkSigner) -> Vec<u8> {
        let link = |cert: &[u8], signed_with: u32, by: Option<&p256::ecdsa::SigningKey>| {
            let mut signed = Vec::new();
            prefixed(&mut signed, cert);
            signed.extend_from_slice(&signed_with.to_le_bytes());
            let signature = by.map_or_else(Vec::new, |k| {
                let sig: p256::ecdsa::DerSignature = k.sign(&signed);
                sig.as_bytes().to_vec()
            });
            let mut node = Vec::new();
            prefixed(&mut node, &signed);
            node.extend_from_slice(&0u32.to_le_bytes());
            node.extend_from_slice(&ECDSA_SHA256.to_le_bytes());
            prefixed(&mut node, &signature);
            node
        };
        let mut out = 1u32.to_le_bytes().to_vec();
        prefixed(&mut out, &link(&old.cert, 0, None));
        prefixed(&mut out, &link(&self.cert, ECDSA_SHA256, Some(&old.key)));
        out
    }

    /// The signed data: the content digest, the certificate, and — for v3 (`Some`) — the platform
    /// range and the additional attributes (the proof of rotation, when there is one). v2's signed
    /// data ends with an empty attribute list.
    fn signed_data(&self, digest: &[u8], v3: Option<Option<&[u8]>>) -> Vec<u8> {
        let mut signed = Vec::new();
        let mut digests = Vec::new();
        let mut one = Vec::new();
        one.extend_from_slice(&ECDSA_SHA256.to_le_bytes());
        prefixed(&mut one, digest);
        prefixed(&mut digests, &one);
        prefixed(&mut signed, &digests);
        let mut certs = Vec::new();
        prefixed(&mut certs, &self.cert);
        prefixed(&mut signed, &certs);
        let mut attributes = Vec::new();
        if let Some(lineage) = v3 {
            signed.extend_from_slice(&MIN_SDK.to_le_bytes());
            signed.extend_from_slice(&MAX_SDK.to_le_bytes());
            if let Some(value) = lineage {
                let mut attr = PROOF_OF_ROTATION.to_le_bytes().to_vec();
                attr.extend_from_slice(value);
                prefixed(&mut attributes, &attr);
            }
        }
        prefixed(&mut signed, &attributes);
        signed
    }

    /// One signer (signed data, its signature, the public key; for v3 the platform range between)
    /// as the block's value.
    fn block_value(&self, signed: Vec<u8>, v3: Option<()>) -> Result<Vec<u8>, String> {
        let sig: p256::ecdsa::DerSignature = self.key.sign(&signed);
        let mut signatures = Vec::new();
        let mut one = Vec::new();
        one.extend_from_slice(&ECDSA_SHA256.to_le_bytes());
        prefixed(&mut one, sig.as_bytes());
        prefixed(&mut signatures, &one);
        let spki = x509_cert::spki::SubjectPublicKeyInfoOwned::from_key(*self.key.verifying_key())
            .map_err(|e| e.to_string())?
            .to_der()
            .map_err(|e| e.to_string())?;
        let mut signer = Vec::new();
        prefixed(&mut signer, &signed);
        if v3.is_some() {
            signer.extend_from_slice(&MIN_SDK.to_le_bytes());
            signer.extend_from_slice(&MAX_SDK.to_le_bytes());
        }
        prefixed(&mut signer, &signatures);
        prefixed(&mut signer, &spki);
        let mut signers = Vec::new();
        prefixed(&mut signers, &signer);
        let mut value = Vec::new();
        prefixed(&mut value, &signers);
        Ok(value)
    }
}

/// Puts an APK Signing Block with the pairs `pairs(content digest)` makes into `zip`.
fn with_block(
    zip: &[u8],
    pairs: impl FnOnce(&[u8]) -> Result<Vec<(u32, Vec<u8>)>, String>,
) -> Result<Vec<u8>, String> {
    let eocd_at = zip.len().checked_sub(22).ok_or("too short for a zip")?;
    let eocd = &zip[eocd_at..];
    if eocd[..4] != [0x50, 0x4b, 0x05, 0x06] {
        return Err("the zip has a comment or no end record".into());
    }
    let field = |at: usize| u32::from_le_bytes([eocd[at], eocd[at + 1], eocd[at + 2], eocd[at + 3]]) as usize;
    let (cd_size, cd_at) = (field(12), field(16));
    if cd_at + cd_size != eocd_at {
        return Err("the central directory does not end at the end record".into());
    }
    let (entries, cd) = (&zip[..cd_at], &zip[cd_at..eocd_at]);
    let digest = content_digest(&[entries, cd, eocd]);
    let pairs = pairs(&digest)?;

    // size (u64) | pairs (u64 length, u32 id, value) | size (u64) | magic; the size counts
    // everything after the first.
    let pairs_len: usize = pairs.iter().map(|(_, v)| 8 + 4 + v.len()).sum();
    let size = pairs_len + 8 + MAGIC.len();
    let mut block = Vec::with_capacity(size + 8);
    block.extend_from_slice(&(size as u64).to_le_bytes());
    for (id, value) in &pairs {
        block.extend_from_slice(&((4 + value.len()) as u64).to_le_bytes());
        block.extend_from_slice(&id.to_le_bytes());
        block.extend_from_slice(value);
    }
    block.extend_from_slice(&(size as u64).to_le_bytes());
    block.extend_from_slice(MAGIC);

    let mut out = Vec::with_capacity(zip.len() + block.len());
    out.extend_from_slice(entries);
    out.extend_from_slice(&block);
    out.extend_from_slice(cd);
    let mut end = eocd.to_vec();
    end[16..20].copy_from_slice(&((cd_at + block.len()) as u32).to_le_bytes());
    out.extend_from_slice(&end);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::apk::{ApkSpec, build};

    #[test]
    fn a_package_signed_here_verifies_and_names_its_signer() {
        let signer = ApkSigner::new("示例开发者").unwrap();
        let spec = ApkSpec {
            min_sdk: 24,
            ..ApkSpec::default()
        };
        let apk = signer.sign_v2(&build(&spec)).unwrap();
        let r = crate::package::analyse_bytes(
            std::path::Path::new("signed.apk"),
            &apk,
            crate::package::Limits::default(),
        )
        .unwrap();
        assert!(r.signing.v2 && r.signing.verified, "{:?}", r.signing);
        assert_eq!(r.signing.certificates[0].sha256, signer.certificate_sha256());
        // One byte changed in an entry: the signature no longer holds.
        let mut broken = apk.clone();
        broken[40] ^= 1;
        if let Ok(r) = crate::package::analyse_bytes(
            std::path::Path::new("broken.apk"),
            &broken,
            crate::package::Limits::default(),
        ) {
            assert!(!r.signing.verified);
        }
    }

    #[test]
    fn a_rotated_key_carries_a_lineage_that_verifies() {
        let (old, new) = (
            ApkSigner::new("旧密钥").unwrap(),
            ApkSigner::new("新密钥").unwrap(),
        );
        let spec = ApkSpec {
            min_sdk: 24,
            ..ApkSpec::default()
        };
        let apk = new.sign_v3(&build(&spec), Some(&old)).unwrap();
        let r = crate::package::analyse_bytes(
            std::path::Path::new("rotated.apk"),
            &apk,
            crate::package::Limits::default(),
        )
        .unwrap();
        assert!(r.signing.v3 && r.signing.verified, "{:?}", r.signing);
        let lineage: Vec<&str> = r.signing.lineage.iter().map(|c| c.sha256.as_str()).collect();
        assert_eq!(lineage, [old.certificate_sha256(), new.certificate_sha256()]);
        // Without a rotation: v3, no lineage.
        let plain = new.sign_v3(&build(&spec), None).unwrap();
        let r = crate::package::analyse_bytes(
            std::path::Path::new("v3.apk"),
            &plain,
            crate::package::Limits::default(),
        )
        .unwrap();
        assert!(
            r.signing.verified && r.signing.lineage.is_empty(),
            "{:?}",
            r.signing
        );
        // A lineage that claims the old certificate but is signed by another key does not verify.
        let impostor = ApkSigner::new("冒用者").unwrap();
        let forged = ApkSigner {
            key: impostor.key.clone(),
            cert: old.cert.clone(),
        };
        let apk = new.sign_v3(&build(&spec), Some(&forged)).unwrap();
        let r = crate::package::analyse_bytes(
            std::path::Path::new("forged.apk"),
            &apk,
            crate::package::Limits::default(),
        )
        .unwrap();
        assert!(
            !r.signing.verified && r.signing.lineage.is_empty(),
            "{:?}",
            r.signing
        );
        let problem = r.signing.schemes[0].problem.clone().unwrap();
        assert!(problem.contains("proof of rotation"), "{problem}");
    }
}
