//! Verifying APK Signature Scheme v2 and v3 blocks: signatures over the signed data, then the
//! chunked content digest over the whole package.

use super::SchemeCheck;
use super::block::{self, Signer, ZipSections};
use super::crypto::{self, DigestAlg, SchemeAlgorithm};

const CHUNK: usize = 1 << 20;

/// The chunked digest of the three zip sections (entries, central directory, EOCD with its
/// central-directory offset pointing at the signing block).
pub fn content_digest(apk: &[u8], sections: ZipSections, block_start: usize, alg: DigestAlg) -> Vec<u8> {
    let mut eocd = apk[sections.eocd_offset..].to_vec();
    eocd[16..20].copy_from_slice(&(block_start as u32).to_le_bytes());
    let parts: [&[u8]; 3] = [
        &apk[..block_start],
        &apk[sections.cd_offset..sections.eocd_offset],
        &eocd,
    ];
    let count: usize = parts.iter().map(|p| p.len().div_ceil(CHUNK)).sum();
    let mut top = Vec::with_capacity(5 + count * 64);
    top.push(0x5a);
    top.extend_from_slice(&(count as u32).to_le_bytes());
    let mut buf = Vec::with_capacity(CHUNK + 5);
    for part in parts {
        for chunk in part.chunks(CHUNK) {
            buf.clear();
            buf.push(0xa5);
            buf.extend_from_slice(&(chunk.len() as u32).to_le_bytes());
            buf.extend_from_slice(chunk);
            top.extend_from_slice(&alg.digest(&buf));
        }
    }
    alg.digest(&top)
}

/// Picks the strongest algorithm whose content digest we can compute.
fn best_signature<'a>(signer: &Signer<'a>) -> Option<(SchemeAlgorithm, &'a [u8])> {
    signer
        .signatures
        .iter()
        .filter_map(|(id, sig)| crypto::scheme_algorithm(*id).map(|a| (a, *sig)))
        .filter(|(a, _)| a.chunked)
        .max_by_key(|(a, _)| (a.digest == DigestAlg::Sha512, a.id))
}

/// Verifies every signer of a v2 or v3 block.
pub fn verify_block(
    apk: &[u8],
    sections: ZipSections,
    block_start: usize,
    value: &[u8],
    v3: bool,
) -> SchemeCheck {
    let signers = match block::signers(value, v3) {
        Ok(s) => s,
        Err(e) => {
            return SchemeCheck {
                certificates: Vec::new(),
                result: Err(e.to_string()),
                lineage: Vec::new(),
            };
        }
    };
    let certificates: Vec<Vec<u8>> = signers
        .iter()
        .flat_map(|s| s.certificates.iter().map(|c| c.to_vec()))
        .collect();
    let result = signers.iter().enumerate().try_for_each(|(n, signer)| {
        verify_signer(apk, sections, block_start, signer).map_err(|e| format!("signer {}: {e}", n + 1))
    });
    // The proof of rotation is read only from signed data whose signature verified; one that does
    // not verify fails the scheme, as apksig fails it.
    let mut lineage = Vec::new();
    let result = result.and_then(|()| {
        for (n, signer) in signers.iter().enumerate() {
            let Some((_, value)) = signer
                .attributes
                .iter()
                .find(|(id, _)| *id == super::lineage::PROOF_OF_ROTATION_ATTR_ID)
            else {
                continue;
            };
            let own = signer.certificates.first().copied().unwrap_or_default();
            let certs = super::lineage::verify(value, own).map_err(|e| format!("signer {}: {e}", n + 1))?;
            if lineage.is_empty() {
                lineage = certs.into_iter().map(<[u8]>::to_vec).collect();
            }
        }
        Ok(())
    });
    SchemeCheck {
        certificates,
        result,
        lineage,
    }
}

fn verify_signer(
    apk: &[u8],
    sections: ZipSections,
    block_start: usize,
    signer: &Signer<'_>,
) -> Result<(), String> {
    let (alg, signature) = best_signature(signer).ok_or("no signature algorithm that can be checked")?;
    crypto::verify(
        alg.key,
        alg.digest,
        signer.public_key,
        signer.signed_data,
        signature,
    )?;
    let signed_ids: Vec<u32> = signer.signatures.iter().map(|(id, _)| *id).collect();
    let digest_ids: Vec<u32> = signer.digests.iter().map(|(id, _)| *id).collect();
    if signed_ids != digest_ids {
        return Err("the signed digests do not list the same algorithms as the signatures".into());
    }
    let first = signer.certificates.first().ok_or("no certificate")?;
    let cert_key = super::cert::public_key_der(first)?;
    if cert_key != signer.public_key {
        return Err("the public key does not match the signer's certificate".into());
    }
    let expected = signer
        .digests
        .iter()
        .find(|(id, _)| *id == alg.id)
        .map(|(_, d)| *d)
        .ok_or("no content digest for the signature algorithm")?;
    if content_digest(apk, sections, block_start, alg.digest) != expected {
        return Err(
            "the package content does not match the signed digest (the file was modified after signing)"
                .into(),
        );
    }
    Ok(())
}
