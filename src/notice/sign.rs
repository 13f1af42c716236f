//! PAdES signatures: a CMS SignedData (`ETSI.CAdES.detached`) with the signing-certificate-v2
//! attribute, added to the PDF as an incremental update, so that poppler's pdfsig and pyHanko
//! accept it. RSA and P-256 keys, read from PKCS#12 files.

use std::path::Path;

use cms::builder::{SignedDataBuilder, SignerInfoBuilder};
use cms::cert::CertificateChoices;
use cms::cert::IssuerAndSerialNumber;
use cms::signed_data::{EncapsulatedContentInfo, SignerIdentifier};
use der::asn1::{ObjectIdentifier, SetOfVec};
use der::{Any, Decode as _, Encode as _};
use sha2::{Digest as _, Sha256};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_cert::attr::Attribute;

use super::pdf;

const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const SIGNING_CERTIFICATE_V2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");
const RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const EC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
/// Room reserved for the CMS blob (hex doubles it): a chain of a few certificates fits.
const SIGNATURE_ROOM: usize = 16_384;

#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("cannot read the certificate file {0}")]
    Read(String, #[source] std::io::Error),
    #[error("the password for {0} is wrong (or the file is not a PKCS#12 certificate file)")]
    Password(String),
    #[error("{0} holds no private key with its certificate")]
    NoKey(String),
    #[error("the key in {0} is neither RSA nor P-256, which PDF verifiers accept")]
    KeyType(String),
    #[error("the signature cannot be made: {0}")]
    Cms(String),
    #[error(transparent)]
    Pdf(#[from] pdf::PdfError),
}

/// A signing key with its certificate chain.
pub struct Identity {
    key: Key,
    pub certificate: Certificate,
    pub chain: Vec<Certificate>,
    /// The certificate subject's common name, for the signature's /Name.
    pub name: String,
    /// The subject's organisation (O=), compared with the issuing authority.
    pub organisation: Option<String>,
}

enum Key {
    Rsa(Box<rsa::pkcs1v15::SigningKey<Sha256>>),
    P256(p256::ecdsa::SigningKey),
}

fn organisation(cert: &Certificate) -> Option<String> {
    cert.tbs_certificate
        .subject
        .to_string()
        .split(',')
        .find_map(|part| part.trim().strip_prefix("O=").map(str::to_string))
}

fn common_name(cert: &Certificate) -> String {
    let subject = cert.tbs_certificate.subject.to_string();
    subject
        .split(',')
        .find_map(|part| part.trim().strip_prefix("CN=").map(str::to_string))
        .unwrap_or(subject)
}

impl Identity {
    /// Loads a PKCS#12 file (OpenSSL 3's default export, or a legacy one).
    pub fn load(path: &Path, password: &str) -> Result<Self, SignError> {
        let name = path.display().to_string();
        let data = std::fs::read(path).map_err(|e| SignError::Read(name.clone(), e))?;
        Self::from_pkcs12(&data, password, &name)
    }

    pub fn from_pkcs12(data: &[u8], password: &str, name: &str) -> Result<Self, SignError> {
        let store =
            p12_keystore::KeyStore::from_pkcs12(data, password, p12_keystore::Pkcs12ImportPolicy::Relaxed)
                .map_err(|_| SignError::Password(name.to_string()))?;
        let (_, chain) = store
            .private_key_chain()
            .ok_or_else(|| SignError::NoKey(name.to_string()))?;
        let certs: Vec<Certificate> = chain
            .certs()
            .iter()
            .filter_map(|c| Certificate::from_der(c.as_der()).ok())
            .collect();
        let certificate = certs
            .first()
            .cloned()
            .ok_or_else(|| SignError::NoKey(name.to_string()))?;
        let der = chain.key().as_der();
        let key = match chain.key().oid().to_string().as_str() {
            s if s == RSA.to_string() => {
                use rsa::pkcs8::DecodePrivateKey as _;
                let k = rsa::RsaPrivateKey::from_pkcs8_der(der)
                    .map_err(|_| SignError::KeyType(name.to_string()))?;
                Key::Rsa(Box::new(rsa::pkcs1v15::SigningKey::<Sha256>::new(k)))
            }
            s if s == EC.to_string() => {
                use p256::pkcs8::DecodePrivateKey as _;
                Key::P256(
                    p256::ecdsa::SigningKey::from_pkcs8_der(der)
                        .map_err(|_| SignError::KeyType(name.to_string()))?,
                )
            }
            _ => return Err(SignError::KeyType(name.to_string())),
        };
        Ok(Self {
            key,
            name: common_name(&certificate),
            organisation: organisation(&certificate),
            certificate,
            chain: certs,
        })
    }
}

/// DER: a tag, its length, its content.
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes: Vec<u8> = n.to_be_bytes().iter().copied().skip_while(|b| *b == 0).collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend_from_slice(&bytes);
    }
    out.extend_from_slice(content);
    out
}

