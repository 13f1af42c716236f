//! The automatic rules: facts that package analysis can establish without a phone, each able to
//! prefill the test points a checklist names it on. This is the one list of rule ids; a checklist that
//! names any other id is refused, and the package analysis implements every id listed here.

use crate::i18n::Text;

/// One automatic rule: its id and what it looks for.
#[derive(Debug, Clone, Copy)]
pub struct AutomaticRule {
    pub id: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

impl AutomaticRule {
    pub fn description(&self) -> Text {
        Text::new(self.zh, self.en)
    }
}

macro_rules! rules {
    ($($id:literal => $zh:literal, $en:literal;)+) => {
        /// Every automatic rule, in a stable order.
        pub const AUTOMATIC_RULES: &[AutomaticRule] = &[$(AutomaticRule { id: $id, zh: $zh, en: $en },)+];
    };
}

rules! {
    "install-packages-permission" => "声明 REQUEST_INSTALL_PACKAGES 权限，可请求系统安装其他安装包",
        "declares REQUEST_INSTALL_PACKAGES: may ask the system to install other packages";
    "package-identity" => "安装包身份（名称、包名、版本、签名者），供与推荐页比对",
        "the package's identity (name, package, version, signer), to compare with the recommendation page";
    "blank-label" => "应用名称为空、仅含空白或不可见字符",
        "the App label is empty, blank or made of invisible characters";
    "transparent-icon" => "启动图标全部或大部分透明",
        "the launcher icon is fully or mostly transparent";
    "hidden-launcher" => "清单中的启动入口（MAIN/LAUNCHER），供在手机上核查图标是否始终可见",
        "the launcher entry in the manifest (MAIN/LAUNCHER), to check on the phone that the icon stays visible";
    "overlay-permission" => "声明 SYSTEM_ALERT_WINDOW 权限，可在其他应用上层弹窗",
        "declares SYSTEM_ALERT_WINDOW: can draw windows over other Apps";
    "ad-sdk" => "集成广告SDK（开屏、弹窗、摇一摇广告的来源）",
        "embeds advertising SDKs (the usual source of splash, pop-up and shake-to-open ads)";
    "payment-sdk" => "集成支付SDK（存在付费、会员或自动续费业务的迹象）",
        "embeds payment SDKs (a sign of paid, membership or auto-renewal services)";
    "autostart-receiver" => "注册开机、网络变化、应用安装等广播接收器（自启动能力，需动态确认）",
        "registers receivers for boot, connectivity, package and similar broadcasts (a self-start capability, to confirm dynamically)";
    "wakeup-sdk" => "集成的推送SDK：第三方推送（可能相互唤醒）与手机厂商推送通道分开列出",
        "embedded push SDKs: third-party push (may wake other Apps) listed apart from phone makers' channels";
    "hot-update" => "集成热更新框架，可不经应用商店更新代码",
        "embeds a hot-update framework: code can change without a store update";
    "package-visibility" => "声明 QUERY_ALL_PACKAGES 或广泛的应用查询，可读取已安装应用列表",
        "declares QUERY_ALL_PACKAGES or broad package queries: can read the installed-App list";
    "device-identifier-access" => "声明电话状态等可读取设备标识的权限（Android 10 及以上实际使用OAID、ANDROID_ID）",
        "declares phone-state permissions that reach device identifiers (on Android 10+ the identifiers in use are OAID and ANDROID_ID)";
    "sensitive-permissions" => "声明的危险权限（位置、通讯录、短信、通话记录、相机、麦克风、存储等）",
        "declared dangerous permissions (location, contacts, SMS, call log, camera, microphone, storage …)";
    "background-location" => "声明后台定位权限 ACCESS_BACKGROUND_LOCATION",
        "declares background location (ACCESS_BACKGROUND_LOCATION)";
    "legacy-target-sdk" => "targetSdkVersion 低于23，所有权限在安装时一次性授予，无法动态申请",
        "targetSdkVersion below 23: every permission is granted at install, none is requested at use";
    "privacy-policy-bundled" => "安装包内附带隐私政策或用户协议文档",
        "privacy policy or user agreement documents shipped inside the package";
    "sdk-inventory" => "安装包内嵌的第三方SDK清单及其识别依据",
        "the third-party SDKs embedded in the package, with the classes that prove them";
    "debuggable" => "应用可被调试（android:debuggable=true）",
        "the App is debuggable (android:debuggable=true)";
    "allow-backup" => "允许系统备份应用数据（android:allowBackup 未关闭）",
        "App data may be backed up by the system (android:allowBackup not disabled)";
    "cleartext-traffic" => "允许明文HTTP通信",
        "cleartext HTTP traffic is allowed";
    "exported-components" => "未受权限保护的导出组件",
        "exported components not protected by a permission";
    "signature-scheme" => "签名方案及其校验结果（仅v1签名或签名校验失败）",
        "signing schemes and whether they verify (v1 only, or a signature that does not verify)";
    "debug-certificate" => "使用调试证书签名",
        "signed with a debug certificate";
    "certificate-validity" => "签名证书已过期、尚未生效或使用弱算法",
        "the signing certificate is expired, not yet valid, or uses a weak algorithm";
}

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static AutomaticRule> {
    AUTOMATIC_RULES.iter().find(|r| r.id == id)
}

/// What any suggestion's rule looks for: a package rule here, or a run-time rule
/// (`runtime-…@log`, [`crate::runtime::rules`]). `None` for an id neither knows.
pub fn describe(id: &str) -> Option<Text> {
    rule(id)
        .map(AutomaticRule::description)
        .or_else(|| crate::runtime::rules::rule(id).map(|r| Text::new(r.zh, r.en)))
}

/// Whether a suggestion by `rule` may stand on a test point: a package rule the checklist names
/// there (`named`), or a run-time rule made for that test point.
pub fn may_suggest(rule: &str, testpoint: &str, named: &[String]) -> bool {
    named.iter().any(|n| n == rule)
        || crate::runtime::rules::rule(rule).is_some_and(|r| r.testpoints.contains(&testpoint))
}
