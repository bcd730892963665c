//! "Sign in with the school": OpenID Connect's authorization code flow
//! against the one provider named by `--oidc-issuer`.
//!
//! `GET /login/oidc` keeps a state, a nonce and a PKCE (S256) verifier in
//! the visitor's session and sends the browser to the provider;
//! `GET /login/oidc/callback` takes them out again (each sign-in can be
//! finished once), checks the state before anything else, exchanges the
//! code with the verifier, and verifies the ID token: signature with the
//! provider's keys from discovery, issuer, audience, expiry and nonce. The
//! account is the one whose email is the token's verified email (created
//! as a learner when there is none), signed in exactly like a password
//! sign-in. Every refusal is a status and a sentence on the sign-in page,
//! logged, and changes nothing.

use std::{
    sync::{Arc, RwLock, Weak},
    time::{Duration, Instant},
};

use axum::{
    extract::{Query, Request, State},
    http::{header, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use openidconnect::{
    core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata},
    reqwest, AccessTokenHash, AuthorizationCode, ClientId, ClientSecret, CsrfToken,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use super::{
    db,
    model::{RegistrationMode, Role, User},
    service::create_account,
    session::server::sign_in,
};
use crate::{
    error::AppError,
    state::AppState,
    ui::{
        form::{server::render_with_feedback, FormFeedback},
        safe_back_path,
    },
};

/// Where the provider sends the browser back to (registered at the provider
/// as `<public URL>/login/oidc/callback`).
pub const CALLBACK_PATH: &str = "/login/oidc/callback";

/// The session key of a sign-in that was started and not yet finished.
const PENDING_KEY: &str = "oidc_pending";

/// Provider metadata (and with it the signing keys) older than this is
/// fetched again at the next sign-in, so rotated keys are picked up.
const METADATA_MAX_AGE: Duration = Duration::from_secs(3600);

/// A sign-in started longer ago than this is refused: nobody takes ten
/// minutes at the provider, and an old pending sign-in is only a liability.
const PENDING_MAX_AGE_S: i64 = 600;

/// What `serve` was told about the provider (`--oidc-*`).
#[derive(Clone)]
pub struct OidcSettings {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// Shown as "Sign in with {name}".
    pub name: String,
    /// Email domains that may sign in this way, lowercased; empty: any.
    pub allowed_domains: Vec<String>,
    /// `--public-url`'s origin: the redirect URI is built on it; without one
    /// it is built on the request's `Host` (the provider still only accepts
    /// the URIs registered for the client, so a forged Host leads nowhere).
    pub public_origin: Option<String>,
}

/// The secret never reaches a log line.
impl std::fmt::Debug for OidcSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcSettings")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("name", &self.name)
            .field("allowed_domains", &self.allowed_domains)
            .field("public_origin", &self.public_origin)
            .finish()
    }
}

/// The provider, as the app uses it: its settings, an HTTP client, and the
/// metadata found by discovery (none until the provider answered once).
/// Cloning is one reference count (it lives in [`crate::state::Settings`]).
#[derive(Clone, Debug)]
pub struct Oidc(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    settings: OidcSettings,
    issuer: IssuerUrl,
    http: reqwest::Client,
    discovered: RwLock<Option<Discovered>>,
}

#[derive(Clone, Debug)]
struct Discovered {
    metadata: CoreProviderMetadata,
    at: Instant,
}

/// The client of a discovered provider (authorization endpoint set, token
/// and userinfo endpoints as the metadata says).
type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Why an OpenID Connect sign-in was refused: each has a status and a
/// sentence for the person; the detail goes to the log.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error("{}", crate::t!("err-oidc-unavailable", provider = .0))]
    Unavailable(String),
    #[error("{}", crate::t!("err-oidc-no-pending"))]
    NoPendingSignIn,
    #[error("{}", crate::t!("err-oidc-wrong-state"))]
    WrongState,
    #[error("{}", crate::t!("err-oidc-provider-refused", reason = .0))]
    ProviderRefused(String),
    /// Code exchange failed or the ID token did not verify (signature,
    /// issuer, audience, expiry, nonce); the detail is logged.
    #[error("{}", crate::t!("err-oidc-bad-token"))]
    BadIdToken(String),
    #[error("{}", crate::t!("err-oidc-unverified-email"))]
    UnverifiedEmail,
    #[error("{}", crate::t!("err-oidc-domain", domain = .0))]
    DomainNotAllowed(String),
    #[error("{}", crate::t!("err-oidc-no-account", email = .0))]
    NoAccount(String),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<sqlx::Error> for OidcError {
    fn from(e: sqlx::Error) -> Self {
        OidcError::App(e.into())
    }
}

