//! Markdown pipeline throughput: front matter → pulldown-cmark → syntect
//! highlighting → ammonia, over the shipped curriculum (what start-up and
//! every hot reload do), plus the GIFT parser on the lessons' quizzes.

use std::path::Path;

use app::{
    lessons::{front_matter, render},
    quiz::gift,
};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn curriculum(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let files = bench::lesson_files(&dir);
    assert!(!files.is_empty(), "no lessons under {}", dir.display());
    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
    println!("curriculum: {} lessons, {bytes} bytes", files.len());

    // Held for the whole bench, as a content load holds it (see
    // `fences::syntax_set`): without it every lesson would load the set.
    let _syntaxes = app::lessons::fences::syntax_set();
    let mut group = c.benchmark_group("pipeline");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("render_curriculum", |b| {
        b.iter(|| {
            for (track, text) in &files {
                let parsed = front_matter::parse(text).expect("shipped lessons parse");
                let out = render::render(parsed.body, parsed.body_line, track);
                std::hint::black_box(out);
            }
        })
    });
    let quizzes: Vec<String> = files
        .iter()
        .filter_map(|(track, text)| {
            let parsed = front_matter::parse(text).ok()?;
            render::render(parsed.body, parsed.body_line, track)
                .quiz
                .map(|(src, _)| src)
        })
        .collect();
    group.throughput(Throughput::Bytes(
        quizzes.iter().map(String::len).sum::<usize>() as u64,
    ));
    group.bench_function("parse_gift_quizzes", |b| {
        b.iter(|| {
            for q in &quizzes {
                std::hint::black_box(gift::parse(q).expect("shipped quizzes parse"));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, curriculum);
criterion_main!(benches);
