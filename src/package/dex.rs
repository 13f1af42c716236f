//! A DEX class-list reader: header → string_ids → type_ids → class_defs, nothing more.
//!
//! Every offset and count in a DEX file is attacker-controlled. Each read goes through
//! [`Dex::u32_at`] or [`Dex::bytes`], which bound-check; counts are checked against the file size
//! before anything is sized from them.

use std::fmt;

/// Why a DEX file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DexError {
    /// Not a DEX file at all.
    BadMagic,
    /// A structure runs past the end of the file.
    Truncated(&'static str),
    /// A count or index that cannot be right.
    Malformed(String),
}

impl fmt::Display for DexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DexError::BadMagic => write!(f, "not a DEX file (bad magic number)"),
            DexError::Truncated(what) => write!(f, "unexpected end of the DEX file in {what}"),
            DexError::Malformed(why) => write!(f, "malformed DEX file: {why}"),
        }
    }
}

impl std::error::Error for DexError {}

const HEADER_SIZE: usize = 0x70;
const CLASS_DEF_SIZE: usize = 32;

struct Dex<'a> {
    data: &'a [u8],
}

impl<'a> Dex<'a> {
    fn bytes(&self, offset: usize, len: usize, what: &'static str) -> Result<&'a [u8], DexError> {
        let end = offset.checked_add(len).ok_or(DexError::Truncated(what))?;
        self.data.get(offset..end).ok_or(DexError::Truncated(what))
    }

    fn u32_at(&self, offset: usize, what: &'static str) -> Result<u32, DexError> {
        let b = self.bytes(offset, 4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// A table of `count` items of `size` bytes at `offset`, checked to lie inside the file.
    fn table(&self, count_at: usize, what: &'static str, size: usize) -> Result<(usize, usize), DexError> {
        let count = self.u32_at(count_at, what)? as usize;
        let offset = self.u32_at(count_at + 4, what)? as usize;
        let len = count
            .checked_mul(size)
            .ok_or_else(|| DexError::Malformed(format!("{what} count {count} overflows")))?;
        if count > 0 {
            self.bytes(offset, len, what)?;
        }
        Ok((count, offset))
    }

    /// The string at index `idx`, decoded from MUTF-8.
    fn string(&self, ids: (usize, usize), idx: usize) -> Result<String, DexError> {
        if idx >= ids.0 {
            return Err(DexError::Malformed(format!("string index {idx} out of range")));
        }
        let data_off = self.u32_at(ids.1 + idx * 4, "string_ids")? as usize;
        let mut pos = data_off;
        // uleb128 length in UTF-16 units: skip it (at most 5 bytes).
        for _ in 0..5 {
            let b = *self.data.get(pos).ok_or(DexError::Truncated("string data"))?;
            pos += 1;
            if b & 0x80 == 0 {
                break;
            }
        }
        let rest = self.data.get(pos..).ok_or(DexError::Truncated("string data"))?;
        let end = rest
            .iter()
            .position(|&b| b == 0)
            .ok_or(DexError::Truncated("string data"))?;
        Ok(decode_mutf8(&rest[..end]))
    }
}

/// Modified UTF-8 as DEX stores it; anything undecodable becomes U+FFFD rather than an error,
/// since a class name with a bad byte is still evidence.
fn decode_mutf8(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => {
            // MUTF-8 encodes NUL as C0 80 and supplementary characters as surrogate pairs;
            // both are rare in class names, so a lossy decode is enough.
            String::from_utf8_lossy(bytes).into_owned()
        }
    }
}

/// Turns `Lcom/example/Foo;` into `com.example.Foo`; other descriptors (arrays, primitives) give `None`.
fn class_name(descriptor: &str) -> Option<String> {
    let inner = descriptor.strip_prefix('L')?.strip_suffix(';')?;
    Some(inner.replace('/', "."))
}

/// The names of the classes a DEX file defines, in file order.
pub fn class_names(data: &[u8]) -> Result<Vec<String>, DexError> {
    if data.len() < 8 || &data[..4] != b"dex\n" || data[7] != 0 {
        return Err(DexError::BadMagic);
    }
    let dex = Dex { data };
    dex.bytes(0, HEADER_SIZE, "header")?;
    let endian = dex.u32_at(40, "header")?;
    if endian != 0x1234_5678 {
        return Err(DexError::Malformed(format!("unsupported endian tag {endian:#x}")));
    }
    let strings = dex.table(56, "string_ids", 4)?;
    let types = dex.table(64, "type_ids", 4)?;
    let (class_count, class_off) = dex.table(96, "class_defs", CLASS_DEF_SIZE)?;
    let mut names = Vec::with_capacity(class_count);
    for i in 0..class_count {
        let type_idx = dex.u32_at(class_off + i * CLASS_DEF_SIZE, "class_defs")? as usize;
        if type_idx >= types.0 {
            return Err(DexError::Malformed(format!(
                "class #{i} names type {type_idx} of {}",
                types.0
            )));
        }
        let descriptor_idx = dex.u32_at(types.1 + type_idx * 4, "type_ids")? as usize;
        let descriptor = dex.string(strings, descriptor_idx)?;
        if let Some(name) = class_name(&descriptor) {
            names.push(name);
        }
    }
    Ok(names)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A minimal valid DEX with the given class descriptors (the sample package's writer).
    pub fn build(descriptors: &[&str]) -> Vec<u8> {
        let owned: Vec<String> = descriptors.iter().map(|d| d.to_string()).collect();
        crate::sample::apk::dex(&owned)
    }

    #[test]
    fn reads_class_names() {
        let dex = build(&[
            "Lcom/tencent/bugly/Bugly;",
            "Lcn/jpush/android/api/JPushInterface;",
        ]);
        assert_eq!(
            class_names(&dex).unwrap(),
            ["com.tencent.bugly.Bugly", "cn.jpush.android.api.JPushInterface"]
        );
    }

    #[test]
    fn lying_offsets_and_counts_are_errors_not_panics() {
        let good = build(&["La/B;", "Lc/D;"]);
        assert_eq!(class_names(b"not a dex"), Err(DexError::BadMagic));
        assert!(matches!(class_names(&good[..0x60]), Err(DexError::Truncated(_))));
        let mut huge = good.clone();
        huge[96..100].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(class_names(&huge).is_err());
        let mut far = good.clone();
        far[60..64].copy_from_slice(&0xffff_fff0u32.to_le_bytes());
        assert!(class_names(&far).is_err());
        let mut bad_type = good.clone();
        let class_off = u32::from_le_bytes(good[100..104].try_into().unwrap()) as usize;
        bad_type[class_off..class_off + 4].copy_from_slice(&77u32.to_le_bytes());
        assert!(matches!(class_names(&bad_type), Err(DexError::Malformed(_))));
        // Every truncation of a valid file is handled.
        for cut in 0..good.len() {
            let _ = class_names(&good[..cut]);
        }
    }
}
