//! Fuzzes `jiangtang import`: the package (zip), WordprocessingML and the Markdown
//! written from it.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    jiangtang_fuzz::import(data);
});
