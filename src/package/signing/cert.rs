//! Reading signing certificates into the facts an inspector records.

use der::{Decode as _, Encode as _};
use sha2::{Digest as _, Sha256};
use x509_cert::Certificate as X509;

use crate::package::report::Certificate;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The DER SubjectPublicKeyInfo of a certificate.
pub fn public_key_der(cert: &[u8]) -> Result<Vec<u8>, String> {
    let c = X509::from_der(cert).map_err(|e| format!("the certificate cannot be read: {e}"))?;
    c.tbs_certificate
        .subject_public_key_info
        .to_der()
        .map_err(|e| e.to_string())
}

fn algorithm_name(oid: &der::asn1::ObjectIdentifier) -> String {
    match oid.to_string().as_str() {
        "1.2.840.113549.1.1.4" => "md5WithRSAEncryption".into(),
        "1.2.840.113549.1.1.5" => "sha1WithRSAEncryption".into(),
        "1.2.840.113549.1.1.11" => "sha256WithRSAEncryption".into(),
        "1.2.840.113549.1.1.12" => "sha384WithRSAEncryption".into(),
        "1.2.840.113549.1.1.13" => "sha512WithRSAEncryption".into(),
        "1.2.840.113549.1.1.10" => "rsassaPss".into(),
        "1.2.840.10045.4.1" => "ecdsa-with-SHA1".into(),
        "1.2.840.10045.4.3.2" => "ecdsa-with-SHA256".into(),
        "1.2.840.10045.4.3.3" => "ecdsa-with-SHA384".into(),
        "1.2.840.10045.4.3.4" => "ecdsa-with-SHA512".into(),
        "1.2.840.10040.4.3" => "dsa-with-sha1".into(),
        "2.16.840.1.101.3.4.3.2" => "dsa-with-sha256".into(),
        other => other.to_string(),
    }
}

fn key_description(cert: &X509) -> String {
    let spki = &cert.tbs_certificate.subject_public_key_info;
    match spki.algorithm.oid.to_string().as_str() {
        "1.2.840.113549.1.1.1" => {
            use rsa::pkcs1::DecodeRsaPublicKey as _;
            use rsa::traits::PublicKeyParts as _;
            match rsa::RsaPublicKey::from_pkcs1_der(spki.subject_public_key.raw_bytes()) {
                Ok(k) => format!("RSA {}", k.n().bits()),
                Err(_) => "RSA".into(),
            }
        }
        "1.2.840.10045.2.1" => {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<der::asn1::ObjectIdentifier>().ok())
                .map(|oid| match oid.to_string().as_str() {
                    "1.2.840.10045.3.1.7" => "P-256".to_string(),
                    "1.3.132.0.34" => "P-384".to_string(),
                    "1.3.132.0.35" => "P-521".to_string(),
                    other => other.to_string(),
                })
                .unwrap_or_default();
            format!("EC {curve}").trim().to_string()
        }
        "1.2.840.10040.4.1" => "DSA".into(),
        other => other.to_string(),
    }
}

fn time(t: &x509_cert::time::Time) -> String {
    let secs = t.to_unix_duration().as_secs();
    chrono::DateTime::<chrono::Utc>::from_timestamp(secs as i64, 0)
        .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

/// Describes a DER certificate; `None` when it cannot be parsed.
pub fn describe(der_bytes: &[u8], scheme: &str) -> Option<Certificate> {
    let c = X509::from_der(der_bytes).ok()?;
    let tbs = &c.tbs_certificate;
    let subject = tbs.subject.to_string();
    Some(Certificate {
        sha256: hex(&Sha256::digest(der_bytes)),
        debug: subject.contains("CN=Android Debug"),
        issuer: tbs.issuer.to_string(),
        subject,
        serial: hex(tbs.serial_number.as_bytes()),
        not_before: time(&tbs.validity.not_before),
        not_after: time(&tbs.validity.not_after),
        signature_algorithm: algorithm_name(&c.signature_algorithm.oid),
        key: key_description(&c),
        schemes: vec![scheme.to_string()],
    })
}
