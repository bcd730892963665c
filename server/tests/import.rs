//! `academy import SRC DEST` with the real binary: a plain folder of
//! markdown and an mdBook become content trees that `academy check-content`
//! accepts, with the report on standard output, and a second import writes
//! byte-identical files.

use std::{
    collections::BTreeMap,
    fs,
    path::{Path, PathBuf},
    process::Command,
};

/// A few bytes with a PNG signature: the loader checks names, not pixels.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

fn write(root: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, bytes).unwrap();
}

fn read(root: &Path, rel: &str) -> String {
    fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Runs the binary; returns (success, stdout, stderr).
fn academy(args: &[&Path]) -> (bool, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_academy"));
    let out = cmd
        .args(args)
        .env_remove("ACADEMY_CONTENT")
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

fn import(src: &Path, dest: &Path) -> String {
    let (ok, stdout, stderr) = academy(&[Path::new("import"), src, dest]);
    assert!(ok, "import failed:\n{stdout}\n{stderr}");
    stdout
}

fn check_content(dest: &Path) {
    let (ok, stdout, stderr) = academy(&[Path::new("check-content"), dest]);
    assert!(ok, "check-content found problems:\n{stdout}\n{stderr}");
    assert!(stdout.contains("no problems"), "{stdout}");
}

/// Every file under `root`, relative path → bytes.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.insert(
                    p.strip_prefix(root).unwrap().to_path_buf(),
                    fs::read(&p).unwrap(),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn files(snap: &BTreeMap<PathBuf, Vec<u8>>) -> Vec<String> {
    snap.keys()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect()
}

#[test]
fn a_plain_folder_becomes_tracks_that_pass_the_content_check() {
    let src = tempfile::tempdir().unwrap();
    let dest = tempfile::tempdir().unwrap();
    let notes = src.path().join("notes");
    write(
        &notes,
        "01-http/01-requests.md",
        "# Requests\n\nA request has a method\nand a path.\n\nNext: [responses](02-responses.md).\n\n```yml\nkey: value\n```\n\n## Methods\n\nGET and POST.\n",
    );
    write(
        &notes,
        "01-http/02-responses.md",
        "# Responses\n\nStatus codes say what happened.\n\n![Flow](img/flow.png)\n\n```jsx\nconst A = () => <div/>;\n```\n\n```http\nGET / HTTP/1.1\n```\n",
    );
    write(&notes, "01-http/img/flow.png", PNG);
    write(
        &notes,
        "2_databases/intro.md",
        "# Databases, an intro\n\nTables and rows.\n\nBack to [requests](../01-http/01-requests.md#methods).\n",
    );
    write(&notes, "2_databases/unused.png", PNG);

    let out_dir = dest.path().join("content");
    let report = import(&notes, &out_dir);
    let d = out_dir.as_path();
    let first = snapshot(d);
    assert_eq!(
        files(&first),
        [
            "databases/intro.md",
            "databases/track.toml",
            "http/img/flow.png",
            "http/requests.md",
            "http/responses.md",
            "http/track.toml",
        ]
    );
    assert_eq!(
        read(d, "http/requests.md"),
        "---\n# Imported by `academy import` from 01-http/01-requests.md: the next import overwrites this file.\n\
         id: http-requests\ntitle: Requests\nsummary: A request has a method and a path.\norder: 1\n---\n\n\
         A request has a method\nand a path.\n\nNext: [responses](/lessons/http/responses).\n\n```yaml\nkey: value\n```\n\n## Methods\n\nGET and POST.\n"
    );
    let responses = read(d, "http/responses.md");
    assert!(
        responses.contains("id: http-responses\ntitle: Responses\n"),
        "{responses}"
    );
    assert!(responses.contains("order: 2\n"), "{responses}");
    assert!(responses.contains("![Flow](img/flow.png)"), "{responses}");
    assert!(responses.contains("```javascript\n"), "{responses}");
    let intro = read(d, "databases/intro.md");
    assert!(
        intro.contains("id: databases-intro\ntitle: Databases, an intro\n"),
        "{intro}"
    );
    assert!(
        intro.contains("[requests](/lessons/http/requests#methods)"),
        "{intro}"
    );
    assert!(read(d, "http/track.toml").contains("title = \"Http\"\nsummary = \"\"\norder = 1\n"));
    assert!(read(d, "databases/track.toml")
        .contains("title = \"Databases\"\nsummary = \"\"\norder = 2\n"));

    assert!(
        report.contains("01-http/02-responses.md:11: fence language `http`: the highlighter has no syntax for it"),
        "{report}"
    );
    assert!(
        report.contains("fence languages mapped: jsx → javascript (1), yml → yaml (1)"),
        "{report}"
    );
    assert!(
        report.contains("imported 3 lesson(s) in 2 track(s) (http: 2, databases: 1) and 1 image(s) from a folder of markdown; 1 note(s)"),
        "{report}"
    );
    check_content(d);

    let again = import(&notes, &out_dir);
    assert_eq!(again, report);
    assert_eq!(snapshot(d), first, "a second import writes the same bytes");
}

#[test]
fn an_mdbook_becomes_tracks_next_to_existing_ones() {
    let src = tempfile::tempdir().unwrap();
    let dest = tempfile::tempdir().unwrap();
    let book = src.path().join("web-book");
    write(
        &book,
        "book.toml",
        "[book]\ntitle = \"Web basics\"\nsrc = \"src\"\n",
    );
    write(
        &book,
        "src/SUMMARY.md",
        "# Summary\n\n[Introduction](README.md)\n\n# Getting started\n\n- [Installing](setup/install.md)\n    - [On Linux](setup/linux.md)\n- [Templates](templates.md)\n\n# Styling\n\n- [Stylesheets](styles/index.md)\n- [Future work]()\n\n[Glossary](glossary.md)\n",
    );
    write(
        &book,
        "src/README.md",
        "# Welcome\n\nThis book teaches the web, one page at a time.\n\nStart with [installing](setup/install.md).\n",
    );
    write(
        &book,
        "src/setup/install.md",
        "# Installing the tools\n\nInstall things first.\n\n```console\n$ npm install\n```\n\n{{#include ../snippets/note.md}}\n\nNext: [templates](../templates.md#layouts).\n",
    );
    write(
        &book,
        "src/snippets/note.md",
        "> Included from a snippet.\n",
    );
    write(
        &book,
        "src/setup/linux.md",
        "# On Linux\n\nUse your package manager.\n\n![A terminal](../images/terminal.png)\n",
    );
    write(&book, "src/images/terminal.png", PNG);
    write(
        &book,
        "src/templates.md",
        "# Templates\n\nRender HTML on the server.\n\n## Layouts\n\n```ejs\n{{#include ../listings/layout.ejs:body}}\n```\n\n```kotlin\nfun main() {}\n```\n",
    );
    write(
        &book,
        "listings/layout.ejs",
        "<html>\n<!-- ANCHOR: body -->\n<body><%= content %></body>\n<!-- ANCHOR_END: body -->\n</html>\n",
    );
    write(
        &book,
        "src/styles/index.md",
        "# Stylesheets\n\nStyle the pages.\n\n```scss\n$c: red;\na { color: $c; }\n```\n\n![Diagram](../images/diagram.svg)\n",
    );
    write(&book, "src/images/diagram.svg", "<svg/>");
    write(&book, "src/glossary.md", "# Glossary\n\nWords we use.\n");

    // DEST already holds a track; it stays as it is.
    let d = dest.path();
    let existing_lesson = "---\nid: kept\ntitle: Kept\norder: 1\n---\nKept as it is.\n";
    write(
        d,
        "existing/track.toml",
        "title = \"Existing\"\norder = 3\n",
    );
    write(d, "existing/kept.md", existing_lesson);

    let report = import(&book, d);
    let first = snapshot(d);
    assert_eq!(
        files(&first),
        [
            "existing/kept.md",
            "existing/track.toml",
            "getting-started/images/terminal.png",
            "getting-started/install.md",
            "getting-started/introduction.md",
            "getting-started/linux.md",
            "getting-started/templates.md",
            "getting-started/track.toml",
            "styling/glossary.md",
            "styling/styles.md",
            "styling/track.toml",
        ]
    );
    assert_eq!(read(d, "existing/kept.md"), existing_lesson);
    assert!(read(d, "getting-started/track.toml")
        .contains("title = \"Getting started\"\nsummary = \"\"\norder = 4\n"));
    assert!(
        read(d, "styling/track.toml").contains("title = \"Styling\"\nsummary = \"\"\norder = 5\n")
    );

    // Prefix chapter: first lesson of the first part; ids from paths.
    assert_eq!(
        read(d, "getting-started/introduction.md"),
        "---\n# Imported by `academy import` from src/README.md: the next import overwrites this file.\n\
         id: web-book-readme\ntitle: Welcome\nsummary: This book teaches the web, one page at a time.\norder: 1\n---\n\n\
         This book teaches the web, one page at a time.\n\nStart with [installing](/lessons/getting-started/install).\n"
    );
    let install = read(d, "getting-started/install.md");
    assert!(install.contains("id: web-book-setup-install\ntitle: Installing the tools\nsummary: Install things first.\norder: 2\n"), "{install}");
    assert!(install.contains("```bash\n$ npm install\n```"), "{install}");
    assert!(
        install.contains("\n> Included from a snippet.\n"),
        "{install}"
    );
    assert!(!install.contains("{{#include"), "{install}");
    assert!(
        install.contains("[templates](/lessons/getting-started/templates#layouts)"),
        "{install}"
    );
    let linux = read(d, "getting-started/linux.md");
    assert!(
        linux.contains("id: web-book-setup-linux\ntitle: On Linux\n")
            && linux.contains("order: 3\n"),
        "{linux}"
    );
    assert!(
        linux.contains("![A terminal](images/terminal.png)"),
        "{linux}"
    );
    let templates = read(d, "getting-started/templates.md");
    assert!(templates.contains("order: 4\n"), "{templates}");
    assert!(
        templates.contains("```erb\n<body><%= content %></body>\n```"),
        "{templates}"
    );
    let styles = read(d, "styling/styles.md");
    assert!(
        styles.contains("id: web-book-styles-index\ntitle: Stylesheets\n")
            && styles.contains("order: 1\n"),
        "{styles}"
    );
    assert!(styles.contains("```css\n$c: red;"), "{styles}");
    assert!(
        styles.contains("\nDiagram\n") && !styles.contains("diagram.svg"),
        "{styles}"
    );
    // Suffix chapter: last lesson of the last part.
    let glossary = read(d, "styling/glossary.md");
    assert!(
        glossary.contains("id: web-book-glossary\ntitle: Glossary\n")
            && glossary.contains("order: 2\n"),
        "{glossary}"
    );

    for line in [
        "src/SUMMARY.md:14: draft chapter \"Future work\" has no file yet: skipped",
        "src/templates.md:11: fence language `kotlin`: the highlighter has no syntax for it or a close one; shown as plain text",
        "src/styles/index.md:10: image ../images/diagram.svg: only png, jpg, gif and webp are served; replaced by its alt text",
        "fence languages mapped: console → bash (1), ejs → erb (1), scss → css (1)",
        "imported 6 lesson(s) in 2 track(s) (getting-started: 4, styling: 2) and 1 image(s) from an mdBook; 3 note(s)",
    ] {
        assert!(report.contains(line), "missing `{line}` in:\n{report}");
    }
    check_content(d);

    // Again: byte-identical, and ids stay even when titles change.
    let again = import(&book, d);
    assert_eq!(again, report);
    assert_eq!(snapshot(d), first, "a second import writes the same bytes");
    write(
        &book,
        "src/glossary.md",
        "# Words, renamed\n\nWords we use.\n",
    );
    import(&book, d);
    let glossary = read(d, "styling/glossary.md");
    assert!(
        glossary.contains("id: web-book-glossary\ntitle: Words, renamed\n"),
        "{glossary}"
    );
    check_content(d);
}
