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
