//! Fuzzes everything an editor's file goes through: decoding, front matter, its typed
//! values, Markdown with links and quizzes, the site model, and the printed diagnostics.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    jiangtang_fuzz::content(data);
});
