//! `/login`, `/register`, `/account`, `/dashboard`, `/admin/users`.
//! Plain forms posting to the handlers in `handlers.rs`.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{
    api::admin_list_users,
    model::{Role, User},
    session::{current_user, Access},
};
use crate::t;
use crate::ui::{
    form::{prefill, query_param, typed_or_query, use_feedback, FormError},
    not_found::{loaded, page_user},
    table::ScrollTable,
};

/// A short page of one column: the account forms. `other` is a line like
/// "New here? Create an account": (lead, link text, address).
#[component]
fn NarrowPage(
    title: String,
    #[prop(optional)] other: Option<(String, String, &'static str)>,
    children: Children,
) -> impl IntoView {
    view! {
        <Title text=title.clone() />
        <section class="narrow">
            <h1>{title}</h1>
            {children()}
            {other.map(|(lead, text, href)| view! { <p>{lead} <a href=href>{text}</a></p> })}
        </section>
    }
}

fn notice(done: Option<String>) -> Option<impl IntoView> {
    let text = match done.as_deref()? {
        "password" => t!("auth-done-password"),
        "everywhere" => t!("auth-done-everywhere"),
        "role" => t!("auth-done-role"),
        "reset" => t!("auth-done-reset"),
        "session" => t!("auth-done-session"),
        _ => return None,
    };
    Some(view! { <p class="notice" role="status">{text}</p> })
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let failed = use_feedback().is_some();
    if current_user().is_some() && !failed {
        crate::ui::redirect("/dashboard");
    }
    let next = typed_or_query("next");
    view! {
        <NarrowPage title=t!("auth-sign-in") other=(t!("auth-new-here"), t!("auth-create-account"), "/register")>
            {notice(query_param("done"))}
            <FormError />
            <form method="post" action="/login" class="stack-form">
                <input type="hidden" name="next" value=next.clone() />
                <label for="email">{t!("auth-email")}</label>
                <input id="email" name="email" type="email" autocomplete="username" required value=prefill("email") />
                <label for="password">{t!("auth-password")}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required />
                <button class="primary" type="submit">{t!("auth-sign-in")}</button>
            </form>
            <p><a href="/forgot">{t!("auth-forgot-title")}</a></p>
            <SchoolSignIn next=next />
        </NarrowPage>
    }
}

/// "Sign in with <provider>" when an OpenID Connect provider is configured
/// and has answered discovery: a plain link to `/login/oidc` (no JavaScript
/// needed) carrying `next` along. A link, not a GET form: the page's
/// `form-action 'self'` policy also covers where a form's redirects lead,
/// and this one leads to the provider.
#[component]
fn SchoolSignIn(next: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let name = crate::state::app_state().ok().and_then(|state| {
        let oidc = state.settings.oidc.as_ref()?;
        oidc.is_ready().then(|| oidc.name().to_string())
    });
    #[cfg(not(feature = "ssr"))]
    let name: Option<String> = None;
    name.map(|name| {
        let href = if next.is_empty() {
            "/login/oidc".to_string()
        } else {
            format!("/login/oidc?next={}", query_escape(&next))
        };
        view! {
            <p class="stack-form">
                <a class="button" href=href>{t!("auth-sign-in-with", name = name)}</a>
            </p>
        }
    })
}

