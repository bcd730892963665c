//! Backend Academy: the Leptos app shared by the server (feature `ssr`) and
//! the browser (feature `hydrate`).
//!
//! Pages are rendered on the server; only `#[island]` components ship WASM
//! and hydrate (Leptos islands), so lesson text costs the reader no script.

// Deep `view!` types (forms with many fields) exceed the default limit.
#![recursion_limit = "256"]

// The two macros of the data layer (see `db`): declared here, before any
// module, so every module can use them.
/// Runs `$body` with `$p` bound to the pool of whichever engine `$db` is:
/// the statement is written once and compiled for both engines.
#[cfg(feature = "ssr")]
macro_rules! on_db {
    ($db:expr, |$p:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($p) => $body,
            $crate::db::Db::Postgres($p) => $body,
        }
    };
}

/// Like `on_db!` inside a transaction: `$c` is the engine's connection
/// (`&mut SqliteConnection` or `&mut PgConnection`); reborrow it as
/// `&mut *$c` to use it more than once.
#[cfg(feature = "ssr")]
macro_rules! on_tx {
    ($tx:expr, |$c:ident| $body:expr) => {
        match $tx.tx_mut() {
            $crate::db::Tx::Sqlite(t) => {
                let $c: &mut sqlx::SqliteConnection = &mut *t;
                $body
            }
            $crate::db::Tx::Postgres(t) => {
                let $c: &mut sqlx::PgConnection = &mut *t;
                $body
            }
        }
    };
}

/// Declares modules that exist only in the server build (`ssr`): database,
/// files, form routes. Pages, models and server-function signatures are
/// declared plainly; the browser build needs them too.
macro_rules! server_modules {
    ($($name:ident),* $(,)?) => {
        $(#[cfg(feature = "ssr")] pub mod $name;)*
    };
}

pub mod auth;
pub mod common;
pub mod editor;
pub mod error;
pub mod i18n;
pub mod labs;
pub mod lessons;
pub mod progress;
pub mod quiz;
pub mod salaries;
pub mod ui;

server_modules!(cache, db, state);

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

use auth::pages::{AccountPage, AdminUsersPage, LoginPage, RegisterPage};
use editor::pages::{EditPage, EditorIndex, HistoryPage};
use labs::pages::ExercisePage;
use lessons::pages::{LessonPage, LessonsIndex, SearchPage, TrackPage};
use progress::pages::{CohortPage, DashboardPage, InstructorPage};
use quiz::pages::{AttemptsPage, QuizPage, QuizReviewPage};
use salaries::pages::SalariesPage;
use ui::{home::HomePage, layout::Layout, not_found::NotFound, theme::Theme};

/// The HTML document around every page. Rendered only on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let theme = Theme::from_request();
    // One negotiation per request; every `t!` below reads it from context.
    let lang = i18n::Lang::from_request();
    provide_context(lang);
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        let nonce = leptos::nonce::use_nonce().map(|n| n.to_string());
        if let Ok(v) = http::HeaderValue::from_str(&ui::csp(nonce.as_deref())) {
            resp.insert_header(http::header::CONTENT_SECURITY_POLICY, v);
        }
        // The page's language follows these two headers.
        resp.insert_header(
            http::header::VARY,
            http::HeaderValue::from_static("Cookie, Accept-Language"),
        );
    }
    let css = format!("/{}/academy.css", options.site_pkg_dir);
    view! {
        <!DOCTYPE html>
        <html lang=lang.code() data-theme=theme.attr()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="stylesheet" href=css />
                <link rel="stylesheet" href="/highlight.css" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The routes. Each page is a component in its feature's module.
///
/// Every route renders in `SsrMode::Async`: the server waits for the page's
/// data and sends complete HTML in order. Out-of-order streaming would send
/// `<Suspense>` content as templates swapped in by script, which a reader
/// without JavaScript never sees.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title formatter=|t: String| {
            if t.is_empty() { "Backend Academy".to_string() } else { format!("{t} · Backend Academy") }
        } />
        <Router>
            <Layout>
                <Routes fallback=NotFound>
                    <Route path=path!("") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("lessons") view=LessonsIndex ssr=SsrMode::Async />
                    <Route path=path!("lessons/:track") view=TrackPage ssr=SsrMode::Async />
                    <Route path=path!("lessons/:track/:lesson") view=LessonPage ssr=SsrMode::Async />
                    <Route path=path!("lessons/:track/:lesson/quiz") view=QuizPage ssr=SsrMode::Async />
                    <Route path=path!("lessons/:track/:lesson/exercises/:id") view=ExercisePage ssr=SsrMode::Async />
                    <Route path=path!("lessons/:track/:lesson/quiz/attempts") view=AttemptsPage ssr=SsrMode::Async />
                    <Route path=path!("lessons/:track/:lesson/quiz/attempts/:id") view=AttemptsPage ssr=SsrMode::Async />
                    <Route path=path!("search") view=SearchPage ssr=SsrMode::Async />
                    <Route path=path!("salaries") view=SalariesPage ssr=SsrMode::Async />
                    <Route path=path!("login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("register") view=RegisterPage ssr=SsrMode::Async />
                    <Route path=path!("account") view=AccountPage ssr=SsrMode::Async />
                    <Route path=path!("account/2fa") view=auth::totp_pages::TwoFactorPage ssr=SsrMode::Async />
                    <Route path=path!("login/2fa") view=auth::totp_pages::LoginTwoFactorPage ssr=SsrMode::Async />
                    <Route path=path!("dashboard") view=DashboardPage ssr=SsrMode::Async />
                    <Route path=path!("admin/users") view=AdminUsersPage ssr=SsrMode::Async />
                    <Route path=path!("admin/audit") view=auth::manage_pages::AuditPage ssr=SsrMode::Async />
                    <Route path=path!("forgot") view=auth::manage_pages::ForgotPage ssr=SsrMode::Async />
                    <Route path=path!("reset") view=auth::manage_pages::ResetPage ssr=SsrMode::Async />
                    <Route path=path!("instructor") view=InstructorPage ssr=SsrMode::Async />
                    <Route path=path!("editor") view=EditorIndex ssr=SsrMode::Async />
                    <Route path=path!("editor/:track/:lesson") view=EditPage ssr=SsrMode::Async />
                    <Route path=path!("editor/:track/:lesson/history") view=HistoryPage ssr=SsrMode::Async />
                    <Route path=path!("instructor/cohorts/:id") view=CohortPage ssr=SsrMode::Async />
                    <Route path=path!("instructor/cohorts/:id/quizzes") view=QuizReviewPage ssr=SsrMode::Async />
                </Routes>
            </Layout>
        </Router>
    }
}
