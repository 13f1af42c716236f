//! What a recorded behaviour touches: its category and, where it reads personal information, which.
//!
//! The tools describe behaviours in their own words — camille in Chinese (操作行为 "获取电话相关信息",
//! 行为描述 "获取IMEI"), Frida scripts in English or Chinese, hooked API names. Classification reads
//! both the category and the description and matches the words and API names the tools use; what
//! matches nothing stays `Other` and is shown as written, never guessed.

use serde::{Deserialize, Serialize};

use crate::i18n::Text;

/// The kind of behaviour, as the Notice's measures look at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Device identifiers: IMEI, MEID, IMSI, ICCID, serial, ANDROID_ID, OAID, MAC.
    DeviceId,
    /// The installed or running Apps.
    AppList,
    Location,
    ClipboardRead,
    ClipboardWrite,
    Contacts,
    Sms,
    CallLog,
    Camera,
    Microphone,
    Sensor,
    /// Network facts: Wi-Fi SSID/BSSID, IP address, network type, cell towers.
    Network,
    Bluetooth,
    /// A run-time permission request.
    Permission,
    FileWrite,
    /// Starting, waking or calling another App.
    WakeUp,
    /// Other system facts (device model, OS build): not personal information by themselves.
    System,
    Other,
}

impl Category {
    /// Every category, in the order the window lists them.
    pub const ALL: [Category; 18] = [
        Category::DeviceId,
        Category::AppList,
        Category::Location,
        Category::ClipboardRead,
        Category::ClipboardWrite,
        Category::Contacts,
        Category::Sms,
        Category::CallLog,
        Category::Camera,
        Category::Microphone,
        Category::Sensor,
        Category::Network,
        Category::Bluetooth,
        Category::Permission,
        Category::FileWrite,
        Category::WakeUp,
        Category::System,
        Category::Other,
    ];

    /// The keyword stored and shown in JSON.
    pub fn keyword(self) -> &'static str {
        match self {
            Category::DeviceId => "device-id",
            Category::AppList => "app-list",
            Category::Location => "location",
            Category::ClipboardRead => "clipboard-read",
            Category::ClipboardWrite => "clipboard-write",
            Category::Contacts => "contacts",
            Category::Sms => "sms",
            Category::CallLog => "call-log",
            Category::Camera => "camera",
            Category::Microphone => "microphone",
            Category::Sensor => "sensor",
            Category::Network => "network",
            Category::Bluetooth => "bluetooth",
            Category::Permission => "permission",
            Category::FileWrite => "file-write",
            Category::WakeUp => "wake-up",
            Category::System => "system",
            Category::Other => "other",
        }
    }

    pub fn from_keyword(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.keyword() == s)
    }

    /// The category's name in both languages.
    pub fn label(self) -> Text {
        let (zh, en) = match self {
            Category::DeviceId => ("设备标识符", "Device identifiers"),
            Category::AppList => ("应用列表", "App list"),
            Category::Location => ("位置信息", "Location"),
            Category::ClipboardRead => ("读取剪切板", "Clipboard read"),
            Category::ClipboardWrite => ("写入剪切板", "Clipboard write"),
            Category::Contacts => ("通讯录", "Contacts"),
            Category::Sms => ("短信", "SMS"),
            Category::CallLog => ("通话记录", "Call log"),
            Category::Camera => ("摄像头", "Camera"),
            Category::Microphone => ("麦克风", "Microphone"),
            Category::Sensor => ("传感器", "Sensors"),
            Category::Network => ("网络信息", "Network information"),
            Category::Bluetooth => ("蓝牙", "Bluetooth"),
            Category::Permission => ("申请权限", "Permission requests"),
            Category::FileWrite => ("文件写入", "File writes"),
            Category::WakeUp => ("唤醒其他应用", "Waking other Apps"),
            Category::System => ("系统信息", "System information"),
            Category::Other => ("其他", "Other"),
        };
        Text::new(zh, en)
    }

    /// Whether the behaviour reads (or, for the clipboard, handles) personal information: what
    /// may not happen before consent.
    pub fn is_personal(self) -> bool {
        !matches!(
            self,
            Category::Permission
                | Category::FileWrite
                | Category::WakeUp
                | Category::System
                | Category::Other
                | Category::ClipboardWrite
        )
    }
}

