//! Pages of account management: "forgot password", the reset form, the
//! audit log, and the sections the account page and the admin user list
//! gain (your sessions, export, deletion; per-user admin actions).

use leptos::prelude::*;
use leptos_meta::Title;

use super::{
    manage_api::{audit_log, disabled_users, my_sessions, reset_by_mail, reset_link_ok},
    session::Access,
};
use crate::i18n::Lang;
use crate::t;
use crate::ui::{
    form::{prefill, query_param, FormError},
    not_found::{loaded, page_user},
    table::ScrollTable,
};

#[component]
pub fn ForgotPage() -> impl IntoView {
    let mail = Resource::new_blocking(|| (), |_| reset_by_mail());
    let sent = query_param("done").as_deref() == Some("sent");
    view! {
        <Title text=t!("auth-forgot-title") />
        <section class="narrow">
            <h1>{t!("auth-forgot-title")}</h1>
            {sent.then(|| view! {
                <p class="notice" role="status">{t!("auth-forgot-sent")}</p>
            })}
            <FormError />
            {loaded(mail, move |on| if on {
                view! {
                    <form method="post" action="/forgot" class="stack-form">
                        <label for="email">{t!("auth-forgot-email")}</label>
                        <input id="email" name="email" type="email" autocomplete="username" required value=prefill("email") />
                        <button class="primary" type="submit">{t!("auth-forgot-send")}</button>
                    </form>
                }.into_any()
            } else {
                view! { <p>{t!("auth-forgot-no-mail")}</p> }.into_any()
            })}
            <p><a href="/login">{t!("auth-back-to-sign-in")}</a></p>
        </section>
    }
}

