//! Benchmarks live in `benches/`; run them with `cargo bench -p bench`
//! (`make bench` does, and puts the figures in its report). This crate is
//! separate so that `cargo test` never builds criterion.

/// Every lesson file under `dir` (track folders of `.md` files), with its text.
pub fn lesson_files(dir: &std::path::Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Ok(tracks) = std::fs::read_dir(dir) else {
        return out;
    };
    for track in tracks.flatten().filter(|e| e.path().is_dir()) {
        let Ok(files) = std::fs::read_dir(track.path()) else {
            continue;
        };
        for file in files.flatten() {
            let path = file.path();
            if path.extension().is_some_and(|e| e == "md") {
                if let Ok(text) = std::fs::read_to_string(&path) {
                    out.push((track.file_name().to_string_lossy().into_owned(), text));
                }
            }
        }
    }
    out.sort();
    out
}