/// The personal information a behaviour reads, as precise as the record says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Info {
    Imei,
    Meid,
    Imsi,
    Iccid,
    Serial,
    AndroidId,
    Oaid,
    Mac,
    PhoneNumber,
    AppList,
    RunningApps,
    Location,
    CellTower,
    WifiSsid,
    WifiBssid,
    IpAddress,
    Clipboard,
    Contacts,
    Sms,
    CallLog,
    Photo,
    Audio,
    Sensor,
    Bluetooth,
}

impl Info {
    pub fn keyword(self) -> &'static str {
        match self {
            Info::Imei => "imei",
            Info::Meid => "meid",
            Info::Imsi => "imsi",
            Info::Iccid => "iccid",
            Info::Serial => "serial",
            Info::AndroidId => "android-id",
            Info::Oaid => "oaid",
            Info::Mac => "mac",
            Info::PhoneNumber => "phone-number",
            Info::AppList => "app-list",
            Info::RunningApps => "running-apps",
            Info::Location => "location",
            Info::CellTower => "cell-tower",
            Info::WifiSsid => "wifi-ssid",
            Info::WifiBssid => "wifi-bssid",
            Info::IpAddress => "ip-address",
            Info::Clipboard => "clipboard",
            Info::Contacts => "contacts",
            Info::Sms => "sms",
            Info::CallLog => "call-log",
            Info::Photo => "photo",
            Info::Audio => "audio",
            Info::Sensor => "sensor",
            Info::Bluetooth => "bluetooth",
        }
    }

    pub fn from_keyword(s: &str) -> Option<Self> {
        ALL_INFO.into_iter().find(|i| i.keyword() == s)
    }

    /// Its name in both languages, as a notice states it.
    pub fn label(self) -> Text {
        let (zh, en) = match self {
            Info::Imei => ("IMEI", "IMEI"),
            Info::Meid => ("MEID", "MEID"),
            Info::Imsi => ("IMSI", "IMSI"),
            Info::Iccid => ("ICCID（SIM卡序列号）", "ICCID (SIM serial)"),
            Info::Serial => ("设备序列号", "device serial number"),
            Info::AndroidId => ("ANDROID_ID", "ANDROID_ID"),
            Info::Oaid => ("OAID", "OAID"),
            Info::Mac => ("MAC地址", "MAC address"),
            Info::PhoneNumber => ("手机号码", "phone number"),
            Info::AppList => ("已安装应用列表", "installed App list"),
            Info::RunningApps => ("正在运行的应用", "running Apps"),
            Info::Location => ("位置信息", "location"),
            Info::CellTower => ("基站信息", "cell tower"),
            Info::WifiSsid => ("Wi-Fi名称（SSID）", "Wi-Fi SSID"),
            Info::WifiBssid => ("Wi-Fi BSSID", "Wi-Fi BSSID"),
            Info::IpAddress => ("IP地址", "IP address"),
            Info::Clipboard => ("剪切板内容", "clipboard content"),
            Info::Contacts => ("通讯录", "contacts"),
            Info::Sms => ("短信", "SMS"),
            Info::CallLog => ("通话记录", "call log"),
            Info::Photo => ("图像", "images"),
            Info::Audio => ("音频", "audio"),
            Info::Sensor => ("传感器数据", "sensor data"),
            Info::Bluetooth => ("蓝牙设备信息", "Bluetooth devices"),
        };
        Text::new(zh, en)
    }

    /// A device identifier the user cannot reset (measure 8's "不可变更的设备标识").
    pub fn is_permanent_id(self) -> bool {
        matches!(
            self,
            Info::Imei | Info::Meid | Info::Imsi | Info::Iccid | Info::Serial | Info::Mac
        )
    }
}

const ALL_INFO: [Info; 24] = [
    Info::Imei,
    Info::Meid,
    Info::Imsi,
    Info::Iccid,
    Info::Serial,
    Info::AndroidId,
    Info::Oaid,
    Info::Mac,
    Info::PhoneNumber,
    Info::AppList,
    Info::RunningApps,
    Info::Location,
    Info::CellTower,
    Info::WifiSsid,
    Info::WifiBssid,
    Info::IpAddress,
    Info::Clipboard,
    Info::Contacts,
    Info::Sms,
    Info::CallLog,
    Info::Photo,
    Info::Audio,
    Info::Sensor,
    Info::Bluetooth,
];

