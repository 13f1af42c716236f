//! Verifying the signatures of a PDF: the byte ranges cover the whole file but the signature,
//! the message digest matches those bytes, and the signature over the signed attributes verifies
//! with the signer's certificate. What pdfsig and pyHanko check for integrity; trust in the
//! certificate's issuer is a separate question, reported but not decided here.

use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier};
use der::{Decode as _, Encode as _};
use serde::Serialize;
use sha2::{Digest as _, Sha256};

use crate::package::signing::crypto::{self, DigestAlg, KeyAlg};

/// What was found about one signature.
#[derive(Debug, Clone, Serialize)]
pub struct SignatureCheck {
    pub signer: String,
    pub subject: String,
    /// SHA-256 of the signer's certificate (DER), to compare with the one the authority published.
    pub cert_sha256: String,
    /// The `/M` signing time as written.
    pub time: String,
    pub byte_range: [usize; 4],
    /// The byte ranges cover the whole file except the signature itself.
    pub covers_whole_file: bool,
    pub digest_matches: bool,
    pub signature_verifies: bool,
    pub valid: bool,
    pub problem: Option<String>,
}

/// The signatures of a PDF; empty when it has none.
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    pub signatures: Vec<SignatureCheck>,
    /// Every signature valid, and the last one covers the whole file.
    pub valid: bool,
    /// What makes the file as a whole invalid beyond its signatures, if anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// Each signature hashes the whole file: a hostile PDF with thousands of signature dictionaries
/// would take minutes. Real notices carry one to three.
const MAX_SIGNATURES: usize = 32;

