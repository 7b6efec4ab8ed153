//! Sign-in: passwords (`AI_PASSWORD_SIGN_IN`) and single sign-on through
//! the organisation's identity provider (`AI_OIDC_*`).

use super::{
    read::{parse_http_url, read_private_secret, Variables},
    ConfigError,
};
use app::state::SingleSignOn;

/// Whether passwords are accepted and the single sign-on set-up, refusing
/// combinations that leave nobody a way in.
pub fn sign_in(
    vars: &Variables,
    public_url: Option<&str>,
) -> Result<(bool, Option<SingleSignOn>), ConfigError> {
    let password_sign_in = vars.switch("AI_PASSWORD_SIGN_IN")?.unwrap_or(true);
    let single_sign_on = single_sign_on(vars)?;
    if single_sign_on.is_some() && public_url.is_none() {
        return Err(problem(
            "AI_CONSOLE_PUBLIC_URL",
            "required with AI_OIDC_ISSUER: the identity provider sends people back to \
             <AI_CONSOLE_PUBLIC_URL>/auth/oidc/callback, the redirect URI to register there",
        ));
    }
    if !password_sign_in && single_sign_on.is_none() {
        return Err(problem(
            "AI_PASSWORD_SIGN_IN",
            "off leaves no way to sign in: set up single sign-on (AI_OIDC_ISSUER) first",
        ));
    }
    Ok((password_sign_in, single_sign_on))
}

fn problem(name: &'static str, why: &str) -> ConfigError {
    ConfigError::SignOn {
        name,
        why: why.to_string(),
    }
}

/// None of `AI_OIDC_*` set: no single sign-on; the issuer set: every
/// variable it needs checked.
fn single_sign_on(vars: &Variables) -> Result<Option<SingleSignOn>, ConfigError> {
    let Some(issuer) = vars.value("AI_OIDC_ISSUER")? else {
        for name in [
            "AI_OIDC_CLIENT_ID",
            "AI_OIDC_CLIENT_SECRET",
            "AI_OIDC_CLIENT_SECRET_FILE",
            "AI_OIDC_ADMIN_GROUPS",
            "AI_OIDC_MEMBER_GROUPS",
        ] {
            if vars.value(name)?.is_some() {
                return Err(problem(
                    name,
                    "set, but AI_OIDC_ISSUER is not; set the issuer too, or unset this",
                ));
            }
        }
        return Ok(None);
    };
    let issuer_url = parse_http_url(&issuer).ok_or_else(|| {
        problem(
            "AI_OIDC_ISSUER",
            &format!("\"{issuer}\" is not an issuer URL; expected https://host[/path]"),
        )
    })?;
    let client_id = vars
        .value("AI_OIDC_CLIENT_ID")?
        .ok_or_else(|| problem("AI_OIDC_CLIENT_ID", "required with AI_OIDC_ISSUER"))?;
    let client_secret = match (
        vars.value("AI_OIDC_CLIENT_SECRET")?,
        vars.value("AI_OIDC_CLIENT_SECRET_FILE")?,
    ) {
        (Some(secret), None) => secret.trim().to_string(),
        (None, Some(path)) => read_private_secret(&path)
            .map_err(|why| problem("AI_OIDC_CLIENT_SECRET_FILE", &why))?,
        (Some(_), Some(_)) => {
            return Err(problem(
                "AI_OIDC_CLIENT_SECRET",
                "set both this and AI_OIDC_CLIENT_SECRET_FILE; keep one",
            ))
        }
        (None, None) => {
            return Err(problem(
                "AI_OIDC_CLIENT_SECRET",
                "required with AI_OIDC_ISSUER (or AI_OIDC_CLIENT_SECRET_FILE, a file only this user can read)",
            ))
        }
    };
    let admin_groups = vars.list("AI_OIDC_ADMIN_GROUPS")?;
    if admin_groups.is_empty() {
        return Err(problem(
            "AI_OIDC_ADMIN_GROUPS",
            "required with AI_OIDC_ISSUER: the groups (comma-separated) whose people are admins",
        ));
    }
    let scopes = vars
        .text_or("AI_OIDC_SCOPES", "email profile")?
        .split_whitespace()
        .filter(|scope| *scope != "openid")
        .map(str::to_string)
        .collect();
    let host = issuer_url.host_str().unwrap_or("your identity provider");
    Ok(Some(SingleSignOn {
        name: vars.text_or("AI_OIDC_NAME", host)?,
        issuer: issuer.trim().to_string(),
        client_id: client_id.trim().to_string(),
        client_secret: client_secret.into(),
        scopes,
        groups_claim: vars.text_or("AI_OIDC_GROUPS_CLAIM", "groups")?,
        admin_groups,
        member_groups: vars.list("AI_OIDC_MEMBER_GROUPS")?,
        link_by_email: vars.switch("AI_OIDC_LINK_BY_EMAIL")?.unwrap_or(false),
    }))
}