impl OidcError {
    pub fn status(&self) -> StatusCode {
        match self {
            OidcError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            OidcError::NoPendingSignIn
            | OidcError::WrongState
            | OidcError::ProviderRefused(_)
            | OidcError::BadIdToken(_) => StatusCode::BAD_REQUEST,
            OidcError::UnverifiedEmail
            | OidcError::DomainNotAllowed(_)
            | OidcError::NoAccount(_) => StatusCode::FORBIDDEN,
            OidcError::App(e) => e.status(),
        }
    }
}

impl Oidc {
    /// Checks the settings (a malformed issuer stops `serve` at start);
    /// the provider is not contacted yet: see [`Oidc::spawn_discovery`].
    pub fn new(settings: OidcSettings) -> Result<Oidc, String> {
        let issuer = IssuerUrl::new(settings.issuer.trim_end_matches('/').to_string())
            .map_err(|e| format!("--oidc-issuer {:?} is not a URL: {e}", settings.issuer))?;
        if settings.client_id.is_empty() || settings.client_secret.is_empty() {
            return Err("--oidc-issuer needs --oidc-client-id and --oidc-client-secret".into());
        }
        let http = reqwest::Client::builder()
            // Following redirects would let the provider's answers point
            // this server at other addresses (SSRF).
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| format!("cannot build the OpenID Connect HTTP client: {e}"))?;
        Ok(Oidc(Arc::new(Inner {
            settings,
            issuer,
            http,
            discovered: RwLock::new(None),
        })))
    }

    pub fn settings(&self) -> &OidcSettings {
        &self.0.settings
    }

    /// The button's name ("Sign in with {name}").
    pub fn name(&self) -> &str {
        &self.0.settings.name
    }

    /// Whether discovery has succeeded: the sign-in page shows the button
    /// only then (a button that can only fail helps nobody).
    pub fn is_ready(&self) -> bool {
        self.0
            .discovered
            .read()
            .map(|d| d.is_some())
            .unwrap_or(false)
    }

    /// Fetches the provider's metadata and keys now and keeps them.
    pub async fn discover(&self) -> Result<CoreProviderMetadata, OidcError> {
        let metadata = CoreProviderMetadata::discover_async(self.0.issuer.clone(), &self.0.http)
            .await
            .map_err(|e| {
                tracing::warn!(issuer = %self.0.settings.issuer, error = %error_chain(&e), "OpenID Connect discovery failed");
                OidcError::Unavailable(self.name().to_string())
            })?;
        if let Ok(mut d) = self.0.discovered.write() {
            *d = Some(Discovered {
                metadata: metadata.clone(),
                at: Instant::now(),
            });
        }
        tracing::info!(issuer = %self.0.settings.issuer, "OpenID Connect provider discovered");
        Ok(metadata)
    }

    /// Discovers the provider in the background at start-up: an unreachable
    /// provider must not stop the server (password sign-in still works), so
    /// it is retried after 1, 2, 4 … seconds, at most every 5 minutes,
    /// until it answers or the app is dropped. A sign-in attempt also
    /// retries at once ([`Oidc::metadata`]).
    pub fn spawn_discovery(&self) {
        let weak: Weak<Inner> = Arc::downgrade(&self.0);
        tokio::spawn(async move {
            let mut wait = Duration::from_secs(1);
            loop {
                let Some(inner) = weak.upgrade() else { return };
                let oidc = Oidc(inner);
                if oidc.is_ready() || oidc.discover().await.is_ok() {
                    return;
                }
                drop(oidc);
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(300));
            }
        });
    }

    /// The metadata to use now: the kept one while fresh; otherwise
    /// discovered again (falling back to the kept one if that fails).
    async fn metadata(&self) -> Result<CoreProviderMetadata, OidcError> {
        let kept = self.0.discovered.read().ok().and_then(|d| d.clone());
        match kept {
            Some(d) if d.at.elapsed() < METADATA_MAX_AGE => Ok(d.metadata),
            Some(d) => Ok(self.discover().await.unwrap_or(d.metadata)),
            None => self.discover().await,
        }
    }

    fn client(&self, metadata: CoreProviderMetadata, redirect: &str) -> Result<Client, OidcError> {
        let redirect = RedirectUrl::new(redirect.to_string())
            .map_err(|e| AppError::internal("bad OpenID Connect redirect URI", e))?;
        Ok(CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(self.0.settings.client_id.clone()),
            Some(ClientSecret::new(self.0.settings.client_secret.clone())),
        )
        .set_redirect_uri(redirect))
    }

    /// Whether `email`'s domain may sign in (case-insensitive; no list: all).
    pub fn domain_allowed(&self, email: &str) -> bool {
        let allowed = &self.0.settings.allowed_domains;
        let domain = email.rsplit_once('@').map(|(_, d)| d.to_lowercase());
        allowed.is_empty()
            || domain.is_some_and(|d| allowed.iter().any(|a| a.eq_ignore_ascii_case(&d)))
    }
}

