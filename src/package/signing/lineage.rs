//! The proof of rotation of an APK Signature Scheme v3 signer (its signing-certificate lineage):
//! the App's signing certificates, oldest first, each after the first signed by the key of the
//! one before. It is what explains a changed signer: the new key was authorised by the old one.
//! Read as apksig reads it, on hostile bytes: every length checked, a bounded number of links,
//! each link's signature verified, the last certificate the signer's own.

use super::SigningError;
use super::crypto;
use super::reader::Reader;

/// The additional attribute of a v3 signer's signed data that carries the lineage.
pub const PROOF_OF_ROTATION_ATTR_ID: u32 = 0x3ba0_6f8c;

/// The only encoding version apksig writes.
const VERSION: u32 = 1;

/// More links than any real App has rotated its key: a longer list is refused, not walked.
const MAX_LINKS: usize = 64;

/// One link as encoded: the signed part (certificate, and the algorithm the previous key signed
/// it with), the algorithm this certificate's key signs the next link with, and the signature by
/// the previous key.
struct Link<'a> {
    signed_data: &'a [u8],
    certificate: &'a [u8],
    signed_algorithm: u32,
    next_algorithm: u32,
    signature: &'a [u8],
}

/// Reads a lineage without verifying it; how many certificates it lists.
pub fn read(value: &[u8]) -> Result<usize, SigningError> {
    Ok(links(value)?.len())
}

fn links(value: &[u8]) -> Result<Vec<Link<'_>>, SigningError> {
    let mut r = Reader::new(value, "proof of rotation");
    let version = r.u32()?;
    if version != VERSION {
        return Err(SigningError::Malformed(format!(
            "the proof of rotation has version {version}, not {VERSION}"
        )));
    }
    let mut out = Vec::new();
    while !r.is_empty() {
        if out.len() == MAX_LINKS {
            return Err(SigningError::Malformed(format!(
                "the proof of rotation has more than {MAX_LINKS} certificates"
            )));
        }
        let mut node = Reader::new(r.prefixed()?, "proof of rotation link");
        let signed_data = node.prefixed()?;
        let _flags = node.u32()?;
        let next_algorithm = node.u32()?;
        let signature = node.prefixed()?;
        let mut signed = Reader::new(signed_data, "proof of rotation link");
        let certificate = signed.prefixed()?;
        let signed_algorithm = signed.u32()?;
        out.push(Link {
            signed_data,
            certificate,
            signed_algorithm,
            next_algorithm,
            signature,
        });
    }
    Ok(out)
}

/// Reads the lineage in a proof-of-rotation attribute's `value` and verifies it: each link signed
/// by the key of the one before with the algorithm that one names, no certificate twice, the last
/// one `signer` (the DER certificate of the v3 signer that carries it). The certificates, oldest
/// first.
pub fn verify<'a>(value: &'a [u8], signer: &[u8]) -> Result<Vec<&'a [u8]>, String> {
    let links = links(value).map_err(|e| e.to_string())?;
    let mut previous: Option<&Link<'_>> = None;
    for (n, link) in links.iter().enumerate() {
        if let Some(p) = previous {
            if link.signed_algorithm != p.next_algorithm {
                return Err(format!(
                    "certificate {} of the proof of rotation names another signature algorithm than the one before it",
                    n + 1
                ));
            }
            let alg = crypto::scheme_algorithm(p.next_algorithm).ok_or_else(|| {
                format!(
                    "certificate {} of the proof of rotation is signed with algorithm {:#06x}, which cannot be checked",
                    n + 1,
                    p.next_algorithm
                )
            })?;
            let key = super::cert::public_key_der(p.certificate)?;
            crypto::verify(alg.key, alg.digest, &key, link.signed_data, link.signature)
                .map_err(|e| format!("certificate {} of the proof of rotation: {e}", n + 1))?;
        }
        if links[..n].iter().any(|l| l.certificate == link.certificate) {
            return Err(format!(
                "certificate {} of the proof of rotation appears twice",
                n + 1
            ));
        }
        previous = Some(link);
    }
    match links.last() {
        None => Err("the proof of rotation lists no certificate".into()),
        Some(last) if last.certificate != signer => {
            Err("the proof of rotation does not end with the certificate that signs the package".into())
        }
        Some(_) => Ok(links.iter().map(|l| l.certificate).collect()),
    }
}
