//! Resolving manifest references (`@string/app_name`, `@mipmap/ic_launcher`) through
//! resources.arsc, for every configuration: the default label, the Chinese one, the icon per density.

use apk_info_axml::ARSC;
use apk_info_axml::structs::{ResTableConfig, ResTableEntry, ResourceValueType};

/// One value of a resource in one configuration.
#[derive(Debug, Clone)]
pub struct ConfigValue {
    /// Two-letter language, empty for the default.
    pub language: String,
    /// Two-letter region, empty when none.
    pub region: String,
    /// Screen density in dpi (0 = any).
    pub density: u16,
    pub value: String,
}

fn locale_part(bits: u16) -> String {
    let [a, b] = bits.to_le_bytes();
    if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() {
        format!("{}{}", a as char, b as char)
    } else {
        String::new()
    }
}

fn describe(config: &ResTableConfig) -> (String, String, u16) {
    let language = locale_part((config.locale & 0xffff) as u16);
    let region = locale_part((config.locale >> 16) as u16);
    let density = (config.screen_type >> 16) as u16;
    (language, region.to_uppercase(), density)
}

/// Every configuration's value of the resource that `reference` (`@type/name`) names.
/// A value that is itself a reference is resolved in the default configuration.
pub fn values(arsc: &ARSC, reference: &str) -> Vec<ConfigValue> {
    let Some(name) = reference.strip_prefix('@') else {
        return Vec::new();
    };
    let Some(id) = arsc.get_resource_id(name) else {
        return Vec::new();
    };
    let package_id = (id >> 24) as u8;
    let type_id = ((id >> 16) & 0xff) as u8;
    let entry_id = (id & 0xffff) as u16;
    let mut out = Vec::new();
    for package in arsc.packages().filter(|p| p.header.id == u32::from(package_id)) {
        for (config, types) in &package.resources {
            let Some(ResTableEntry::Default(entry)) = types.get(&type_id).and_then(|t| t.find(entry_id))
            else {
                continue;
            };
            let value = match entry.value.data_type {
                // Guard against a reference to itself; the library resolves chains in the default config.
                ResourceValueType::Reference if entry.value.data == id => continue,
                ResourceValueType::Reference => match arsc.get_resource_value(entry.value.data) {
                    Some(v) => v,
                    None => continue,
                },
                _ => arsc.value_to_string(&entry.value),
            };
            let (language, region, density) = describe(config);
            out.push(ConfigValue {
                language,
                region,
                density,
                value,
            });
        }
    }
    out
}

/// The default-configuration value and the Simplified-Chinese one (zh-CN, else zh without region,
/// else zh-SG) of a string attribute, which may be a literal or a reference.
pub fn label(arsc: Option<&ARSC>, attribute: &str) -> (String, Option<String>) {
    let Some(arsc) = arsc.filter(|_| attribute.starts_with('@')) else {
        return (attribute.to_string(), None);
    };
    let all = values(arsc, attribute);
    let default = all
        .iter()
        .find(|v| v.language.is_empty())
        .or(all.first())
        .map(|v| v.value.clone())
        .unwrap_or_default();
    let zh = ["CN", "", "SG"].iter().find_map(|region| {
        all.iter()
            .find(|v| v.language == "zh" && v.region == *region)
            .map(|v| v.value.clone())
    });
    (default, zh)
}

/// Files a drawable or mipmap reference points to, highest density first.
pub fn files(arsc: &ARSC, reference: &str) -> Vec<(u16, String)> {
    let mut files: Vec<(u16, String)> = values(arsc, reference)
        .into_iter()
        .filter(|v| v.value.starts_with("res/"))
        .map(|v| (v.density, v.value))
        .collect();
    // 0xfffe (anydpi) and 0xffff (nodpi) sort by themselves; real densities above them.
    files.sort_by_key(|(d, path)| {
        let rank = if *d >= 0xfffe { 0 } else { u32::from(*d) + 1 };
        (std::cmp::Reverse(rank), path.clone())
    });
    files.dedup();
    files
}
