//! `/account/2fa` (turn two-factor sign-in on or off) and `/login/2fa` (the
//! second step of signing in). Plain forms posting to the handlers at the
//! end of `handlers.rs`; see `totp.rs` for the rules.

use leptos::prelude::*;
use leptos_meta::Title;

use super::session::{current_user, Access};
use crate::{
    error::AppError,
    ui::{
        form::{query_param, use_feedback, FormError},
        not_found::{loaded, page_user},
    },
};

/// What `/account/2fa` shows (see `totp::Enrolment`).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum TwoFactorView {
    On { recovery_left: i64 },
    Setup { secret: String, qr_svg: String },
}

/// The recovery codes just made, given to the page that shows them once
/// (the confirm handler renders the page with them in context).
#[derive(Clone, Debug, PartialEq)]
pub struct NewRecoveryCodes(pub Vec<String>);

/// The caller's two-factor state; starts enrolment if it is off.
#[server(endpoint = "account/2fa")]
pub async fn two_factor_state() -> Result<TwoFactorView, AppError> {
    use super::session::require;
    use super::totp::{enrolment, Enrolment};
    let user = require(Access::SignedIn)?;
    let state = crate::state::app_state()?;
    Ok(match enrolment(&state, &user).await? {
        Enrolment::On { recovery_left } => TwoFactorView::On { recovery_left },
        Enrolment::Setup { secret, qr_svg } => TwoFactorView::Setup { secret, qr_svg },
    })
}

fn notice(done: Option<String>, required: bool) -> Option<impl IntoView> {
    let text = match done.as_deref() {
        Some("off") => "Two-factor sign-in is off. Signing in needs only your password now.",
        _ if required => {
            "Your role must use two-factor sign-in. Turn it on here to go on; your account page, the lessons and signing out stay open meanwhile."
        }
        _ => return None,
    };
    Some(view! { <p class="notice" role="status">{text}</p> })
}

#[component]
pub fn TwoFactorPage() -> impl IntoView {
    if let Err(view) = page_user(Access::SignedIn, "/account/2fa") {
        return view;
    }
    let codes = use_context::<NewRecoveryCodes>();
    let data = Resource::new_blocking(|| (), |_| two_factor_state());
    let required = query_param("required").is_some();
    view! {
        <Title text="Two-factor sign-in" />
        <section class="narrow">
            <h1>"Two-factor sign-in"</h1>
            {notice(query_param("done"), required)}
            <FormError />
            {codes.map(|NewRecoveryCodes(codes)| view! {
                <div class="notice" role="status">
                    <p>"Two-factor sign-in is on. These are your recovery codes: each signs you in once if you lose your phone. Write them down or print them now; they are not shown again."</p>
                    <ul class="recovery-codes">
                        {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                    </ul>
                </div>
            })}
            {loaded(data, |s| match s {
                TwoFactorView::On { recovery_left } => view! {
                    <p>"Two-factor sign-in is on: signing in asks for a code from your authenticator app after your password."</p>
                    <p>{format!("Unused recovery codes: {recovery_left}.")}</p>
                    <h2>"Turn it off"</h2>
                    <form method="post" action="/account/2fa/disable" class="stack-form">
                        <label for="password">"Your password"</label>
                        <input id="password" name="password" type="password" autocomplete="current-password" required />
                        <button type="submit">"Turn two-factor sign-in off"</button>
                    </form>
                }.into_any(),
                TwoFactorView::Setup { secret, qr_svg } => view! {
                    <p>"After your password, signing in will ask for a 6-digit code from an authenticator app on your phone (any app for TOTP codes)."</p>
                    <ol>
                        <li>"Scan this QR code with the app, or type the secret below into it."</li>
                        <li>"Type the code the app shows to confirm."</li>
                    </ol>
                    <div class="qr-code" role="img" aria-label="QR code of the secret" inner_html=qr_svg></div>
                    <p>"Secret: " <code class="totp-secret">{secret}</code></p>
                    <form method="post" action="/account/2fa/confirm" class="stack-form">
                        <label for="code">"Code from the app"</label>
                        <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="7" required />
                        <button class="primary" type="submit">"Turn two-factor sign-in on"</button>
                    </form>
                }.into_any(),
            })}
            <p><a href="/account">"Back to your account"</a></p>
        </section>
    }
    .into_any()
}

#[component]
pub fn LoginTwoFactorPage() -> impl IntoView {
    let failed = use_feedback().is_some();
    if current_user().is_some() && !failed {
        crate::ui::redirect("/dashboard");
    }
    view! {
        <Title text="Two-factor sign-in" />
        <section class="narrow">
            <h1>"Two-factor sign-in"</h1>
            <p>"Type the 6-digit code your authenticator app shows for Backend Academy, or one of your recovery codes."</p>
            <FormError />
            <form method="post" action="/login/2fa" class="stack-form">
                <label for="code">"Code"</label>
                <input id="code" name="code" type="text" autocomplete="one-time-code" autocapitalize="off" spellcheck="false" maxlength="20" required autofocus />
                <button class="primary" type="submit">"Sign in"</button>
            </form>
            <p>"No code? " <a href="/login">"Start again"</a></p>
        </section>
    }
}