/// Words (lower case) in a description, or hooked API names, that name a piece of information.
/// Order matters: the first match wins, so the precise names come before the general ones
/// ("读取小米手机OAID" is OAID, not a phone fact; "wifi BSSID" before "wifi").
const INFO_WORDS: &[(&[&str], Info)] = &[
    (&["oaid"], Info::Oaid),
    (&["meid"], Info::Meid),
    (&["imei", "getdeviceid"], Info::Imei),
    (&["imsi", "getsubscriberid"], Info::Imsi),
    (&["iccid", "sim卡序列号", "getsimserialnumber"], Info::Iccid),
    (
        &["安卓id", "android_id", "androidid", "android id"],
        Info::AndroidId,
    ),
    (&["序列号", "getserial", "serial"], Info::Serial),
    (
        &[
            "mac地址",
            "mac address",
            "getmacaddress",
            "gethardwareaddress",
            "mac",
        ],
        Info::Mac,
    ),
    (
        &["手机号", "电话号码", "getline1number", "phone number"],
        Info::PhoneNumber,
    ),
    (&["bssid"], Info::WifiBssid),
    (&["ssid", "wifi名称"], Info::WifiSsid),
    (
        &["基站", "getcelllocation", "getallcellinfo", "cell"],
        Info::CellTower,
    ),
    (
        &[
            "正在运行",
            "getrunningappprocesses",
            "getrunningtasks",
            "running app",
        ],
        Info::RunningApps,
    ),
    (
        &[
            "其他app",
            "应用列表",
            "安装列表",
            "getinstalledpackages",
            "getinstalledapplications",
            "queryintentactivities",
            "installed app",
            "app list",
        ],
        Info::AppList,
    ),
    (
        &["剪切板", "剪贴板", "clipboard", "getprimaryclip"],
        Info::Clipboard,
    ),
    (&["通讯录", "联系人", "contacts"], Info::Contacts),
    (&["通话记录", "call log", "calllog"], Info::CallLog),
    (&["短信", "sms"], Info::Sms),
    (
        &["ip地址", "ip address", "getipaddress", "getinetaddresses"],
        Info::IpAddress,
    ),
    (
        &[
            "位置",
            "定位",
            "经纬度",
            "getlastknownlocation",
            "requestlocationupdates",
            "location",
        ],
        Info::Location,
    ),
    (&["蓝牙", "bluetooth"], Info::Bluetooth),
    (&["摄像头", "拍照", "相机", "camera"], Info::Photo),
    (&["麦克风", "录音", "microphone", "audiorecord"], Info::Audio),
    (&["传感器", "sensor"], Info::Sensor),
];

/// Words of a category (the tool's 操作行为 or a description) that name it without naming a
/// piece of information.
const CATEGORY_WORDS: &[(&[&str], Category)] = &[
    (
        &[
            "申请权限",
            "requestpermissions",
            "request permission",
            "permission",
        ],
        Category::Permission,
    ),
    (
        &["写入剪切板", "写入剪贴板", "setprimaryclip"],
        Category::ClipboardWrite,
    ),
    (
        &[
            "唤醒",
            "拉起",
            "启动其他",
            "wake",
            "startactivity",
            "startservice",
            "bindservice",
        ],
        Category::WakeUp,
    ),
    (&["文件", "file"], Category::FileWrite),
    (&["网络", "network", "wifi"], Category::Network),
    (&["系统信息", "system", "build"], Category::System),
];

/// The category a piece of information belongs to.
fn category_of(info: Info) -> Category {
    match info {
        Info::Imei
        | Info::Meid
        | Info::Imsi
        | Info::Iccid
        | Info::Serial
        | Info::AndroidId
        | Info::Oaid
        | Info::Mac
        | Info::PhoneNumber => Category::DeviceId,
        Info::AppList | Info::RunningApps => Category::AppList,
        Info::Location | Info::CellTower => Category::Location,
        Info::WifiSsid | Info::WifiBssid | Info::IpAddress => Category::Network,
        Info::Clipboard => Category::ClipboardRead,
        Info::Contacts => Category::Contacts,
        Info::Sms => Category::Sms,
        Info::CallLog => Category::CallLog,
        Info::Photo => Category::Camera,
        Info::Audio => Category::Microphone,
        Info::Sensor => Category::Sensor,
        Info::Bluetooth => Category::Bluetooth,
    }
}

