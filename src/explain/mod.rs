//! An error as a person reads it: the message, then each cause not already said ("cannot read
//! /x/app.apk: No such file or directory"). `to_string()` shows only the first part of a library
//! error; the cause is often what tells the user what to do. The window, the batch JSON lines and
//! the command line all say errors this way.

/// The whole sentence of an error and its causes.
pub fn explain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let more = c.to_string();
        if !text.contains(&more) {
            text = format!("{text}: {more}");
        }
        cause = c.source();
    }
    text
}

mod zh;

/// The whole sentence of an error and its causes in `lang`. The library's errors are worded in
/// English (the command line, logs and bug reports read them); the window speaks the inspector's
/// language, so each error the window meets has its Chinese wording here. An error without one
/// (a rare internal failure) is said in English rather than not at all.
pub fn explain_in(e: &(dyn std::error::Error + 'static), lang: crate::i18n::Lang) -> String {
    if lang == crate::i18n::Lang::En {
        return explain(e);
    }
    let mut text = zh::say(e).unwrap_or_else(|| e.to_string());
    let mut cause = e.source();
    while let Some(c) = cause {
        let more = zh::say(c).unwrap_or_else(|| c.to_string());
        if !text.contains(&more) {
            text = format!("{text}：{more}");
        }
        cause = c.source();
    }
    text
}
