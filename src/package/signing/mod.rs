//! APK signatures: which schemes are present, the certificates, and whether each scheme's
//! signature really verifies over the package (as apksigner does).

mod block;
pub mod cert;
pub(crate) mod crypto;
mod lineage;
mod reader;
mod v1;
mod v2;

use crate::package::report::{Certificate, SchemeResult, Signing};

/// A signing block that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SigningError {
    #[error("unexpected end of the {0}")]
    Truncated(&'static str),
    #[error("{0}")]
    Malformed(String),
}

/// The package's entries as the v1 check reads them (through the archive's limits).
pub trait Entries {
    /// An entry's bytes, whole (the signature files and the manifest: small).
    fn read(&mut self, name: &str, buf: &mut Vec<u8>) -> Result<(), String>;
    /// An entry's bytes fed to `sink` in pieces (any entry: none is held whole in memory).
    fn stream(&mut self, name: &str, sink: &mut dyn FnMut(&[u8])) -> Result<(), String>;
}

/// What checking one scheme found: its certificates (signer first) and whether it verified.
pub(crate) struct SchemeCheck {
    pub certificates: Vec<Vec<u8>>,
    pub result: Result<(), String>,
    /// A v3 signer's proof of rotation, verified: its certificates, oldest first.
    pub lineage: Vec<Vec<u8>>,
}

/// Reads and verifies every signature scheme. `read` gives an entry's bytes (through the
/// archive's limits); `names` lists every entry; `structure` says where the zip's directories
/// disagree (a v1 signature over such a package is never verified, as apksigner refuses it).
pub fn analyse(apk: &[u8], names: &[String], structure: &[String], entries: &mut dyn Entries) -> Signing {
    let mut signing = Signing::default();
    let mut certificates: Vec<Certificate> = Vec::new();
    let mut lineage: Vec<Certificate> = Vec::new();
    let mut add = |ders: &[Vec<u8>], scheme: &str| {
        for der_bytes in ders {
            if let Some(c) = cert::describe(der_bytes, scheme) {
                match certificates.iter_mut().find(|k| k.sha256 == c.sha256) {
                    Some(known) if !known.schemes.iter().any(|s| s == scheme) => {
                        known.schemes.push(scheme.into())
                    }
                    Some(_) => {}
                    None => certificates.push(c),
                }
            }
        }
    };

    if let Some(check) = v1::verify(names, entries) {
        signing.v1 = true;
        add(&check.certificates, "v1");
        let result = match structure.first() {
            Some(problem) => Err(format!(
                "the zip's directories disagree ({problem}): the JAR signature cannot be trusted, and apksigner refuses such a package"
            )),
            None => check.result,
        };
        signing.schemes.push(scheme_result("v1", result));
    }

    match block::zip_sections(apk).and_then(|s| Ok((s, block::signing_block(apk, s)?))) {
        Ok((sections, Some(sb))) => {
            for (id, scheme) in [
                (block::V2_BLOCK_ID, "v2"),
                (block::V3_BLOCK_ID, "v3"),
                (block::V31_BLOCK_ID, "v3.1"),
            ] {
                let Some((_, value)) = sb.pairs.iter().find(|(i, _)| *i == id) else {
                    continue;
                };
                match scheme {
                    "v2" => signing.v2 = true,
                    "v3" => signing.v3 = true,
                    _ => signing.v31 = true,
                }
                let check = v2::verify_block(apk, sections, sb.start, value, id != block::V2_BLOCK_ID);
                add(&check.certificates, scheme);
                // v3.1 is read after v3: the lineage for the newest platforms wins.
                if !check.lineage.is_empty() {
                    lineage = check
                        .lineage
                        .iter()
                        .filter_map(|der| cert::describe(der, scheme))
                        .collect();
                }
                signing.schemes.push(scheme_result(scheme, check.result));
            }
        }
        Ok((_, None)) => {}
        Err(e) => signing.schemes.push(SchemeResult {
            scheme: "v2".into(),
            verified: false,
            problem: Some(format!("the signing block cannot be read: {e}")),
        }),
    }
    signing.verified = !signing.schemes.is_empty() && signing.schemes.iter().all(|s| s.verified);
    signing.certificates = certificates;
    signing.lineage = lineage;
    signing
}

fn scheme_result(scheme: &str, result: Result<(), String>) -> SchemeResult {
    SchemeResult {
        scheme: scheme.to_string(),
        verified: result.is_ok(),
        problem: result.err(),
    }
}

/// Reads the APK Signing Block and its v2/v3 signers (with any proof of rotation) without checking
/// any signature; returns how many signers it holds. For fuzzing and diagnostics: [`analyse`] does
/// the real work (and reads a proof of rotation only from signed data whose signature holds).
pub fn parse_signing_block(apk: &[u8]) -> Result<usize, SigningError> {
    let sections = block::zip_sections(apk)?;
    let Some(sb) = block::signing_block(apk, sections)? else {
        return Ok(0);
    };
    let mut count = 0;
    for (id, value) in &sb.pairs {
        if matches!(*id, block::V2_BLOCK_ID | block::V3_BLOCK_ID | block::V31_BLOCK_ID) {
            let signers = block::signers(value, *id != block::V2_BLOCK_ID)?;
            for s in &signers {
                for (attr, v) in &s.attributes {
                    if *attr == lineage::PROOF_OF_ROTATION_ATTR_ID {
                        lineage::read(v)?;
                    }
                }
            }
            count += signers.len();
        }
    }
    Ok(count)
}