/// `e` and its sources on one line: reqwest's top-level message alone
/// ("error sending request") does not say what went wrong.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// A started sign-in, kept in the session until the provider sends the
/// browser back (and removed then, whatever happens).
#[derive(Debug, Serialize, Deserialize)]
struct Pending {
    state: String,
    nonce: String,
    pkce_verifier: String,
    /// The redirect URI sent with the authorization request: the code
    /// exchange must repeat it exactly.
    redirect_uri: String,
    /// Where to go once signed in (a local path, checked again at the end).
    next: String,
    started_at: i64,
}

// ----------------------------------------------------------- services

/// Starts a sign-in: keeps state, nonce and PKCE verifier in `session` and
/// returns the provider's authorization URL to send the browser to.
pub async fn start(
    session: &Session,
    oidc: &Oidc,
    host: Option<&str>,
    next: &str,
) -> Result<String, OidcError> {
    let redirect_uri = match (&oidc.settings().public_origin, host) {
        (Some(origin), _) => format!("{}{CALLBACK_PATH}", origin.trim_end_matches('/')),
        (None, Some(host)) => format!("http://{host}{CALLBACK_PATH}"),
        (None, None) => {
            return Err(AppError::BadRequest("The request has no Host header.".into()).into())
        }
    };
    let client = oidc.client(oidc.metadata().await?, &redirect_uri)?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .set_pkce_challenge(challenge)
        .url();
    let pending = Pending {
        state: csrf.secret().clone(),
        nonce: nonce.secret().clone(),
        pkce_verifier: verifier.secret().clone(),
        redirect_uri,
        next: next.to_string(),
        started_at: crate::common::time::now(),
    };
    session
        .insert(PENDING_KEY, &pending)
        .await
        .map_err(|e| AppError::internal("cannot store the session", e))?;
    Ok(url.to_string())
}

