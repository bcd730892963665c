//! Pages of account management: "forgot password", the reset form, the
//! audit log, and the sections the account page and the admin user list
//! gain (your sessions, export, deletion; per-user admin actions).

use leptos::prelude::*;
use leptos_meta::Title;

use super::{
    manage_api::{audit_log, disabled_users, my_sessions, reset_by_mail, reset_link_ok},
    session::Access,
};
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
        <Title text="Forgot your password?" />
        <section class="narrow">
            <h1>"Forgot your password?"</h1>
            {sent.then(|| view! {
                <p class="notice" role="status">"If an account has this address, a reset link is on its way. It works once, for 24 hours."</p>
            })}
            <FormError />
            {loaded(mail, move |on| if on {
                view! {
                    <form method="post" action="/forgot" class="stack-form">
                        <label for="email">"Your account's email"</label>
                        <input id="email" name="email" type="email" autocomplete="username" required value=prefill("email") />
                        <button class="primary" type="submit">"Send me a reset link"</button>
                    </form>
                }.into_any()
            } else {
                view! { <p>"Password reset by email is not set up here. Ask an administrator for a reset link."</p> }.into_any()
            })}
            <p><a href="/login">"Back to sign-in"</a></p>
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
        <Title text="Choose a new password" />
        <section class="narrow">
            <h1>"Choose a new password"</h1>
            <FormError />
            {loaded(check, move |ok| if ok {
                view! {
                    <form method="post" action="/reset" class="stack-form">
                        <input type="hidden" name="token" value=token.clone() />
                        <label for="password">"New password"</label>
                        <input id="password" name="password" type="password" autocomplete="new-password" required minlength="8" maxlength="128" />
                        <button class="primary" type="submit">"Set password and sign out everywhere"</button>
                    </form>
                }.into_any()
            } else {
                view! {
                    <p class="error" role="alert">"This reset link cannot be used: it was used already, it is older than 24 hours, or it was copied incompletely."</p>
                    <p><a href="/forgot">"Ask for a new link"</a></p>
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
        <Title text="Audit log" />
        <h1>"Audit log"</h1>
        <p>"Who did what to which account, when, and from which address (newest first, the last 500)."</p>
        {loaded(log, |rows| {
            let head = view! { <thead><tr><th scope="col">"When (UTC)"</th><th scope="col">"Who"</th><th scope="col">"What"</th><th scope="col">"Account"</th><th scope="col">"From"</th><th scope="col">"Detail"</th></tr></thead> }.into_any();
            view! {
                <ScrollTable head>
                    {rows.into_iter().map(|r| view! {
                        <tr><td>{r.at}</td><td>{r.actor}</td><td>{r.action}</td><td>{r.target}</td><td>{r.ip}</td><td>{r.detail}</td></tr>
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
        <h2>"Your sessions"</h2>
        {loaded(sessions, |list| view! {
            <ul class="sessions">
                {list.into_iter().map(|s| view! {
                    <li>
                        <span>{s.browser}" · "{s.ip}" · last seen "{s.last_seen}</span>
                        {if s.current {
                            view! { <strong>" (this one)"</strong> }.into_any()
                        } else {
                            view! {
                                <form method="post" action="/account/sessions/end" class="inline-form">
                                    <input type="hidden" name="handle" value=s.handle />
                                    <button type="submit">"End"</button>
                                </form>
                            }.into_any()
                        }}
                    </li>
                }).collect_view()}
            </ul>
        })}
        <h2>"Your data"</h2>
        <p>
            <a href="/account/export" download="backend-academy-export.json">"Download everything stored about you (JSON)"</a>
        </p>
        <h2>"Delete your account"</h2>
        <form method="post" action="/account/delete" class="stack-form">
            <p>"Your name, email, password, sessions, quiz attempts and exercise answers are deleted. Lesson completions stay, anonymous (\"deleted learner\"), so your cohort's counts stay true."</p>
            <label for="delete-password">"Your password"</label>
            <input id="delete-password" name="password" type="password" autocomplete="current-password" />
            <label for="delete-code">"or, with two-factor on, a current code"</label>
            <input id="delete-code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="6" />
            <label><input type="checkbox" name="confirm" value="yes" required />" I understand this cannot be undone"</label>
            <button type="submit" class="danger">"Delete my account"</button>
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
            <button type="submit">"Reset link"</button>
        </form>
        <form method="post" action="/admin/users/disable" class="inline-form">
            <input type="hidden" name="user_id" value=id.clone() />
            <input type="hidden" name="disabled" value=if disabled { "0" } else { "1" } />
            <button type="submit">{if disabled { "Enable" } else { "Disable" }}</button>
        </form>
        <form method="post" action="/admin/users/end-sessions" class="inline-form">
            <input type="hidden" name="user_id" value=id.clone() />
            <button type="submit">"End sessions"</button>
        </form>
        <form method="post" action="/admin/users/delete" class="inline-form">
            <input type="hidden" name="user_id" value=id.clone() />
            <label><input type="checkbox" name="confirm" value="yes" required />{format!(" delete {name}")}</label>
            <button type="submit" class="danger">"Delete"</button>
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
                <p class="notice" role="status">"Reset link (valid 24 hours, once; it is not shown again): "<code>{link}</code></p>
            }
            .into_any();
        }
        Some("disabled") => "The account was disabled and signed out everywhere.",
        Some("enabled") => "The account was enabled.",
        Some("ended") => "Every session of the account was ended.",
        Some("deleted") => "The account was deleted.",
        _ => return ().into_any(),
    };
    view! { <p class="notice" role="status">{text}</p> }.into_any()
}

/// Ids of disabled accounts, for [`UserActions`].
pub fn disabled_resource() -> Resource<Result<Vec<i64>, crate::error::AppError>> {
    Resource::new_blocking(|| (), |_| disabled_users())
}
