//! The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a
//! 31-character alphabet (no I, O, S, V, Z), the last a check character over the first 17.
//! Checked when an inspector types one, so a notice never names an enterprise by a mistyped code.

const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// Checks a code; the error says what is wrong in words an inspector can act on.
pub fn check(code: &str) -> Result<(), String> {
    let chars: Vec<char> = code.trim().chars().collect();
    if chars.len() != 18 {
        return Err(format!(
            "the unified social credit code {code:?} has {} characters; it has 18",
            chars.len()
        ));
    }
    let mut values = Vec::with_capacity(18);
    for (i, c) in chars.iter().enumerate() {
        match ALPHABET.find(c.to_ascii_uppercase()) {
            Some(v) => values.push(v as u32),
            None => {
                return Err(format!(
                    "character {} of the unified social credit code {code:?} ({c}) is not one a code can contain (digits and capital letters except I, O, S, V, Z)",
                    i + 1
                ));
            }
        }
    }
    let sum: u32 = values.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    let expected = (31 - sum % 31) % 31;
    if values[17] != expected {
        let want = ALPHABET.chars().nth(expected as usize).unwrap_or('?');
        return Err(format!(
            "the unified social credit code {code:?} fails its check character (the last should be {want} for these 17): a character is probably mistyped"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn real_codes_pass_and_typos_are_caught() {
        for good in [
            "91350100M000100Y43",
            "91110000600037341L",
            "91440300708461136T",
            "911100001000079554",
        ] {
            assert_eq!(check(good), Ok(()), "{good}");
        }
        // One character changed, two swapped, too short, a letter no code uses.
        for bad in [
            "91350100M000100Y44",
            "91530100M000100Y43",
            "91350100M000100Y4",
            "91350100M000100I43",
        ] {
            assert!(check(bad).is_err(), "{bad}");
        }
        assert!(check("91350100M000100Y44").unwrap_err().contains("3"));
    }
}