/// What the provider puts on the callback URL.
#[derive(Debug, Default, Deserialize)]
pub struct Callback {
    pub state: Option<String>,
    pub code: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

/// Finishes a sign-in: checks the state, exchanges the code, verifies the
/// ID token, finds or creates the account and signs it in on `session`.
/// Returns the account and the local path to go to.
pub async fn finish(
    state: &AppState,
    session: &Session,
    oidc: &Oidc,
    callback: Callback,
) -> Result<(User, String), OidcError> {
    // Taken out first: a sign-in can be finished once, whatever happens.
    let pending: Pending = session
        .remove(PENDING_KEY)
        .await
        .map_err(|e| AppError::internal("cannot read the session", e))?
        .ok_or(OidcError::NoPendingSignIn)?;
    if crate::common::time::now() - pending.started_at > PENDING_MAX_AGE_S {
        return Err(OidcError::NoPendingSignIn);
    }
    if callback.state.as_deref() != Some(pending.state.as_str()) {
        return Err(OidcError::WrongState);
    }
    if let Some(error) = callback.error {
        let said = callback.error_description.unwrap_or_default();
        tracing::info!(%error, description = %said, "the provider refused the sign-in");
        return Err(OidcError::ProviderRefused(error));
    }
    let code = callback
        .code
        .ok_or_else(|| OidcError::ProviderRefused("no code".into()))?;
    let client = oidc.client(oidc.metadata().await?, &pending.redirect_uri)?;
    let tokens = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| OidcError::BadIdToken(format!("no token endpoint: {e}")))?
        .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier))
        .request_async(&oidc.0.http)
        .await
        .map_err(|e| OidcError::BadIdToken(format!("code exchange: {}", error_chain(&e))))?;
    let id_token = tokens
        .id_token()
        .ok_or_else(|| OidcError::BadIdToken("no ID token in the token response".into()))?;
    let verifier = client.id_token_verifier();
    let claims = id_token
        .claims(&verifier, &Nonce::new(pending.nonce))
        .map_err(|e| OidcError::BadIdToken(format!("ID token: {e}")))?;
    // The access token must be the one the ID token was issued with.
    if let Some(expected) = claims.access_token_hash() {
        let bad = |e: &dyn std::fmt::Display| OidcError::BadIdToken(format!("at_hash: {e}"));
        let alg = id_token.signing_alg().map_err(|e| bad(&e))?;
        let key = id_token.signing_key(&verifier).map_err(|e| bad(&e))?;
        let actual =
            AccessTokenHash::from_token(tokens.access_token(), alg, key).map_err(|e| bad(&e))?;
        if actual != *expected {
            return Err(OidcError::BadIdToken("at_hash does not match".into()));
        }
    }
    let email = claims
        .email()
        .map(|e| e.as_str().trim().to_lowercase())
        .filter(|_| claims.email_verified() == Some(true))
        .ok_or(OidcError::UnverifiedEmail)?;
    if !oidc.domain_allowed(&email) {
        let domain = email.rsplit_once('@').map(|(_, d)| d).unwrap_or("");
        return Err(OidcError::DomainNotAllowed(domain.to_string()));
    }
    let name = claims
        .name()
        .and_then(|n| n.get(None))
        .map(|n| n.as_str().to_string());
    let (user, created) = account_for(state, &email, name.as_deref()).await?;
    sign_in(session, user.id).await?;
    tracing::info!(
        user_id = user.id,
        created,
        subject = %claims.subject().as_str(),
        "signed in with OpenID Connect"
    );
    let next = if pending.next.is_empty() {
        "/dashboard".to_string()
    } else {
        safe_back_path(Some(&pending.next))
    };
    Ok((user, next))
}

/// The account whose email is `email` (already verified by the provider),
/// or a new learner account when registration is open. A new account gets
/// a long random password nobody knows: it has no usable password until
/// one is set by a reset. Returns whether the account was created.
pub async fn account_for(
    state: &AppState,
    email: &str,
    name: Option<&str>,
) -> Result<(User, bool), OidcError> {
    if let Some(found) = db::by_email_with_hash(&state.pool, email).await? {
        // The school vouching for the person does not undo an admin's decision.
        if found.disabled {
            return Err(AppError::Denied(
                "This account has been disabled by an administrator. Ask them to enable it.".into(),
            )
            .into());
        }
        return Ok((found.user, false));
    }
    if state.settings.registration != RegistrationMode::Open {
        return Err(OidcError::NoAccount(email.to_string()));
    }
    let local = email.split('@').next().unwrap_or(email);
    let name: String = name
        .map(str::trim)
        .filter(|n| !n.is_empty() && !n.chars().any(char::is_control))
        .unwrap_or(local)
        .chars()
        .take(80)
        .collect();
    let password = crate::common::random::hex::<32>();
    match create_account(
        &state.pool,
        &state.hasher,
        email,
        &name,
        password,
        Role::Learner,
    )
    .await
    {
        Ok(_) => {}
        // Two sign-ins of the same new person at once: the other one made it.
        Err(AppError::Conflict(_)) => {}
        Err(e) => return Err(e.into()),
    }
    let found = db::by_email_with_hash(&state.pool, email)
        .await?
        .ok_or_else(|| AppError::internal("account missing after creation", email))?;
    Ok((found.user, true))
}

