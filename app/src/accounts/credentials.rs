//! What a new account's details must look like. Checked before anything is
//! hashed or stored, with messages that say how to fix the input.
//!
//! Layer: domain.

/// Shortest password anyone may choose.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Bounds the work a single sign-in can make the server do.
pub const MAX_PASSWORD_CHARS: usize = 256;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, thiserror::Error,
)]
/// What is wrong with a name, e-mail or password someone typed, as an instruction.
pub enum CredentialProblem {
    #[error("enter your name")]
    NameMissing,
    #[error("shorten your name to at most 100 characters")]
    NameTooLong,
    #[error("remove invisible control or text-direction characters from your name")]
    NameHiddenCharacters,
    #[error("enter an e-mail address like name@example.com")]
    EmailInvalid,
    #[error("use a password of at least 12 characters")]
    PasswordTooShort,
    #[error("use a password of at most 256 characters")]
    PasswordTooLong,
    #[error("type the same password twice; the two entries differ")]
    PasswordsDiffer,
}

/// Characters that do not show as themselves: control characters and the
/// ones that reorder text (bidirectional embeddings, overrides and
/// isolates), which could make a name in the audit log or on the Members
/// page read as something else.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// E-mail addresses are compared without case or surrounding spaces.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Checks a new account's name, e-mail and password (typed twice).
pub fn check_new_account(
    name: &str,
    email: &str,
    password: &str,
    password_again: &str,
) -> Result<(), CredentialProblem> {
    check_name(name)?;
    check_email(email)?;
    check_new_password(password, password_again)
}

/// Checks a person's name as typed (surrounding spaces are dropped).
pub fn check_name(name: &str) -> Result<(), CredentialProblem> {
    let name = name.trim();
    if name.is_empty() {
        return Err(CredentialProblem::NameMissing);
    }
    if name.chars().count() > 100 {
        return Err(CredentialProblem::NameTooLong);
    }
    if name.chars().any(is_hidden) {
        return Err(CredentialProblem::NameHiddenCharacters);
    }
    Ok(())
}

/// Checks that `email` looks like an address someone can receive mail at.
pub fn check_email(email: &str) -> Result<(), CredentialProblem> {
    let email = email.trim();
    let valid = email.len() <= 254
        && !email.contains(char::is_whitespace)
        && !email.contains(is_hidden)
        && !email.contains(['\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}'])
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if valid {
        Ok(())
    } else {
        Err(CredentialProblem::EmailInvalid)
    }
}

/// Checks a new password and its repetition.
pub fn check_new_password(password: &str, password_again: &str) -> Result<(), CredentialProblem> {
    let length = password.chars().count();
    if length < MIN_PASSWORD_CHARS {
        return Err(CredentialProblem::PasswordTooShort);
    }
    if length > MAX_PASSWORD_CHARS {
        return Err(CredentialProblem::PasswordTooLong);
    }
    if password != password_again {
        return Err(CredentialProblem::PasswordsDiffer);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "correct horse battery";

    #[test]
    fn a_complete_account_passes() {
        assert_eq!(
            check_new_account("Ada", "ada@example.com", GOOD, GOOD),
            Ok(())
        );
    }

    #[test]
    fn names_and_addresses_that_would_read_as_something_else_are_refused() {
        for name in [
            "Ada\u{202E}nimda",
            "Ada\u{2066}x",
            "Ada\u{0}",
            "Ada\u{1b}[31m",
            "Ada\u{200F}",
        ] {
            assert_eq!(
                check_new_account(name, "ada@example.com", GOOD, GOOD),
                Err(CredentialProblem::NameHiddenCharacters),
                "{name:?}"
            );
        }
        for email in [
            "ada\u{202E}@example.com",
            "ada@exa\u{200B}mple.com",
            "ada@example.com\u{7}",
        ] {
            assert_eq!(
                check_email(email),
                Err(CredentialProblem::EmailInvalid),
                "{email:?}"
            );
        }
        // Scripts that join letters keep working.
        assert_eq!(
            check_new_account("मनीष", "m@example.com", GOOD, GOOD),
            Ok(())
        );
    }

    #[test]
    fn each_problem_is_named() {
        assert_eq!(
            check_new_account(" ", "ada@example.com", GOOD, GOOD),
            Err(CredentialProblem::NameMissing)
        );
        assert_eq!(
            check_new_account("Ada", "ada@", GOOD, GOOD),
            Err(CredentialProblem::EmailInvalid)
        );
        assert_eq!(
            check_new_account("Ada", "ada example.com", GOOD, GOOD),
            Err(CredentialProblem::EmailInvalid)
        );
        assert_eq!(
            check_new_account("Ada", "a@b.c", "short", "short"),
            Err(CredentialProblem::PasswordTooShort)
        );
        assert_eq!(
            check_new_account("Ada", "a@b.c", GOOD, "other password!"),
            Err(CredentialProblem::PasswordsDiffer)
        );
        let huge = "x".repeat(MAX_PASSWORD_CHARS + 1);
        assert_eq!(
            check_new_account("Ada", "a@b.c", &huge, &huge),
            Err(CredentialProblem::PasswordTooLong)
        );
    }

    #[test]
    fn emails_compare_without_case_or_spaces() {
        assert_eq!(normalize_email("  Ada@Example.COM "), "ada@example.com");
    }
}