fn find_from(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn byte_range(pdf: &[u8], at: usize) -> Option<[usize; 4]> {
    let open = find_from(pdf, b"[", at)?;
    let close = find_from(pdf, b"]", open)?;
    let text = std::str::from_utf8(&pdf[open + 1..close]).ok()?;
    let nums: Vec<usize> = text.split_whitespace().filter_map(|n| n.parse().ok()).collect();
    (nums.len() == 4).then(|| [nums[0], nums[1], nums[2], nums[3]])
}

/// The text of `/M (…)` in the dictionary around `at`, if any.
fn signing_time(pdf: &[u8], at: usize) -> String {
    let dict_end = find_from(pdf, b"endobj", at).unwrap_or(pdf.len());
    let start = at.saturating_sub(400);
    let Some(m) = pdf.get(..dict_end).and_then(|d| find_from(d, b"/M (", start)) else {
        return String::new();
    };
    // A file cut inside `/M (` has no closing parenthesis: the time is then what is there.
    let open = m + 4;
    let end = find_from(pdf, b")", open).unwrap_or(pdf.len()).min(open + 64);
    pdf.get(open..end)
        .map(|t| String::from_utf8_lossy(t).into_owned())
        .unwrap_or_default()
}

fn hex_decode(hex: &[u8]) -> Option<Vec<u8>> {
    let hex: Vec<u8> = hex.iter().copied().filter(|b| !b.is_ascii_whitespace()).collect();
    hex.chunks(2)
        .map(|pair| {
            let s = std::str::from_utf8(pair).ok()?;
            u8::from_str_radix(s, 16).ok()
        })
        .collect()
}

/// The DER object at the start of `bytes` (the /Contents is padded with zeros).
fn der_prefix(bytes: &[u8]) -> Option<&[u8]> {
    let len_byte = *bytes.get(1)?;
    let (len, header) = if len_byte < 0x80 {
        (len_byte as usize, 2)
    } else {
        let n = (len_byte & 0x7f) as usize;
        if n == 0 || n > 4 {
            return None;
        }
        let len = bytes
            .get(2..2 + n)?
            .iter()
            .fold(0usize, |acc, b| acc << 8 | *b as usize);
        (len, 2 + n)
    };
    bytes.get(..header.checked_add(len)?)
}

fn check_one(pdf: &[u8], at: usize) -> SignatureCheck {
    let mut c = SignatureCheck {
        signer: String::new(),
        subject: String::new(),
        cert_sha256: String::new(),
        time: signing_time(pdf, at),
        byte_range: [0; 4],
        covers_whole_file: false,
        digest_matches: false,
        signature_verifies: false,
        valid: false,
        problem: None,
    };
    let Some(br) = byte_range(pdf, at) else {
        c.problem = Some("the /ByteRange cannot be read".into());
        return c;
    };
    c.byte_range = br;
    let [a, b, d, e] = br;
    let in_file = b <= pdf.len() && d <= pdf.len() && d.checked_add(e).is_some_and(|end| end <= pdf.len());
    if !in_file || a != 0 || b >= d {
        c.problem = Some("the /ByteRange points outside the file".into());
        return c;
    }
    c.covers_whole_file = d + e == pdf.len();
    let gap = &pdf[b..d];
    if gap.first() != Some(&b'<') || gap.last() != Some(&b'>') {
        c.problem = Some("the byte range does not leave out exactly the signature".into());
        return c;
    }
    let Some(blob) = hex_decode(&gap[1..gap.len() - 1]) else {
        c.problem = Some("the signature is not valid hexadecimal".into());
        return c;
    };
    let Some(der) = der_prefix(&blob) else {
        c.problem = Some("the signature is not DER".into());
        return c;
    };
    let sd = match ContentInfo::from_der(der).and_then(|ci| ci.content.decode_as::<SignedData>()) {
        Ok(sd) => sd,
        Err(e) => {
            c.problem = Some(format!("the signature is not CMS SignedData ({e})"));
            return c;
        }
    };
    let mut hasher = Sha256::new();
    hasher.update(&pdf[..b]);
    hasher.update(&pdf[d..d + e]);
    let digest = hasher.finalize();
    let Some(si) = sd.signer_infos.0.iter().next() else {
        c.problem = Some("the signature has no signer".into());
        return c;
    };
    let cert = sd
        .certificates
        .iter()
        .flat_map(|s| s.0.iter())
        .find_map(|choice| match (choice, &si.sid) {
            (
                cms::cert::CertificateChoices::Certificate(cert),
                SignerIdentifier::IssuerAndSerialNumber(id),
            ) if cert.tbs_certificate.issuer == id.issuer
                && cert.tbs_certificate.serial_number == id.serial_number =>
            {
                Some(cert.clone())
            }
            _ => None,
        });
    let Some(cert) = cert else {
        c.problem = Some("the signer's certificate is not in the signature".into());
        return c;
    };
    c.subject = cert.tbs_certificate.subject.to_string();
    c.cert_sha256 = cert
        .to_der()
        .map(|der| crate::case::sha256_hex(&der))
        .unwrap_or_default();
    c.signer = c
        .subject
        .split(',')
        .find_map(|p| p.trim().strip_prefix("CN=").map(str::to_string))
        .unwrap_or_else(|| c.subject.clone());
    let Some(attrs) = &si.signed_attrs else {
        c.problem = Some("the signature has no signed attributes (not PAdES)".into());
        return c;
    };
    let md = attrs
        .iter()
        .find(|a| a.oid.to_string() == "1.2.840.113549.1.9.4")
        .and_then(|a| a.values.iter().next())
        .and_then(|v| v.decode_as::<der::asn1::OctetString>().ok());
    c.digest_matches = md.is_some_and(|m| m.as_bytes() == digest.as_slice());
    let digest_alg = match si.digest_alg.oid.to_string().as_str() {
        "2.16.840.1.101.3.4.2.1" => DigestAlg::Sha256,
        "2.16.840.1.101.3.4.2.3" => DigestAlg::Sha512,
        "1.3.14.3.2.26" => DigestAlg::Sha1,
        other => {
            c.problem = Some(format!("unsupported digest algorithm {other}"));
            return c;
        }
    };
    let oid = cert
        .tbs_certificate
        .subject_public_key_info
        .algorithm
        .oid
        .to_string();
    let Some(key) = KeyAlg::of_spki_oid(&oid).filter(|k| *k != KeyAlg::Dsa) else {
        c.problem = Some(format!("unsupported key algorithm {oid}"));
        return c;
    };
    let spki = cert
        .tbs_certificate
        .subject_public_key_info
        .to_der()
        .unwrap_or_default();
    let signed = attrs.to_der().unwrap_or_default();
    c.signature_verifies = crypto::verify(key, digest_alg, &spki, &signed, si.signature.as_bytes()).is_ok();
    c.valid = c.digest_matches && c.signature_verifies;
    c.problem = match (c.digest_matches, c.signature_verifies) {
        (false, _) => Some("the document was changed after it was signed (the digest does not match)".into()),
        (true, false) => Some("the signature does not match the signer's key".into()),
        _ => None,
    };
    c
}

/// Checks every signature in the PDF.
pub fn verify(pdf: &[u8]) -> Verification {
    let mut signatures = Vec::new();
    let mut problem = None;
    let mut from = 0;
    while let Some(at) = find_from(pdf, b"/ByteRange", from) {
        if signatures.len() == MAX_SIGNATURES {
            problem = Some(format!(
                "the file has more than {MAX_SIGNATURES} signature dictionaries (a notice has one to three); the first {MAX_SIGNATURES} were checked"
            ));
            break;
        }
        signatures.push(check_one(pdf, at));
        from = at + 10;
    }
    let valid = problem.is_none()
        && !signatures.is_empty()
        && signatures.iter().all(|s| s.valid)
        && signatures.iter().any(|s| s.covers_whole_file);
    Verification {
        signatures,
        valid,
        problem,
    }
}