// ------------------------------------------------------------- routes

/// What `GET /login/oidc` takes: where to go once signed in.
#[derive(Debug, Default, Deserialize)]
pub struct StartQuery {
    #[serde(default)]
    pub next: String,
}

/// The provider of this server, or a 404 when none is configured.
fn provider(state: &AppState) -> Option<Oidc> {
    state.settings.oidc.clone()
}

/// `GET /login/oidc`: 303 to the provider.
pub async fn begin(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<StartQuery>,
    req: Request,
) -> Response {
    let Some(oidc) = provider(&state) else {
        return not_configured();
    };
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_string);
    match start(&session, &oidc, host.as_deref(), &query.next).await {
        Ok(url) => Redirect::to(&url).into_response(),
        Err(e) => refuse(&state, req, e).await,
    }
}

/// `GET /login/oidc/callback`: the provider sends the browser back here.
pub async fn callback(
    State(state): State<AppState>,
    session: Session,
    Query(callback): Query<Callback>,
    req: Request,
) -> Response {
    let Some(oidc) = provider(&state) else {
        return not_configured();
    };
    match finish(&state, &session, &oidc, callback).await {
        Ok((_, next)) => crate::ui::form::server::see_other(&next),
        Err(e) => refuse(&state, req, e).await,
    }
}

fn not_configured() -> Response {
    (StatusCode::NOT_FOUND, crate::t!("err-oidc-not-configured")).into_response()
}

/// Logs the refusal and renders the sign-in page with its status and sentence.
async fn refuse(state: &AppState, req: Request, err: OidcError) -> Response {
    let status = err.status();
    match &err {
        OidcError::BadIdToken(detail) => {
            tracing::warn!(status = status.as_u16(), %detail, "OpenID Connect sign-in refused")
        }
        _ => {
            tracing::warn!(status = status.as_u16(), error = ?err, "OpenID Connect sign-in refused")
        }
    }
    let (parts, _) = req.into_parts();
    let feedback = FormFeedback {
        status: status.as_u16(),
        message: err.to_string(),
        fields: Default::default(),
    };
    render_with_feedback(state, parts, "/login", feedback).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oidc(domains: &[&str]) -> Oidc {
        Oidc::new(OidcSettings {
            issuer: "https://id.example.org".into(),
            client_id: "academy".into(),
            client_secret: "s3cret".into(),
            name: "School".into(),
            allowed_domains: domains.iter().map(|d| d.to_string()).collect(),
            public_origin: None,
        })
        .unwrap()
    }

    #[test]
    fn domains_are_matched_case_insensitively_and_exactly() {
        let o = oidc(&["school.edu", "b.edu"]);
        assert!(o.domain_allowed("ann@School.EDU"));
        assert!(o.domain_allowed("bob@b.edu"));
        assert!(!o.domain_allowed("eve@evilschool.edu"));
        assert!(!o.domain_allowed("eve@school.edu.evil.org"));
        assert!(!o.domain_allowed("no-at-sign"));
        assert!(oidc(&[]).domain_allowed("anyone@anywhere.org"));
    }

    #[test]
    fn the_secret_is_not_in_debug_output() {
        let text = format!("{:?}", oidc(&[]));
        assert!(!text.contains("s3cret"), "{text}");
    }

    #[test]
    fn a_malformed_issuer_is_refused() {
        let mut s = oidc(&[]).settings().clone();
        s.issuer = "not a url".into();
        assert!(Oidc::new(s).is_err());
    }
}
