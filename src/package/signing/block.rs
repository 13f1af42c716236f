//! Finding the zip sections and the APK Signing Block, and reading the v2/v3 signers in it.
//! Format: <https://source.android.com/docs/security/features/apksigning/v2>.

use super::SigningError;
use super::reader::Reader;

pub const V2_BLOCK_ID: u32 = 0x7109_871a;
pub const V3_BLOCK_ID: u32 = 0xf053_68c0;
pub const V31_BLOCK_ID: u32 = 0x1b93_ad61;
const MAGIC: &[u8; 16] = b"APK Sig Block 42";

/// Where the parts of the zip are, as the signature schemes see them.
#[derive(Debug, Clone, Copy)]
pub struct ZipSections {
    pub cd_offset: usize,
    pub eocd_offset: usize,
}

/// The signing block and where it starts.
pub struct SigningBlock<'a> {
    pub start: usize,
    pub pairs: Vec<(u32, &'a [u8])>,
}

/// Finds the end-of-central-directory record (the last one whose comment length fits).
pub fn zip_sections(apk: &[u8]) -> Result<ZipSections, SigningError> {
    const EOCD_LEN: usize = 22;
    if apk.len() < EOCD_LEN {
        return Err(SigningError::Truncated("end of central directory"));
    }
    let lowest = apk.len().saturating_sub(EOCD_LEN + 0xffff);
    let mut at = apk.len() - EOCD_LEN;
    loop {
        if apk[at..at + 4] == [0x50, 0x4b, 0x05, 0x06] {
            let comment = u16::from_le_bytes([apk[at + 20], apk[at + 21]]) as usize;
            if at + EOCD_LEN + comment == apk.len() {
                let cd_size =
                    u32::from_le_bytes([apk[at + 12], apk[at + 13], apk[at + 14], apk[at + 15]]) as usize;
                let cd_offset =
                    u32::from_le_bytes([apk[at + 16], apk[at + 17], apk[at + 18], apk[at + 19]]) as usize;
                if cd_offset.checked_add(cd_size) != Some(at) {
                    return Err(SigningError::Malformed(
                        "the central directory does not end where the end record begins (zip64 or damaged)"
                            .into(),
                    ));
                }
                return Ok(ZipSections {
                    cd_offset,
                    eocd_offset: at,
                });
            }
        }
        if at == lowest {
            return Err(SigningError::Malformed(
                "no end of central directory record".into(),
            ));
        }
        at -= 1;
    }
}

/// The APK Signing Block just before the central directory, if there is one.
pub fn signing_block(apk: &[u8], sections: ZipSections) -> Result<Option<SigningBlock<'_>>, SigningError> {
    let cd = sections.cd_offset;
    if cd < 32 || apk.get(cd - 16..cd) != Some(MAGIC.as_slice()) {
        return Ok(None);
    }
    let mut footer = Reader::new(&apk[cd - 24..cd - 16], "signing block footer");
    let size = footer.u64()?;
    // The size counts everything but its own leading 8 bytes.
    let total = usize::try_from(size)
        .ok()
        .and_then(|s| s.checked_add(8))
        .filter(|t| *t <= cd && *t >= 32)
        .ok_or_else(|| SigningError::Malformed(format!("signing block size {size} does not fit the file")))?;
    let start = cd - total;
    let mut r = Reader::new(&apk[start..cd - 24], "signing block");
    if r.u64()? != size {
        return Err(SigningError::Malformed(
            "the two sizes of the signing block differ".into(),
        ));
    }
    let mut pairs = Vec::new();
    while !r.is_empty() {
        let len = r.u64()?;
        let len = usize::try_from(len)
            .ok()
            .filter(|l| *l >= 4)
            .ok_or_else(|| SigningError::Malformed(format!("signing block pair of length {len}")))?;
        let mut pair = Reader::new(r.take(len)?, "signing block pair");
        let id = pair.u32()?;
        pairs.push((id, pair.take(len - 4)?));
    }
    Ok(Some(SigningBlock { start, pairs }))
}

/// One signer of a v2 or v3 block.
#[derive(Debug)]
pub struct Signer<'a> {
    /// The bytes the signatures cover.
    pub signed_data: &'a [u8],
    /// (algorithm id, content digest) from the signed data.
    pub digests: Vec<(u32, &'a [u8])>,
    /// DER certificates, the signer's first.
    pub certificates: Vec<&'a [u8]>,
    /// (algorithm id, signature).
    pub signatures: Vec<(u32, &'a [u8])>,
    /// DER SubjectPublicKeyInfo.
    pub public_key: &'a [u8],
    /// A v3 signer's additional attributes from its signed data (id, value); none for v2.
    pub attributes: Vec<(u32, &'a [u8])>,
}

fn id_value_pairs<'a>(
    items: Vec<&'a [u8]>,
    what: &'static str,
) -> Result<Vec<(u32, &'a [u8])>, SigningError> {
    items
        .into_iter()
        .map(|item| {
            let mut r = Reader::new(item, what);
            let id = r.u32()?;
            Ok((id, r.prefixed()?))
        })
        .collect()
}

/// Reads the signers of a v2 (`v3 == false`) or v3/v3.1 block.
pub fn signers(block: &[u8], v3: bool) -> Result<Vec<Signer<'_>>, SigningError> {
    let mut r = Reader::new(block, "signers");
    let list = r.sequence("signers")?;
    if list.is_empty() {
        return Err(SigningError::Malformed(
            "the signature block has no signer".into(),
        ));
    }
    list.into_iter()
        .map(|signer| {
            let mut s = Reader::new(signer, "signer");
            let signed_data = s.prefixed()?;
            if v3 {
                // min and max platform version this signer is for: not needed to verify.
                s.take(8)?;
            }
            let signatures = id_value_pairs(s.sequence("signatures")?, "signature")?;
            let public_key = s.prefixed()?;
            let mut d = Reader::new(signed_data, "signed data");
            let digests = id_value_pairs(d.sequence("digests")?, "digest")?;
            let certificates = d.sequence("certificates")?;
            let attributes = if v3 {
                // min and max platform version again, then the additional attributes.
                d.take(8)?;
                d.sequence("additional attributes")?
                    .into_iter()
                    .map(|a| {
                        let mut a = Reader::new(a, "additional attribute");
                        Ok((a.u32()?, a.take(a.remaining())?))
                    })
                    .collect::<Result<_, SigningError>>()?
            } else {
                Vec::new()
            };
            Ok(Signer {
                signed_data,
                digests,
                certificates,
                signatures,
                public_key,
                attributes,
            })
        })
        .collect()
}
