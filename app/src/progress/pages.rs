//! `/dashboard` and the cohort pieces of `/account`.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::auth::{pages::redirect_to_login, session::current_user};

/// The signed-in home.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let Some(user) = current_user() else {
        redirect_to_login("/dashboard");
        return ().into_any();
    };
    view! {
        <Title text="Dashboard" />
        <h1>{format!("Welcome, {}", user.display_name)}</h1>
        <p class="lead">"Pick up a lesson from the " <a href="/lessons">"curriculum"</a> "."</p>
    }
    .into_any()
}

/// Join a cohort with an invite code (shown on `/account`).
#[component]
pub fn JoinCohortForm() -> impl IntoView {
    view! {
        <h2>"Join a cohort"</h2>
        <form method="post" action="/account/cohorts" class="stack-form">
            <label for="join-code">"Invite code"</label>
            <input id="join-code" name="code" type="text" autocomplete="off" required />
            <button type="submit">"Join"</button>
        </form>
    }
}
