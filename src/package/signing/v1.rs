//! Verifying JAR signing (APK v1): the PKCS#7 signature over the .SF file, the .SF digests of
//! MANIFEST.MF, and the manifest's digest of every entry.

use base64::Engine as _;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier};
use der::{Decode as _, Encode as _};

use super::crypto::{self, DigestAlg, KeyAlg};
use super::{Entries, SchemeCheck};

/// One section of a manifest or .SF file: its raw bytes and its attributes.
struct Section<'a> {
    raw: &'a [u8],
    attrs: Vec<(String, String)>,
}

impl Section<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Splits a manifest into sections; a section ends with its blank line, which belongs to it.
fn sections(data: &[u8]) -> Vec<Section<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut pos = 0;
    let mut lines: Vec<Vec<u8>> = Vec::new();
    while pos < data.len() {
        let end = data[pos..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(data.len(), |i| pos + i + 1);
        let line = &data[pos..end];
        let text = line.strip_suffix(b"\n").unwrap_or(line);
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        pos = end;
        if text.is_empty() {
            if !lines.is_empty() {
                out.push(section(&data[start..pos], std::mem::take(&mut lines)));
            }
            start = pos;
        } else if let (Some(rest), Some(last)) = (text.strip_prefix(b" "), lines.last_mut()) {
            last.extend_from_slice(rest);
        } else {
            lines.push(text.to_vec());
        }
    }
    if !lines.is_empty() {
        out.push(section(&data[start..], lines));
    }
    out
}

fn section(raw: &[u8], lines: Vec<Vec<u8>>) -> Section<'_> {
    let attrs = lines
        .iter()
        .filter_map(|l| {
            let l = String::from_utf8_lossy(l);
            let (k, v) = l.split_once(':')?;
            Some((k.trim().to_string(), v.trim_start().to_string()))
        })
        .collect();
    Section { raw, attrs }
}

const DIGESTS: [(&str, DigestAlg); 3] = [
    ("SHA-512", DigestAlg::Sha512),
    ("SHA-256", DigestAlg::Sha256),
    ("SHA1", DigestAlg::Sha1),
];

/// Checks every digest attribute `<ALG><suffix>` of a section against `data`.
/// `Ok(false)` when the section has no digest we support.
fn check_digests(section: &Section<'_>, suffix: &str, data: &[u8]) -> Result<bool, ()> {
    check_digests_of(section, suffix, |feed| {
        feed(data);
        Ok(())
    })
}

/// As [`check_digests`], over bytes that `source` feeds in pieces (an entry streamed from the
/// package); `Err(())` also when the source fails.
fn check_digests_of(
    section: &Section<'_>,
    suffix: &str,
    source: impl FnOnce(&mut dyn FnMut(&[u8])) -> Result<(), String>,
) -> Result<bool, ()> {
    let mut wanted = Vec::new();
    for (name, alg) in DIGESTS {
        if let Some(value) = section.get(&format!("{name}{suffix}")) {
            let expected = base64::engine::general_purpose::STANDARD
                .decode(value.trim())
                .map_err(|_| ())?;
            wanted.push((alg.hasher(), expected));
        }
    }
    if wanted.is_empty() {
        return Ok(false);
    }
    source(&mut |chunk| {
        for (h, _) in wanted.iter_mut() {
            h.update(chunk);
        }
    })
    .map_err(|_| ())?;
    for (h, expected) in wanted {
        if h.finish() != expected {
            return Err(());
        }
    }
    Ok(true)
}

/// Whether an entry must be listed in the manifest (as apksigner decides).
fn needs_digest(name: &str) -> bool {
    if name.ends_with('/') || name == "META-INF/MANIFEST.MF" {
        return false;
    }
    if let Some(file) = name.strip_prefix("META-INF/")
        && !file.contains('/')
    {
        let upper = file.to_ascii_uppercase();
        if [".SF", ".RSA", ".DSA", ".EC"]
            .iter()
            .any(|ext| upper.ends_with(ext))
            || upper.starts_with("SIG-")
        {
            return false;
        }
    }
    true
}

