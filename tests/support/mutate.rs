//! Deterministic mutation of bytes, for the guards that run in every `cargo test` (the package
//! analysis, and the replay of the fuzz corpora).

use std::io::Read as _;

/// xorshift64*: a small deterministic generator, so a failure replays exactly.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const INTERESTING: [u32; 6] = [0, 1, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff, 0x0001_0000];

pub fn mutate(data: &mut Vec<u8>, rng: &mut Rng) {
    if data.is_empty() {
        return;
    }
    match rng.below(5) {
        0 => {
            let i = rng.below(data.len());
            data[i] ^= 1 << rng.below(8);
        }
        1 => {
            let i = rng.below(data.len());
            data[i] = rng.next() as u8;
        }
        2 if data.len() >= 4 => {
            let i = rng.below(data.len() - 3);
            let v = INTERESTING[rng.below(INTERESTING.len())];
            data[i..i + 4].copy_from_slice(&v.to_le_bytes());
        }
        3 => {
            let cut = rng.below(data.len());
            data.truncate(cut);
        }
        _ => {
            // Duplicate a slice somewhere else: lengths and offsets stop agreeing.
            let a = rng.below(data.len());
            let len = rng.below(64).min(data.len() - a);
            let chunk = data[a..a + len].to_vec();
            let b = rng.below(data.len());
            data.splice(b..b, chunk);
        }
    }
}

pub fn entries(zip_bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap();
    (0..z.len())
        .map(|i| {
            let mut e = z.by_index(i).unwrap();
            let mut data = Vec::new();
            e.read_to_end(&mut data).unwrap();
            (e.name().unwrap().to_string(), data)
        })
        .collect()
}
