//! Any input: rendering wiki markup never panics, and the output holds the renderer's
//! safety property (only its own tags and attributes, safe link targets, every `&` an
//! entity, every element closed).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let html = tessera::markup::render(&text);
    if let Some(problem) = tessera::markup::violation(&html) {
        panic!("{problem} in {html:?} from {text:?}");
    }
});