/// `text` percent-encoded for a query value (letters, digits, `-._~/` kept).
fn query_escape(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let code = typed_or_query("code");
    view! {
        <NarrowPage title=t!("auth-create-account") other=(t!("auth-already-registered"), t!("auth-sign-in"), "/login")>
            <p>{t!("auth-register-lead")}</p>
            <FormError />
            <form method="post" action="/register" class="stack-form">
                <label for="email">{t!("auth-email")}</label>
                <input id="email" name="email" type="email" autocomplete="email" required value=prefill("email") />
                <label for="name">{t!("auth-your-name")}</label>
                <input id="name" name="name" type="text" autocomplete="name" required maxlength="80" value=prefill("name") />
                <label for="password">{t!("auth-password")}</label>
                <input id="password" name="password" type="password" autocomplete="new-password" required minlength="8" maxlength="128" aria-describedby="password-help" />
                <p id="password-help" class="help">{t!("auth-password-help")}</p>
                <label for="code">{format!("{} ", t!("auth-invite-code"))}<span class="help">{t!("auth-invite-code-help")}</span></label>
                <input id="code" name="code" type="text" autocomplete="off" value=code />
                <button class="primary" type="submit">{t!("auth-create-account-button")}</button>
            </form>
        </NarrowPage>
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let user = match page_user(Access::SignedIn, "/account") {
        Ok(user) => user,
        Err(view) => return view,
    };
    view! {
        <NarrowPage title=t!("auth-account-title")>
            {notice(query_param("done"))}
            <FormError />
            <dl class="facts">
                <dt>{t!("auth-name")}</dt><dd>{user.display_name.clone()}</dd>
                <dt>{t!("auth-email")}</dt><dd>{user.email.clone()}</dd>
                <dt>{t!("auth-role")}</dt><dd>{role_label(user.role)}</dd>
            </dl>
            <crate::progress::pages::JoinCohortForm />
            <h2>{t!("auth-change-password")}</h2>
            <form method="post" action="/account/password" class="stack-form">
                <input type="text" name="username" autocomplete="username" value=user.email.clone() hidden />
                <label for="current">{t!("auth-current-password")}</label>
                <input id="current" name="current" type="password" autocomplete="current-password" required />
                <label for="new">{t!("auth-new-password")}</label>
                <input id="new" name="new" type="password" autocomplete="new-password" required minlength="8" maxlength="128" />
                <button class="primary" type="submit">{t!("auth-change-password")}</button>
            </form>
            <h2>{t!("auth-two-factor")}</h2>
            <p>{format!("{} ", t!("auth-two-factor-lead"))}<a href="/account/2fa">{t!("auth-two-factor")}</a></p>
            <h2>{t!("auth-sessions")}</h2>
            <form method="post" action="/account/sessions" class="stack-form">
                <p>{t!("auth-sign-out-everywhere-lead")}</p>
                <button type="submit">{t!("auth-sign-out-everywhere")}</button>
            </form>
            <super::manage_pages::AccountDataSections />
        </NarrowPage>
    }
    .into_any()
}

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let me = match page_user(Access::Admin, "/admin/users") {
        Ok(user) => user,
        Err(view) => return view,
    };
    let users = Resource::new_blocking(|| (), |_| admin_list_users());
    let disabled = super::manage_pages::disabled_resource();
    view! {
        <Title text=t!("auth-users-title") />
        <h1>{t!("auth-users-title")}</h1>
        <p><a href="/admin/audit">{t!("auth-audit-log")}</a></p>
        {notice(query_param("done"))}
        <super::manage_pages::AdminNotice />
        <FormError />
        {loaded(disabled, move |off| {
            let users = users;
            loaded(users, move |list| view! { <UserTable users=list me=me.id disabled=off.clone() /> })
        })}
    }
    .into_any()
}

#[component]
fn UserTable(users: Vec<User>, me: i64, disabled: Vec<i64>) -> impl IntoView {
    let head = view! { <thead><tr><th scope="col">{t!("auth-name")}</th><th scope="col">{t!("auth-email")}</th><th scope="col">{t!("auth-role")}</th><th scope="col">{t!("auth-actions")}</th></tr></thead> }.into_any();
    view! {
        <ScrollTable head>
                    {users.into_iter().map(|u| {
                        let form_id = format!("role-{}", u.id);
                        view! {
                            <tr>
                                <td>{u.display_name.clone()}</td>
                                <td>{u.email.clone()}</td>
                                <td>
                                    {if u.id == me {
                                        view! { <span>{role_label(u.role)}{format!(" {}", t!("auth-you"))}</span> }.into_any()
                                    } else {
                                        view! {
                                            <form method="post" action="/admin/users/role" class="inline-form" id=form_id.clone()>
                                                <input type="hidden" name="user_id" value=u.id.to_string() />
                                                <label class="visually-hidden" for=format!("{form_id}-role")>{t!("auth-role-of", name = &u.display_name)}</label>
                                                <select name="role" id=format!("{form_id}-role")>
                                                    {Role::ALL.into_iter().map(|r| view! {
                                                        <option value=r.as_str() selected=r == u.role>{role_label(r)}</option>
                                                    }).collect_view()}
                                                </select>
                                                <button type="submit">{t!("auth-save")}</button>
                                            </form>
                                        }.into_any()
                                    }}
                                </td>
                                <td>
                                    {(u.id != me).then(|| view! {
                                        <super::manage_pages::UserActions user_id=u.id name=u.display_name.clone() disabled=disabled.contains(&u.id) />
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
        </ScrollTable>
    }
}

/// A role as people read it (the form value stays `Role::as_str`).
fn role_label(role: Role) -> String {
    match role {
        Role::Learner => t!("auth-role-learner"),
        Role::Instructor => t!("auth-role-instructor"),
        Role::Admin => t!("auth-role-admin"),
    }
}
