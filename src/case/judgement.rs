//! How the inspector's judgement and the accepted automatic suggestions make a test point's status.
//!
//! One rule, used both when the store writes and when the audit trail is replayed, so that what
//! the database holds and what the trail proves cannot drift apart:
//!
//! - A test point the inspector has judged belongs to the inspector. Accepting or rejecting a
//!   suggestion there is recorded, but changes neither the status nor the note.
//! - Otherwise its status is the worst of the suggestions accepted on it (non-compliant, then
//!   partial, compliant, not applicable), whatever the order they were accepted in; with none
//!   accepted, it is not checked.
//!
//! "Judged" means the inspector gave a status or wrote a note. Setting a test point back to "not
//! checked" with an empty note hands it back: nothing a person wrote is there to protect.

use crate::status::Status;

/// Who a test point's assessment came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Inspector,
    Automatic,
}

impl Source {
    pub fn keyword(self) -> &'static str {
        match self {
            Source::Inspector => "inspector",
            Source::Automatic => "automatic",
        }
    }

    pub fn from_keyword(word: &str) -> Option<Self> {
        match word {
            "inspector" => Some(Source::Inspector),
            "automatic" => Some(Source::Automatic),
            _ => None,
        }
    }
}

/// How severe a suggested status is: the worst accepted suggestion decides.
pub fn severity(status: Status) -> u8 {
    match status {
        Status::NonCompliant => 4,
        Status::Partial => 3,
        Status::Compliant => 2,
        Status::NotApplicable => 1,
        Status::NotChecked => 0,
    }
}

/// The worst of the accepted suggestions' statuses; `None` when none is accepted.
pub fn worst(accepted: impl IntoIterator<Item = Status>) -> Option<Status> {
    accepted
        .into_iter()
        .filter(|s| *s != Status::NotChecked)
        .max_by_key(|s| severity(*s))
}

/// Whether the inspector has judged a test point whose assessment is `(status, note, source)`.
pub fn judged_by_inspector(status: Status, note: &str, source: &str) -> bool {
    source == Source::Inspector.keyword() && (status != Status::NotChecked || !note.is_empty())
}

/// What the automatic assessment of a test point becomes after a review, given the statuses of
/// the suggestions now accepted on it; `None` when the inspector owns the test point (nothing
/// changes), `Some(None)` when no automatic assessment remains.
pub fn after_review(
    current: Option<(Status, &str, &str)>,
    accepted: impl IntoIterator<Item = Status>,
) -> Option<Option<Status>> {
    if let Some((status, note, source)) = current
        && judged_by_inspector(status, note, source)
    {
        return None;
    }
    Some(worst(accepted))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worst_accepted_suggestion_decides_whatever_the_order() {
        use Status::*;
        assert_eq!(worst([Partial, NonCompliant, Compliant]), Some(NonCompliant));
        assert_eq!(worst([Compliant, Partial]), Some(Partial));
        assert_eq!(worst([]), None);
        assert_eq!(worst([NotChecked]), None);
    }

    #[test]
    fn the_inspector_keeps_a_judged_test_point() {
        use Status::*;
        assert_eq!(
            after_review(Some((Compliant, "", "inspector")), [NonCompliant]),
            None
        );
        assert_eq!(
            after_review(Some((NotChecked, "见截图", "inspector")), [Partial]),
            None
        );
        // Handed back: not checked, nothing written.
        assert_eq!(
            after_review(Some((NotChecked, "", "inspector")), [Partial]),
            Some(Some(Partial))
        );
        assert_eq!(
            after_review(Some((Partial, "", "automatic")), [NonCompliant, Partial]),
            Some(Some(NonCompliant))
        );
        assert_eq!(after_review(Some((Partial, "", "automatic")), []), Some(None));
        assert_eq!(after_review(None, [Compliant]), Some(Some(Compliant)));
    }
}
