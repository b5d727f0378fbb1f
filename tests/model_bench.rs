//! Benchmark of the model phase (`Site::build` and `Site::build_with`) on a generated
//! corpus: a full build, then body edits of one lesson rebuilt with the previous cache.
//!
//! `JIANGTANG_BENCH_SITE=DIR cargo test --release --test model_bench -- --ignored --nocapture`

use std::sync::Arc;
use std::time::Instant;

use jiangtang::content::{self, SourceFile};
use jiangtang::site::{BodyWords, BuildOptions, Site};
use jiangtang::{Options, load_config};

#[test]
#[ignore = "benchmark: needs JIANGTANG_BENCH_SITE (a generated corpus) and a release build"]
fn bench_model() {
    let Some(root) = std::env::var_os("JIANGTANG_BENCH_SITE") else {
        eprintln!("set JIANGTANG_BENCH_SITE to a site folder");
        return;
    };
    let edits: usize = std::env::var("JIANGTANG_BENCH_EDITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let opts = Options {
        root: root.into(),
        now: content::frontmatter::parse_datetime("2026-03-10 10:00"),
        ..Options::default()
    };
    let config = load_config(&opts).expect("site.yaml");
    let (sources, assets) = content::walk(&opts.root).expect("content");
    let mut sources: Vec<Arc<SourceFile>> = sources.into_iter().map(Arc::new).collect();
    let bopts = BuildOptions {
        drafts: false,
        now: opts.now.expect("now"),
        words: BodyWords::default(),
    };
    let t = Instant::now();
    let cpu = cpu_ms();
    let (mut site, _) =
        Site::build(config.clone(), &sources, assets.clone(), &bopts).expect("full build");
    let full = t.elapsed();
    let full_cpu = cpu_ms() - cpu;
    let mb = |n: usize| n as f64 / 1048576.0;
    let (body, html, text) = site.pages().fold((0, 0, 0), |(b, h, t), p| {
        (
            b + p.src.body.len(),
            h + p.md.html.len(),
            t + p.md.text.len(),
        )
    });
    eprintln!(
        "held by the pages: bodies {:.1} MB, html {:.1} MB, text {:.1} MB",
        mb(body),
        mb(html),
        mb(text)
    );

    let lesson = sources
        .iter()
        .position(|s| s.rel.starts_with("courses/") && !s.rel.ends_with("index.md"))
        .expect("a lesson");
    let original = sources[lesson].bytes.to_vec();
    let mut times = Vec::new();
    let mut edit_cpu = 0.0;
    let mut old_sites = Vec::new();
    for i in 0..edits {
        let mut bytes = original.clone();
        bytes.extend_from_slice(format!("\n\n第 {i} 次修改。\n").as_bytes());
        sources[lesson] = Arc::new(SourceFile {
            path: sources[lesson].path.clone(),
            rel: sources[lesson].rel.clone(),
            bytes: bytes.into(),
        });
        let t = Instant::now();
        let cpu = cpu_ms();
        let (next, _) = Site::build_with(
            config.clone(),
            &sources,
            assets.clone(),
            &bopts,
            &site.cache,
        )
        .expect("rebuild");
        times.push(t.elapsed());
        edit_cpu += cpu_ms() - cpu;
        // Dropped after the loop, so that the figures are those of the builds alone.
        old_sites.push(std::mem::replace(&mut site, next));
    }
    drop(old_sites);
    let edit_cpu = edit_cpu / edits.max(1) as f64;
    eprintln!("CPU: full build {full_cpu:.0} ms; body edit {edit_cpu:.1} ms");
    times.sort();
    if times.is_empty() {
        return;
    }
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    eprintln!(
        "model: {} pages; full {:.1} ms; body edit: median {:.1} ms, min {:.1} ms, max {:.1} ms",
        site.pages().len(),
        ms(full),
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
    );
}

/// User and system CPU time of the whole process so far (all threads), in milliseconds.
fn cpu_ms() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime, fields 14 and 15 of the line, in clock ticks of 10 ms.
    (ticks(11) + ticks(12)) * 10.0
}