/// Classifies one record from the tool's category (操作行为, or a Frida `action`) and its
/// description (行为描述, or `messages`).
pub fn classify(action: &str, description: &str) -> (Category, Option<Info>) {
    let action = action.to_lowercase();
    let description = description.to_lowercase();
    // A category word in the tool's own category settles a write or request before any
    // information word in the description ("写入剪切板信息" mentions the clipboard).
    for text in [&action, &description] {
        for (words, category) in CATEGORY_WORDS.iter().take(3) {
            if words.iter().any(|w| text.contains(w)) {
                return (*category, None);
            }
        }
    }
    for text in [&description, &action] {
        for (words, info) in INFO_WORDS {
            if words.iter().any(|w| contains_word(text, w)) {
                return (category_of(*info), Some(*info));
            }
        }
    }
    for text in [&action, &description] {
        for (words, category) in CATEGORY_WORDS.iter().skip(3) {
            if words.iter().any(|w| text.contains(w)) {
                return (*category, None);
            }
        }
    }
    (Category::Other, None)
}

/// Whether `word` occurs in `text`; short Latin words ("mac", "sms", "cell") only as a word of their
/// own, so "machine" or "cellular" do not read as a MAC address or a cell tower.
fn contains_word(text: &str, word: &str) -> bool {
    if !word.is_ascii() || word.len() > 6 {
        return text.contains(word);
    }
    text.match_indices(word).any(|(at, _)| {
        let before = text.get(..at).and_then(|s| s.chars().next_back());
        let after = text.get(at + word.len()..).and_then(|s| s.chars().next());
        let letter = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphabetic());
        !letter(before) && !letter(after)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camilles_words_are_classified() {
        for (action, description, category, info) in [
            (
                "获取电话相关信息",
                "获取IMEI",
                Category::DeviceId,
                Some(Info::Imei),
            ),
            (
                "获取电话相关信息",
                "获取MEID",
                Category::DeviceId,
                Some(Info::Meid),
            ),
            (
                "获取系统信息",
                "获取安卓ID",
                Category::DeviceId,
                Some(Info::AndroidId),
            ),
            (
                "获取系统信息",
                "读取小米手机OAID",
                Category::DeviceId,
                Some(Info::Oaid),
            ),
            (
                "获取系统信息",
                "获取设备序列号",
                Category::DeviceId,
                Some(Info::Serial),
            ),
            ("获取网络信息", "获取Mac地址", Category::DeviceId, Some(Info::Mac)),
            (
                "获取网络信息",
                "获取wifi BSSID",
                Category::Network,
                Some(Info::WifiBssid),
            ),
            (
                "获取网络信息",
                "获取wifi SSID",
                Category::Network,
                Some(Info::WifiSsid),
            ),
            (
                "获取位置信息",
                "获取基站信息",
                Category::Location,
                Some(Info::CellTower),
            ),
            (
                "获取其他app信息",
                "APP获取了其他app信息",
                Category::AppList,
                Some(Info::AppList),
            ),
            (
                "获取其他app信息",
                "获取了正在运行的App",
                Category::AppList,
                Some(Info::RunningApps),
            ),
            (
                "获取剪切板信息",
                "读取剪切板信息",
                Category::ClipboardRead,
                Some(Info::Clipboard),
            ),
            ("获取剪切板信息", "写入剪切板信息", Category::ClipboardWrite, None),
            (
                "调用摄像头",
                "调用摄像头拍照",
                Category::Camera,
                Some(Info::Photo),
            ),
            ("获取麦克风", "录音", Category::Microphone, Some(Info::Audio)),
            (
                "申请权限",
                "申请权限 android.permission.READ_PHONE_STATE",
                Category::Permission,
                None,
            ),
            (
                "获取传感器信息",
                "获取传感器列表",
                Category::Sensor,
                Some(Info::Sensor),
            ),
            (
                "获取蓝牙设备信息",
                "获取蓝牙设备名称",
                Category::Bluetooth,
                Some(Info::Bluetooth),
            ),
            ("文件操作", "写入文件 /sdcard/x", Category::FileWrite, None),
            ("用户自定义hook", "自定义方法", Category::Other, None),
        ] {
            assert_eq!(
                classify(action, description),
                (category, info),
                "{action} / {description}"
            );
        }
    }

    #[test]
    fn short_latin_words_match_only_as_words() {
        assert_eq!(classify("", "machine learning model").0, Category::Other);
        assert_eq!(classify("", "getMacAddress").1, Some(Info::Mac));
        assert_eq!(classify("", "read MAC").1, Some(Info::Mac));
    }

    #[test]
    fn keywords_round_trip() {
        for c in Category::ALL {
            assert_eq!(Category::from_keyword(c.keyword()), Some(c));
        }
        for i in ALL_INFO {
            assert_eq!(Info::from_keyword(i.keyword()), Some(i));
        }
    }
}
