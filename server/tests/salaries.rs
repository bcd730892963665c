//! The salary explorer over HTTP with the shipped dataset.

mod common;

use common::{repo_content, TestApp};

fn marks(html: &str) -> usize {
    html.matches(r#"class="mark "#).count()
}

fn rows(html: &str) -> usize {
    html.split("<tbody>")
        .nth(1)
        .map(|t| t.split("</tbody>").next().unwrap().matches("<tr").count())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dataset_is_valid_and_sourced() {
    let store = app::lessons::load::load(&repo_content(), None);
    assert!(
        !store.problems.iter().any(|p| p.file == "salaries.csv"),
        "{:?}",
        store.problems
    );
    assert!(store.salaries.len() >= 25);
    assert!(store
        .salaries
        .iter()
        .all(|r| !r.source.is_empty() && !r.source_url.is_empty()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_figures_show_with_labels_chart_and_sources() {
    let app = TestApp::spawn().await;
    let html = app.expect_page("/salaries", 200).await;
    for figure in ["61,042", "95,000", "87,948"] {
        assert!(html.contains(figure), "{figure} missing");
    }
    assert!(html.contains("As quoted in a careers article; original source not stated."));
    assert!(html.contains("Stack Overflow Developer Survey 2024"));
    assert!(html.contains("n = 58 (small sample)"));
    assert_eq!(marks(&html), rows(&html), "one chart mark per figure");
    assert_eq!(
        rows(&html),
        html.matches(r#"rel="noopener noreferrer""#).count(),
        "every row links to its source"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filtering_by_url_keeps_the_uk_and_drops_the_us() {
    let app = TestApp::spawn().await;
    let (_, html) = app.page("/salaries?country=United+Kingdom").await;
    assert!(html.contains("87,948") && html.contains("101,910"));
    assert!(!html.contains("170,000"), "US back-end figure must be gone");
    assert!(!html.contains("<td>United States</td>"));
    assert_eq!(marks(&html), 3);
    let (_, html) = app.page("/salaries?country=United+Kingdom&role=Back-end+developer&b_country=Germany&b_role=Back-end+developer").await;
    assert!(html.contains("Selection A") && html.contains("Selection B"));
    assert!(html.contains("79,346.5") && html.contains("101,910"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_parameters_get_a_sentence_not_a_500() {
    let app = TestApp::spawn().await;
    let html = app.expect_page("/salaries?country=Narnia", 400).await;
    assert!(html.contains("There are no figures for country “Narnia”"));
    let html = app
        .expect_page("/salaries?role=%3Cscript%3Ealert(1)%3C/script%3E", 400)
        .await;
    assert!(!html.contains("<script>alert"));
    let results = |query| {
        let app = &app;
        async move {
            let form = [("query", query)];
            app.call(&app.new_client(), "/api/salaries/results", &form)
                .await
        }
    };
    let resp = results("country=Germany").await;
    assert_eq!(resp.status(), 200);
    let html: String = resp.json().await.unwrap();
    assert!(html.contains("79,346.5") && !html.contains("170,000"));
    let resp = results("country=Atlantis").await;
    assert_eq!(resp.status(), 400);
}