fn digest_of_oid(oid: &str) -> Option<DigestAlg> {
    match oid {
        "1.3.14.3.2.26" => Some(DigestAlg::Sha1),
        "2.16.840.1.101.3.4.2.1" => Some(DigestAlg::Sha256),
        "2.16.840.1.101.3.4.2.3" => Some(DigestAlg::Sha512),
        _ => None,
    }
}

/// Verifies the PKCS#7 block over the .SF bytes. Returns the certificates (signer first).
fn verify_pkcs7(block: &[u8], sf: &[u8]) -> (Vec<Vec<u8>>, Result<(), String>) {
    let parsed = ContentInfo::from_der(block)
        .map_err(|e| format!("the signature block is not PKCS#7: {e}"))
        .and_then(|ci| {
            ci.content
                .decode_as::<SignedData>()
                .map_err(|e| format!("the signature block has no SignedData: {e}"))
        });
    let sd = match parsed {
        Ok(sd) => sd,
        Err(e) => return (Vec::new(), Err(e)),
    };
    let mut certs: Vec<(Vec<u8>, x509_cert::Certificate)> = Vec::new();
    for choice in sd.certificates.iter().flat_map(|set| set.0.iter()) {
        if let cms::cert::CertificateChoices::Certificate(c) = choice
            && let Ok(der_bytes) = c.to_der()
        {
            certs.push((der_bytes, c.clone()));
        }
    }
    let Some(signer) = sd.signer_infos.0.iter().next() else {
        return (
            certs.into_iter().map(|(d, _)| d).collect(),
            Err("no signer".into()),
        );
    };
    // Put the signer's certificate first.
    if let SignerIdentifier::IssuerAndSerialNumber(id) = &signer.sid
        && let Some(pos) = certs.iter().position(|(_, c)| {
            c.tbs_certificate.issuer == id.issuer && c.tbs_certificate.serial_number == id.serial_number
        })
    {
        let signer_cert = certs.remove(pos);
        certs.insert(0, signer_cert);
    }
    let ders: Vec<Vec<u8>> = certs.iter().map(|(d, _)| d.clone()).collect();
    let result = (|| {
        let (_, cert) = certs.first().ok_or("the signer's certificate is missing")?;
        let digest = digest_of_oid(&signer.digest_alg.oid.to_string())
            .ok_or_else(|| format!("unsupported digest algorithm {}", signer.digest_alg.oid))?;
        let spki = cert
            .tbs_certificate
            .subject_public_key_info
            .to_der()
            .map_err(|e| e.to_string())?;
        let oid = cert
            .tbs_certificate
            .subject_public_key_info
            .algorithm
            .oid
            .to_string();
        let key = KeyAlg::of_spki_oid(&oid).ok_or_else(|| format!("unsupported key algorithm {oid}"))?;
        let signature = signer.signature.as_bytes();
        match &signer.signed_attrs {
            None => crypto::verify(key, digest, &spki, sf, signature),
            Some(attrs) => {
                // With signed attributes, the message digest is one of them and the signature
                // covers their DER encoding as a SET.
                let md_oid = "1.2.840.113549.1.9.4";
                let md = attrs
                    .iter()
                    .find(|a| a.oid.to_string() == md_oid)
                    .and_then(|a| a.values.iter().next())
                    .and_then(|v| v.decode_as::<der::asn1::OctetString>().ok())
                    .ok_or("the signed attributes have no message digest")?;
                if md.as_bytes() != digest.digest(sf).as_slice() {
                    return Err("the .SF file does not match the signed message digest".into());
                }
                let encoded = attrs.to_der().map_err(|e| e.to_string())?;
                crypto::verify(key, digest, &spki, &encoded, signature)
            }
        }
    })();
    (ders, result)
}

