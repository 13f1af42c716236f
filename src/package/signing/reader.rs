//! A bounds-checked cursor for the length-prefixed structures of the APK signing block.

use super::SigningError;

pub(crate) struct Reader<'a> {
    data: &'a [u8],
    what: &'static str,
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8], what: &'static str) -> Self {
        Self { data, what }
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// How many bytes are left.
    pub fn remaining(&self) -> usize {
        self.data.len()
    }

    pub fn take(&mut self, n: usize) -> Result<&'a [u8], SigningError> {
        if n > self.data.len() {
            return Err(SigningError::Truncated(self.what));
        }
        let (head, rest) = self.data.split_at(n);
        self.data = rest;
        Ok(head)
    }

    pub fn u32(&mut self) -> Result<u32, SigningError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub fn u64(&mut self) -> Result<u64, SigningError> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }

    /// A u32-length-prefixed slice.
    pub fn prefixed(&mut self) -> Result<&'a [u8], SigningError> {
        let n = self.u32()? as usize;
        self.take(n)
    }

    /// A u32-length-prefixed sequence of u32-length-prefixed items.
    pub fn sequence(&mut self, what: &'static str) -> Result<Vec<&'a [u8]>, SigningError> {
        let mut inner = Reader::new(self.prefixed()?, what);
        let mut items = Vec::new();
        while !inner.is_empty() {
            items.push(inner.prefixed()?);
        }
        Ok(items)
    }
}