/// signing-certificate-v2 (RFC 5035): the SHA-256 of the signer's certificate with its issuer and
/// serial, which PAdES requires so the certificate cannot be swapped.
fn signing_certificate_v2(cert: &Certificate) -> Result<Attribute, SignError> {
    let cms = |e: der::Error| SignError::Cms(e.to_string());
    let der = cert.to_der().map_err(cms)?;
    let hash = Sha256::digest(&der);
    let issuer = cert.tbs_certificate.issuer.to_der().map_err(cms)?;
    let serial = cert.tbs_certificate.serial_number.to_der().map_err(cms)?;
    let general_names = tlv(0x30, &tlv(0xa4, &issuer));
    let issuer_serial = tlv(0x30, &[general_names, serial].concat());
    // hashAlgorithm is left out: its DEFAULT is SHA-256.
    let ess_cert_id = tlv(0x30, &[tlv(0x04, &hash), issuer_serial].concat());
    let value = tlv(0x30, &tlv(0x30, &ess_cert_id));
    let mut values = SetOfVec::new();
    values.insert(Any::from_der(&value).map_err(cms)?).map_err(cms)?;
    Ok(Attribute {
        oid: SIGNING_CERTIFICATE_V2,
        values,
    })
}

/// The detached CMS signature over `digest` (SHA-256 of the signed byte ranges).
pub fn cms_signature(identity: &Identity, digest: &[u8]) -> Result<Vec<u8>, SignError> {
    let err = |e: &dyn std::fmt::Display| SignError::Cms(e.to_string());
    let content = EncapsulatedContentInfo {
        econtent_type: ID_DATA,
        econtent: None,
    };
    let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
        issuer: identity.certificate.tbs_certificate.issuer.clone(),
        serial_number: identity.certificate.tbs_certificate.serial_number.clone(),
    });
    let digest_alg = AlgorithmIdentifierOwned {
        oid: SHA256,
        parameters: None,
    };
    let mut builder = SignedDataBuilder::new(&content);
    builder
        .add_digest_algorithm(digest_alg.clone())
        .map_err(|e| err(&e))?;
    for c in &identity.chain {
        builder
            .add_certificate(CertificateChoices::Certificate(c.clone()))
            .map_err(|e| err(&e))?;
    }
    let attribute = signing_certificate_v2(&identity.certificate)?;
    match &identity.key {
        Key::P256(k) => {
            let mut info =
                SignerInfoBuilder::new(k, sid, digest_alg, &content, Some(digest)).map_err(|e| err(&e))?;
            info.add_signed_attribute(attribute).map_err(|e| err(&e))?;
            builder
                .add_signer_info::<_, p256::ecdsa::DerSignature>(info)
                .map_err(|e| err(&e))?;
        }
        Key::Rsa(k) => {
            let mut info = SignerInfoBuilder::new(k.as_ref(), sid, digest_alg, &content, Some(digest))
                .map_err(|e| err(&e))?;
            info.add_signed_attribute(attribute).map_err(|e| err(&e))?;
            builder
                .add_signer_info::<_, rsa::pkcs1v15::Signature>(info)
                .map_err(|e| err(&e))?;
        }
    }
    let info = builder.build().map_err(|e| err(&e))?;
    info.to_der().map_err(|e| err(&e))
}

/// Signs a PDF written by App Inspector: appends the signature as an incremental update.
pub fn sign(
    pdf_bytes: &[u8],
    identity: &Identity,
    reason: &str,
    location: &str,
    time: chrono::DateTime<chrono::FixedOffset>,
) -> Result<Vec<u8>, SignError> {
    let mut out = pdf::prepare_signature(pdf_bytes, &identity.name, reason, location, time, SIGNATURE_ROOM)?;
    let digest = Sha256::digest(out.signed_bytes());
    let cms = cms_signature(identity, &digest)?;
    out.fill(&cms)?;
    Ok(out.bytes)
}