/// Verifies the v1 signature. `read` fills a buffer with an entry's bytes; `names` lists every entry.
pub fn verify(names: &[String], entries: &mut dyn Entries) -> Option<SchemeCheck> {
    let fail = |why: String| {
        Some(SchemeCheck {
            certificates: Vec::new(),
            result: Err(why),
            lineage: Vec::new(),
        })
    };
    let sf_name = names.iter().find(|n| {
        n.strip_prefix("META-INF/")
            .is_some_and(|rest| !rest.contains('/'))
            && n.to_ascii_uppercase().ends_with(".SF")
    })?;
    let base = sf_name.get(..sf_name.len() - 3)?;
    let block_name = names.iter().find(|n| {
        n.len() > base.len()
            && n.starts_with(base)
            && matches!(
                n.get(base.len()..)
                    .unwrap_or_default()
                    .to_ascii_uppercase()
                    .as_str(),
                ".RSA" | ".DSA" | ".EC"
            )
    });
    let Some(block_name) = block_name else {
        return fail(format!("{sf_name} has no signature block file"));
    };
    let (mut sf, mut block) = (Vec::new(), Vec::new());
    if let Err(e) = entries
        .read(sf_name, &mut sf)
        .and_then(|()| entries.read(block_name, &mut block))
    {
        return fail(e);
    }
    let (certificates, signature) = verify_pkcs7(&block, &sf);
    let result = signature.and_then(|()| verify_manifest(names, &sf, entries));
    Some(SchemeCheck {
        certificates,
        result,
        lineage: Vec::new(),
    })
}

fn verify_manifest(names: &[String], sf: &[u8], entries: &mut dyn Entries) -> Result<(), String> {
    let mut manifest = Vec::new();
    entries.read("META-INF/MANIFEST.MF", &mut manifest)?;
    let sf_sections = sections(sf);
    let man_sections = sections(&manifest);
    let header = sf_sections.first().ok_or("the .SF file is empty")?;
    // Sections by entry name (the first one of a name, as a linear search would find): a package
    // of 100,000 entries is checked in linear time.
    let mut by_name: std::collections::HashMap<&str, &Section<'_>> = std::collections::HashMap::new();
    for m in man_sections.iter().skip(1) {
        if let Some(n) = m.get("Name") {
            by_name.entry(n).or_insert(m);
        }
    }
    // The whole-manifest digest is the fast path; without it, each entry's section is checked.
    let whole = check_digests(header, "-Digest-Manifest", &manifest);
    if !matches!(whole, Ok(true)) {
        for s in sf_sections.iter().skip(1) {
            let Some(name) = s.get("Name") else { continue };
            let section = by_name
                .get(name)
                .ok_or_else(|| format!("{name} is signed but missing from MANIFEST.MF"))?;
            match check_digests(s, "-Digest", section.raw) {
                Ok(true) => {}
                Ok(false) => return Err(format!("no supported digest for {name} in the .SF file")),
                Err(()) => return Err(format!("the MANIFEST.MF section of {name} was modified")),
            }
        }
    }
    for name in names.iter().filter(|n| needs_digest(n)) {
        let section = by_name
            .get(name.as_str())
            .ok_or_else(|| format!("{name} is not covered by the signature"))?;
        let mut failure = None;
        let checked = check_digests_of(section, "-Digest", |sink| {
            entries
                .stream(name, sink)
                .inspect_err(|e| failure = Some(e.clone()))
        });
        if let Some(e) = failure {
            return Err(e);
        }
        match checked {
            Ok(true) => {}
            Ok(false) => return Err(format!("no supported digest for {name} in MANIFEST.MF")),
            Err(()) => return Err(format!("{name} was modified after signing")),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_sections_keep_their_raw_bytes_and_join_continuations() {
        let m = b"Manifest-Version: 1.0\r\n\r\nName: res/a-very-long-na\r\n me.png\r\nSHA-256-Digest: abc=\r\n\r\n";
        let s = sections(m);
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].get("Name"), Some("res/a-very-long-name.png"));
        assert_eq!(s[1].raw, &m[25..]);
    }

    #[test]
    fn signature_files_need_no_digest_but_other_entries_do() {
        assert!(!needs_digest("META-INF/CERT.RSA"));
        assert!(!needs_digest("META-INF/MANIFEST.MF"));
        assert!(!needs_digest("res/"));
        assert!(needs_digest("classes.dex"));
        assert!(needs_digest("META-INF/services/x"));
    }
}
