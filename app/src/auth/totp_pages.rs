//! `/account/2fa` (turn two-factor sign-in on or off) and `/login/2fa` (the
//! second step of signing in). Plain forms posting to the handlers at the
//! end of `handlers.rs`; see `totp.rs` for the rules.

use leptos::prelude::*;
use leptos_meta::Title;

use super::session::{current_user, Access};
use crate::{
    error::AppError,
    i18n::Lang,
    t,
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
        Some("off") => t!("auth-two-factor-off-done"),
        _ if required => t!("auth-two-factor-required"),
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
        <Title text=t!("auth-two-factor") />
        <section class="narrow">
            <h1>{t!("auth-two-factor")}</h1>
            {notice(query_param("done"), required)}
            <FormError />
            {codes.map(|NewRecoveryCodes(codes)| view! {
                <div class="notice" role="status">
                    <p>{t!("auth-two-factor-codes")}</p>
                    <ul class="recovery-codes">
                        {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                    </ul>
                </div>
            })}
            {loaded(data, |s| match s {
                TwoFactorView::On { recovery_left } => view! {
                    <p>{t!("auth-two-factor-on")}</p>
                    <p>{t!("auth-two-factor-recovery-left", count = Lang::current().int(recovery_left))}</p>
                    <h2>{t!("auth-two-factor-turn-off")}</h2>
                    <form method="post" action="/account/2fa/disable" class="stack-form">
                        <label for="password">{t!("auth-your-password")}</label>
                        <input id="password" name="password" type="password" autocomplete="current-password" required />
                        <button type="submit">{t!("auth-two-factor-off-button")}</button>
                    </form>
                }.into_any(),
                TwoFactorView::Setup { secret, qr_svg } => view! {
                    <p>{t!("auth-two-factor-setup-lead")}</p>
                    <ol>
                        <li>{t!("auth-two-factor-step-scan")}</li>
                        <li>{t!("auth-two-factor-step-confirm")}</li>
                    </ol>
                    <div class="qr-code" role="img" aria-label=t!("auth-two-factor-qr") inner_html=qr_svg></div>
                    <p>{format!("{} ", t!("auth-two-factor-secret"))}<code class="totp-secret">{secret}</code></p>
                    <form method="post" action="/account/2fa/confirm" class="stack-form">
                        <label for="code">{t!("auth-two-factor-app-code")}</label>
                        <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="7" required />
                        <button class="primary" type="submit">{t!("auth-two-factor-on-button")}</button>
                    </form>
                }.into_any(),
            })}
            <p><a href="/account">{t!("auth-back-to-account")}</a></p>
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
        <Title text=t!("auth-two-factor") />
        <section class="narrow">
            <h1>{t!("auth-two-factor")}</h1>
            <p>{t!("auth-two-factor-login-lead")}</p>
            <FormError />
            <form method="post" action="/login/2fa" class="stack-form">
                <label for="code">{t!("auth-code")}</label>
                <input id="code" name="code" type="text" autocomplete="one-time-code" autocapitalize="off" spellcheck="false" maxlength="20" required autofocus />
                <button class="primary" type="submit">{t!("auth-sign-in")}</button>
            </form>
            <p>{format!("{} ", t!("auth-no-code"))}<a href="/login">{t!("auth-start-again")}</a></p>
        </section>
    }
}
