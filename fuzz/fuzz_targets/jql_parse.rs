//! Any input: parsing never panics, and whatever parses prints to a query that
//! parses back to the same tree and prints identically (the printer's fixed point).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(query) = tessera::jql::parse(src) {
        let printed = query.to_string();
        let back = tessera::jql::parse(&printed).expect("printed query parses");
        assert_eq!(
            back.without_spans(),
            query.without_spans(),
            "{src:?} printed as {printed:?}"
        );
        assert_eq!(back.to_string(), printed);
        let _ = tessera::jql::validate(&query, &tessera::jql::FieldCatalogue::system());
    }
});
