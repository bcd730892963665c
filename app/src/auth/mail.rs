//! Sending mail (password reset links) over SMTP with lettre.
//!
//! `--smtp-url smtp://user:pass@relay:25` (lettre's URL form) and
//! `--mail-from "Backend Academy <academy@example.org>"`. The transport is
//! plain SMTP: point it at a relay you run (Postfix, msmtp, your host's
//! smarthost) on the machine or a private network; that relay does TLS to
//! the world. Messages are sent from a background task, so a request never
//! waits for (or times) the mail server: "forgot password" answers the same,
//! as fast, whether or not the address has an account.

use lettre::{
    message::Mailbox, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};

#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Mailer(from {})", self.from)
    }
}

impl Mailer {
    /// A mailer for `url` (`smtp://host:port`), sending as `from`.
    pub fn new(url: &str, from: &str) -> Result<Mailer, String> {
        let bad = || {
            format!("--smtp-url {url:?} is not smtp://[USER:PASSWORD@]HOST[:PORT] (plain SMTP to a relay you run; smtps:// is not built in)")
        };
        let rest = url.strip_prefix("smtp://").ok_or_else(bad)?;
        let (auth, host_port) = match rest.rsplit_once('@') {
            Some((auth, hp)) => (Some(auth), hp),
            None => (None, rest),
        };
        let host_port = host_port.trim_end_matches('/');
        let (host, port) = match host_port.rsplit_once(':') {
            Some((h, p)) => (h, p.parse::<u16>().map_err(|_| bad())?),
            None => (host_port, 25),
        };
        if host.is_empty() {
            return Err(bad());
        }
        let mut builder =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host).port(port);
        if let Some(auth) = auth {
            let (user, pass) = auth.split_once(':').ok_or_else(bad)?;
            builder = builder.credentials(lettre::transport::smtp::authentication::Credentials::new(
                user.to_string(),
                pass.to_string(),
            ));
        }
        let transport = builder.build();
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| format!("--mail-from {from:?} is not a mail address: {e}"))?;
        Ok(Mailer { transport, from })
    }

    /// Sends a plain-text message; errors are logged, not returned (the
    /// caller has already answered).
    pub fn send_later(&self, to: &str, subject: &str, body: String) {
        let Ok(to) = to.parse::<Mailbox>() else {
            tracing::warn!("a reset mail had an unusable address; not sent");
            return;
        };
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(lettre::message::header::ContentType::TEXT_PLAIN)
            .body(body);
        let message = match message {
            Ok(m) => m,
            Err(e) => {
                tracing::error!(error = %e, "cannot build a mail");
                return;
            }
        };
        let transport = self.transport.clone();
        tokio::spawn(async move {
            match transport.send(message).await {
                Ok(_) => tracing::info!("reset mail sent"),
                Err(e) => tracing::error!(error = %e, "cannot send a reset mail"),
            }
        });
    }
}
