//! A case bundle, through everything import checks: names, sizes, hashes, the audit chain and its
//! replay, case.json against the trail, the checklist, field lengths. Into one in-memory database.
#![no_main]
use std::cell::RefCell;

use app_inspector::case::Store;

thread_local! {
    static STORE: RefCell<Store> =
        RefCell::new(Store::open(std::path::Path::new(":memory:")).expect("an in-memory database"));
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    STORE.with(|s| {
        let _ = app_inspector::fuzzing::import_bundle(&mut s.borrow_mut(), data);
    });
});
