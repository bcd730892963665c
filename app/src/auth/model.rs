//! Accounts as plain data, and the rules for what a person may type.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Learner,
    Instructor,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Learner, Role::Instructor, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Learner => "learner",
            Role::Instructor => "instructor",
            Role::Admin => "admin",
        }
    }

    /// Instructors and admins may teach (editor, cohorts, dashboards).
    pub fn can_teach(self) -> bool {
        matches!(self, Role::Instructor | Role::Admin)
    }

    /// May manage accounts and see every cohort.
    pub fn is_admin(self) -> bool {
        self == Role::Admin
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Roles are stored as their name (`users.role` has a CHECK on the three).
impl TryFrom<String> for Role {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "learner" => Ok(Role::Learner),
            "instructor" => Ok(Role::Instructor),
            "admin" => Ok(Role::Admin),
            other => Err(format!(
                "unknown role `{other}` (learner, instructor or admin)"
            )),
        }
    }
}

/// The signed-in person, as pages and server functions see them. Never
/// carries the password hash.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct User {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub role: Role,
}

/// Who may create an account.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RegistrationMode {
    /// Anyone may register (the default).
    #[default]
    Open,
    /// Registration needs a cohort invite code.
    InviteOnly,
    /// Only the CLI (or an admin) creates accounts.
    Closed,
}

impl FromStr for RegistrationMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "open" => Ok(RegistrationMode::Open),
            "invite-only" | "invite" => Ok(RegistrationMode::InviteOnly),
            "closed" => Ok(RegistrationMode::Closed),
            other => Err(format!(
                "unknown registration mode `{other}` (open, invite-only, closed)"
            )),
        }
    }
}

pub const MIN_PASSWORD: usize = 8;
pub const MAX_PASSWORD: usize = 128;

/// Checks a new password: 8–128 characters and not on the list of common
/// passwords. No composition rules (NIST SP 800-63B).
pub fn check_new_password(password: &str, is_common: impl Fn(&str) -> bool) -> Result<(), String> {
    let len = password.chars().count();
    if len < MIN_PASSWORD {
        return Err(crate::t!("err-password-too-short", min = MIN_PASSWORD));
    }
    if len > MAX_PASSWORD {
        return Err(crate::t!("err-password-too-long", max = MAX_PASSWORD));
    }
    if is_common(password) {
        return Err(crate::t!("err-password-common"));
    }
    Ok(())
}

/// Normalises and checks an email address (a pragmatic check: one `@`,
/// something on both sides, a dot in the domain, no spaces).
pub fn normalize_email(input: &str) -> Result<String, String> {
    let email = input.trim().to_lowercase();
    let valid = email.len() <= 254
        && email.split('@').count() == 2
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        })
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if valid {
        Ok(email)
    } else {
        Err(crate::t!("err-email-invalid"))
    }
}

/// Trims and checks a display name (1–80 characters, no control characters).
pub fn normalize_name(input: &str) -> Result<String, String> {
    let name = input.trim().to_string();
    if name.is_empty() {
        return Err(crate::t!("err-name-empty"));
    }
    if name.chars().count() > 80 || name.chars().any(char::is_control) {
        return Err(crate::t!("err-name-too-long"));
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_and_print() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), r);
        }
        assert_eq!(" Admin ".parse::<Role>().unwrap(), Role::Admin);
        assert!("root".parse::<Role>().is_err());
        assert!(Role::Instructor.can_teach() && !Role::Learner.can_teach());
    }

    #[test]
    fn password_rules() {
        let common = |p: &str| p == "password123";
        assert!(check_new_password("short", common)
            .unwrap_err()
            .contains("at least 8"));
        assert!(check_new_password(&"x".repeat(129), common).is_err());
        assert!(
            check_new_password(&"é".repeat(8), common).is_ok(),
            "characters, not bytes"
        );
        assert!(check_new_password("password123", common)
            .unwrap_err()
            .contains("commonly used"));
        assert!(check_new_password("correct horse battery", common).is_ok());
    }

    #[test]
    fn emails() {
        assert_eq!(
            normalize_email("  Ada@Example.COM ").unwrap(),
            "ada@example.com"
        );
        for bad in [
            "", "ada", "ada@", "@x.io", "a@b", "a b@c.io", "a@b@c.io", "a@.io",
        ] {
            assert!(normalize_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names_and_modes() {
        assert_eq!(normalize_name("  Ada  ").unwrap(), "Ada");
        assert!(normalize_name("   ").is_err());
        assert!(normalize_name(&"a".repeat(81)).is_err());
        assert_eq!(
            "invite-only".parse::<RegistrationMode>().unwrap(),
            RegistrationMode::InviteOnly
        );
        assert!("maybe".parse::<RegistrationMode>().is_err());
    }
}