#[component]
pub fn ResetPage() -> impl IntoView {
    let token = query_param("token").unwrap_or_default();
    let check = {
        let token = token.clone();
        Resource::new_blocking(move || token.clone(), reset_link_ok)
    };
    view! {
        <Title text=t!("auth-reset-title") />
        <section class="narrow">
            <h1>{t!("auth-reset-title")}</h1>
            <FormError />
            {loaded(check, move |ok| if ok {
                view! {
                    <form method="post" action="/reset" class="stack-form">
                        <input type="hidden" name="token" value=token.clone() />
                        <label for="password">{t!("auth-new-password")}</label>
                        <input id="password" name="password" type="password" autocomplete="new-password" required minlength="8" maxlength="128" />
                        <button class="primary" type="submit">{t!("auth-reset-submit")}</button>
                    </form>
                }.into_any()
            } else {
                view! {
                    <p class="error" role="alert">{t!("auth-reset-invalid")}</p>
                    <p><a href="/forgot">{t!("auth-reset-ask-again")}</a></p>
                }.into_any()
            })}
        </section>
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    if let Err(view) = page_user(Access::Admin, "/admin/audit") {
        return view;
    }
    let log = Resource::new_blocking(|| (), |_| audit_log());
    view! {
        <Title text=t!("auth-audit-log") />
        <h1>{t!("auth-audit-log")}</h1>
        <p>{t!("auth-audit-lead")}</p>
        {loaded(log, |rows| {
            let head = view! { <thead><tr><th scope="col">{t!("auth-audit-when")}</th><th scope="col">{t!("auth-audit-who")}</th><th scope="col">{t!("auth-audit-what")}</th><th scope="col">{t!("auth-audit-account")}</th><th scope="col">{t!("auth-audit-from")}</th><th scope="col">{t!("auth-audit-detail")}</th></tr></thead> }.into_any();
            view! {
                <ScrollTable head>
                    {rows.into_iter().map(|r| view! {
                        <tr><td>{Lang::current().when(&r.at)}</td><td>{r.actor}</td><td>{r.action}</td><td>{r.target}</td><td>{r.ip}</td><td>{r.detail}</td></tr>
                    }).collect_view()}
                </ScrollTable>
            }
        })}
    }
    .into_any()
}

/// The account page's sections: your sessions, your data, deletion.
#[component]
pub fn AccountDataSections() -> impl IntoView {
    let sessions = Resource::new_blocking(|| (), |_| my_sessions());
    view! {
        <h2>{t!("auth-your-sessions")}</h2>
        {loaded(sessions, |list| view! {
            <ul class="sessions">
                {list.into_iter().map(|s| view! {
                    <li>
                        <span>{s.browser}" · "{s.ip}{format!(" · {} ", t!("auth-last-seen"))}{Lang::current().when(&s.last_seen)}</span>
                        {if s.current {
                            view! { <strong>{format!(" {}", t!("auth-this-session"))}</strong> }.into_any()
                        } else {
                            view! {
                                <form method="post" action="/account/sessions/end" class="inline-form">
                                    <input type="hidden" name="handle" value=s.handle />
                                    <button type="submit">{t!("auth-end-session")}</button>
                                </form>
                            }.into_any()
                        }}
                    </li>
                }).collect_view()}
            </ul>
        })}
        <h2>{t!("auth-your-data")}</h2>
        <p>
            <a href="/account/export" download="backend-academy-export.json">{t!("auth-export")}</a>
        </p>
        <h2>{t!("auth-delete-title")}</h2>
        <form method="post" action="/account/delete" class="stack-form">
            <p>{t!("auth-delete-lead")}</p>
            <label for="delete-password">{t!("auth-your-password")}</label>
            <input id="delete-password" name="password" type="password" autocomplete="current-password" />
            <label for="delete-code">{t!("auth-delete-code")}</label>
            <input id="delete-code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="6" />
            <label><input type="checkbox" name="confirm" value="yes" required />{format!(" {}", t!("auth-delete-understand"))}</label>
            <button type="submit" class="danger">{t!("auth-delete-submit")}</button>
        </form>
    }
}

/// The admin actions of one account on `/admin/users`.
#[component]
pub fn UserActions(user_id: i64, name: String, disabled: bool) -> impl IntoView {
    let id = user_id.to_string();
    view! {
        <form method="post" action="/admin/users/reset-link" class="inline-form">
            <input type="hidden" name="user_id" value=id.clone() />
            <button type="submit">{t!("auth-reset-link")}</button>
        </form>
        <form method="post" action="/admin/users/disable" class="inline-form">
            <input type="hidden" name="user_id" value=id.clone() />
            <input type="hidden" name="disabled" value=if disabled { "0" } else { "1" } />
            <button type="submit">{if disabled { t!("auth-enable") } else { t!("auth-disable") }}</button>
        </form>
        <form method="post" action="/admin/users/end-sessions" class="inline-form">
            <input type="hidden" name="user_id" value=id.clone() />
            <button type="submit">{t!("auth-end-sessions")}</button>
        </form>
        <form method="post" action="/admin/users/delete" class="inline-form">
            <input type="hidden" name="user_id" value=id.clone() />
            <label><input type="checkbox" name="confirm" value="yes" required />{format!(" {}", t!("auth-delete-user", name = name))}</label>
            <button type="submit" class="danger">{t!("auth-delete")}</button>
        </form>
    }
}

/// The notice of an admin action; the reset link is shown here, once.
#[component]
pub fn AdminNotice() -> impl IntoView {
    let text = match query_param("done").as_deref() {
        Some("link") => {
            let link = query_param("link").unwrap_or_default();
            return view! {
                <p class="notice" role="status">{format!("{} ", t!("auth-reset-link-shown"))}<code>{link}</code></p>
            }
            .into_any();
        }
        Some("disabled") => t!("auth-done-disabled"),
        Some("enabled") => t!("auth-done-enabled"),
        Some("ended") => t!("auth-done-ended"),
        Some("deleted") => t!("auth-done-deleted"),
        _ => return ().into_any(),
    };
    view! { <p class="notice" role="status">{text}</p> }.into_any()
}

/// Ids of disabled accounts, for [`UserActions`].
pub fn disabled_resource() -> Resource<Result<Vec<i64>, crate::error::AppError>> {
    Resource::new_blocking(|| (), |_| disabled_users())
}
