//! `cert new`: a self-signed P-256 signing certificate in a PKCS#12 file, for trials and for
//! enterprise self-examination reports. Administrations use the certificates their CA issues.

use std::str::FromStr as _;
use std::time::Duration;

use der::Encode as _;
use p256::pkcs8::EncodePrivateKey as _;
use x509_cert::builder::{Builder as _, CertificateBuilder, Profile};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::SubjectPublicKeyInfoOwned;
use x509_cert::time::Validity;

#[derive(Debug, thiserror::Error)]
pub enum CertError {
    #[error("the name {0:?} cannot be used in a certificate")]
    Name(String),
    #[error("the certificate cannot be made: {0}")]
    Build(String),
}

/// RFC 4514 escaping of an attribute value.
fn escape(value: &str) -> String {
    let mut out = String::new();
    for (i, c) in value.chars().enumerate() {
        if matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';' | '=') || (i == 0 && matches!(c, '#' | ' ')) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Makes a key and a self-signed certificate valid for `years`, and returns the PKCS#12 bytes
/// protected by `password`.
pub fn new_pkcs12(name: &str, org: Option<&str>, years: u32, password: &str) -> Result<Vec<u8>, CertError> {
    let build = |e: &dyn std::fmt::Display| CertError::Build(e.to_string());
    let (key, cert_der) = self_signed(name, org, years)?;
    let key_der = key.to_pkcs8_der().map_err(|e| build(&e))?;
    let private = p12_keystore::PrivateKey::from_der(key_der.as_bytes()).map_err(|e| build(&e))?;
    let certificate = p12_keystore::Certificate::from_der(&cert_der).map_err(|e| build(&e))?;
    let chain = p12_keystore::PrivateKeyChain::new(b"app-inspector".to_vec(), private, [certificate]);
    let mut store = p12_keystore::KeyStore::new();
    store.add_entry(
        "app-inspector",
        p12_keystore::KeyStoreEntry::PrivateKeyChain(chain),
    );
    store.writer(password).write().map_err(|e| build(&e))
}

/// A new P-256 key and a self-signed certificate for it (DER), valid for `years`.
pub fn self_signed(
    name: &str,
    org: Option<&str>,
    years: u32,
) -> Result<(p256::ecdsa::SigningKey, Vec<u8>), CertError> {
    let build = |e: &dyn std::fmt::Display| CertError::Build(e.to_string());
    let mut dn = format!("CN={}", escape(name));
    if let Some(o) = org.filter(|o| !o.trim().is_empty()) {
        dn = format!("{dn},O={}", escape(o));
    }
    let subject = Name::from_str(&dn).map_err(|_| CertError::Name(name.to_string()))?;
    let key = p256::ecdsa::SigningKey::random(&mut rand_core::OsRng);
    let spki = SubjectPublicKeyInfoOwned::from_key(*key.verifying_key()).map_err(|e| build(&e))?;
    let mut serial = [0u8; 16];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut serial);
    serial[0] &= 0x7f;
    let serial = SerialNumber::new(&serial).map_err(|e| build(&e))?;
    let validity =
        Validity::from_now(Duration::from_secs(u64::from(years) * 365 * 24 * 3600)).map_err(|e| build(&e))?;
    let profile = Profile::Leaf {
        issuer: subject.clone(),
        enable_key_agreement: false,
        enable_key_encipherment: false,
    };
    let builder =
        CertificateBuilder::new(profile, serial, validity, subject, spki, &key).map_err(|e| build(&e))?;
    let cert = builder
        .build::<p256::ecdsa::DerSignature>()
        .map_err(|e| build(&e))?;
    let cert_der = cert.to_der().map_err(|e| build(&e))?;
    Ok((key, cert_der))
}
