//! No response waits forever: the cause of the hanging test runs (routes
//! walked while another server renders), the 503 time limit, and the
//! bounded shutdown.
//!
//! These tests hold or provoke leptos_server's process-wide "suppress
//! resource load" flag, which would stall any other test's render in the
//! same process; so they live in their own test binary and run one at a
//! time (the `SERIAL` lock).

mod common;

use std::time::{Duration, Instant};

use common::{fixture_content, TestApp};

static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The search page reads a Resource, the kind of render the flag stalls.
const RESOURCE_PAGE: &str = "/search?q=about";

/// Before the fix, every router walked the app's routes and so set the
/// flag; a search rendered by a server in the same process while another
/// router was being built waited forever (the CI hang). Routes are now
/// walked once per process, so building routers while serving is harmless.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn building_routers_while_serving_never_stalls_a_response() {
    let _serial = SERIAL.lock().await;
    let app = TestApp::spawn_fixture(|c| {
        // Long enough that a stalled render shows as a timeout of the client,
        // not as a 503 from the defence.
        c.http.request_timeout = Duration::from_secs(60);
    })
    .await;
    let content = tempfile::tempdir().unwrap();
    fixture_content(content.path());
    let dir = tempfile::tempdir().unwrap();
    let mut config = academy_server::Config::new(
        dir.path().join("other.db"),
        content.path().to_path_buf(),
        dir.path().join("site"),
    );
    config.watch = false;
    let other = academy_server::state(&config).await.unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let builder = {
        let stop = stop.clone();
        let http = config.http.clone();
        let rt = tokio::runtime::Handle::current();
        std::thread::spawn(move || {
            let _rt = rt.enter();
            let mut built = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                drop(academy_server::router(other.clone(), &http));
                built += 1;
            }
            built
        })
    };
    let mut stalled = 0;
    let mut answered = 0;
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(8) {
        let requests = (0..8).map(|_| {
            let client = app.new_client();
            let url = app.url(RESOURCE_PAGE);
            async move {
                tokio::time::timeout(Duration::from_secs(5), client.get(url).send()).await
            }
        });
        for result in futures_join_all(requests).await {
            match result {
                Ok(Ok(resp)) => {
                    assert_eq!(resp.status(), 200);
                    answered += 1;
                }
                Ok(Err(e)) => panic!("request failed: {e}"),
                Err(_) => stalled += 1,
            }
        }
        if stalled > 0 {
            break;
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let built = builder.join().unwrap();
    assert!(built > 10, "only {built} routers were built");
    assert_eq!(
        stalled, 0,
        "{stalled} responses never started while {built} routers were built ({answered} answered)"
    );
}

/// All of `futures`, concurrently (no extra crate for one call).
async fn futures_join_all<F: std::future::Future + Send + 'static>(
    futures: impl Iterator<Item = F>,
) -> Vec<F::Output>
where
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

/// The route list is walked once per process, when the first router is
/// built, and that walk clears the flag when it ends. A test server builds its
/// router in its own task, possibly after the test set the flag; so walk it
/// first, or the walk would clear the flag the test holds.
fn hold_the_flag_safely() {
    let _ = academy_server::routes();
}

/// A render that cannot finish (here: a Resource under the suppress flag)
/// is answered 503 with a sentence at the time limit, and logged.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stuck_render_answers_503_at_the_time_limit() {
    let _serial = SERIAL.lock().await;
    let app = TestApp::spawn_fixture(|c| c.http.request_timeout = Duration::from_secs(2)).await;
    hold_the_flag_safely();
    let stuck = leptos::server::SuppressResourceLoad::new();
    let started = Instant::now();
    let resp = tokio::time::timeout(Duration::from_secs(20), app.get(RESOURCE_PAGE))
        .await
        .expect("the time limit answers, the client does not have to give up");
    let waited = started.elapsed();
    drop(stuck);
    assert_eq!(resp.status(), 503);
    assert_eq!(resp.headers()["retry-after"], "5");
    let body = resp.text().await.unwrap();
    assert!(
        body.contains("could not prepare this page in time"),
        "{body}"
    );
    assert!(waited >= Duration::from_millis(1900), "{waited:?}");
    // Once nothing is stuck, the same page renders again.
    assert_eq!(app.get(RESOURCE_PAGE).await.status(), 200);
}

/// Shutdown waits for in-flight requests at most `shutdown_grace`, then
/// drops their connections: a stuck request cannot keep the server up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_drops_connections_after_the_grace() {
    let _serial = SERIAL.lock().await;
    let mut app = TestApp::spawn_fixture(|c| {
        c.http.request_timeout = Duration::from_secs(120);
        c.http.shutdown_grace = Duration::from_secs(1);
    })
    .await;
    hold_the_flag_safely();
    let stuck = leptos::server::SuppressResourceLoad::new();
    let request = tokio::spawn({
        let client = app.new_client();
        let url = app.url(RESOURCE_PAGE);
        async move { client.get(url).send().await }
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!request.is_finished(), "the request is in flight");
    let started = Instant::now();
    let server = app.signal_stop().expect("running");
    tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .expect("the server stopped within its grace")
        .unwrap();
    let took = started.elapsed();
    let answer = tokio::time::timeout(Duration::from_secs(5), request)
        .await
        .expect("the client was not left waiting")
        .unwrap();
    drop(stuck);
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(5),
        "{took:?}"
    );
    assert!(answer.is_err(), "the connection was dropped: {answer:?}");
}
