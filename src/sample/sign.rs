//! APK Signature Scheme v2 for the project's APK writer: the sample package and the tests can be
//! signed, and a re-inspection test can sign the new version with another key. ECDSA P-256 with
//! SHA-256 (algorithm 0x0201), one signer, as apksigner writes it; what `package::signing` verifies.

use der::Encode as _;
use p256::ecdsa::signature::Signer as _;
use sha2::{Digest as _, Sha256};

use crate::notice::cert::{CertError, self_signed};

const V2_BLOCK_ID: u32 = 0x7109_871a;
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

    /// Signs a zip written by [`super::apk::zip`] (no archive comment): the APK Signing Block goes
    /// between the entries and the central directory, whose offset the end record then states.
    pub fn sign_v2(&self, zip: &[u8]) -> Result<Vec<u8>, String> {
        let eocd_at = zip.len().checked_sub(22).ok_or("too short for a zip")?;
        let eocd = &zip[eocd_at..];
        if eocd[..4] != [0x50, 0x4b, 0x05, 0x06] {
            return Err("the zip has a comment or no end record".into());
        }
        let field =
            |at: usize| u32::from_le_bytes([eocd[at], eocd[at + 1], eocd[at + 2], eocd[at + 3]]) as usize;
        let (cd_size, cd_at) = (field(12), field(16));
        if cd_at + cd_size != eocd_at {
            return Err("the central directory does not end at the end record".into());
        }
        let (entries, cd) = (&zip[..cd_at], &zip[cd_at..eocd_at]);
        let digest = content_digest(&[entries, cd, eocd]);

        let mut signed = Vec::new();
        let mut digests = Vec::new();
        let mut one = Vec::new();
        one.extend_from_slice(&ECDSA_SHA256.to_le_bytes());
        prefixed(&mut one, &digest);
        prefixed(&mut digests, &one);
        prefixed(&mut signed, &digests);
        let mut certs = Vec::new();
        prefixed(&mut certs, &self.cert);
        prefixed(&mut signed, &certs);
        prefixed(&mut signed, &[]);

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
        prefixed(&mut signer, &signatures);
        prefixed(&mut signer, &spki);
        let mut signers = Vec::new();
        prefixed(&mut signers, &signer);
        let mut value = Vec::new();
        prefixed(&mut value, &signers);

        // size (u64) | pairs | size (u64) | magic; the size counts everything after the first.
        let pair_len = 4 + value.len();
        let size = (8 + pair_len) + 8 + MAGIC.len();
        let mut block = Vec::with_capacity(size + 8);
        block.extend_from_slice(&(size as u64).to_le_bytes());
        block.extend_from_slice(&(pair_len as u64).to_le_bytes());
        block.extend_from_slice(&V2_BLOCK_ID.to_le_bytes());
        block.extend_from_slice(&value);
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
}
