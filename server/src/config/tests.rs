//! The configuration as an operator meets it: defaults, accepted forms
//! and the message a bad value stops start-up with.

use super::*;
use app::ai_settings::fixed::FixedSettings;
use app::domain::Plan;
use app::features::rules::{AgentActions, Audience};
use app::model_provider::rules::Region;
use app::models::rules::FixedAllowed;
use app::state::ProviderConfig;
use std::collections::HashMap;

fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Config::from_lookup(|name| vars.get(name).cloned())
}

/// A working single sign-on set-up, with `changes` over it (an empty
/// value removes a variable).
fn sign_on(changes: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let mut vars: Vec<(&str, &str)> = vec![
        ("AI_CONSOLE_PUBLIC_URL", "https://console.example.com"),
        ("AI_OIDC_ISSUER", "https://id.example.com/realms/acme"),
        ("AI_OIDC_CLIENT_ID", "ai-console"),
        ("AI_OIDC_CLIENT_SECRET", "s3cret"),
        ("AI_OIDC_ADMIN_GROUPS", "console-admins, it"),
    ];
    for (name, value) in changes {
        vars.retain(|(known, _)| known != name);
        if !value.is_empty() {
            vars.push((name, value));
        }
    }
    config(&vars)
}

fn names_the_variable(result: Result<Config, ConfigError>, variable: &str) {
    let message = match result {
        Ok(_) => panic!("{variable}: accepted"),
        Err(error) => error.to_string(),
    };
    assert!(message.starts_with(variable), "{message}");
}

#[test]
fn single_sign_on_is_read_with_its_defaults() {
    let config = sign_on(&[]).unwrap();
    let sso = config.deployment.single_sign_on.unwrap();
    assert_eq!(sso.name, "id.example.com");
    assert_eq!(sso.groups_claim, "groups");
    assert_eq!(sso.admin_groups, ["console-admins", "it"]);
    assert!(sso.member_groups.is_empty());
    assert_eq!(sso.scopes, ["email", "profile"]);
    assert!(!sso.link_by_email);
    assert!(config.deployment.password_sign_in);
}

#[test]
fn a_single_sign_on_set_up_missing_a_piece_stops_start_up_naming_it() {
    names_the_variable(sign_on(&[("AI_OIDC_CLIENT_ID", "")]), "AI_OIDC_CLIENT_ID");
    names_the_variable(
        sign_on(&[("AI_OIDC_CLIENT_SECRET", "")]),
        "AI_OIDC_CLIENT_SECRET",
    );
    names_the_variable(
        sign_on(&[("AI_OIDC_ADMIN_GROUPS", "")]),
        "AI_OIDC_ADMIN_GROUPS",
    );
    names_the_variable(
        sign_on(&[("AI_CONSOLE_PUBLIC_URL", "")]),
        "AI_CONSOLE_PUBLIC_URL",
    );
    names_the_variable(
        sign_on(&[("AI_OIDC_ISSUER", "id.example.com")]),
        "AI_OIDC_ISSUER",
    );
    names_the_variable(
        sign_on(&[("AI_OIDC_LINK_BY_EMAIL", "sometimes")]),
        "AI_OIDC_LINK_BY_EMAIL",
    );
    names_the_variable(config(&[("AI_OIDC_CLIENT_ID", "x")]), "AI_OIDC_CLIENT_ID");
    names_the_variable(
        config(&[("AI_PASSWORD_SIGN_IN", "off")]),
        "AI_PASSWORD_SIGN_IN",
    );
}

#[test]
fn the_client_secret_file_must_be_private() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("client-secret");
    std::fs::write(&file, "from-a-file\n").unwrap();
    let path = file.display().to_string();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        names_the_variable(
            sign_on(&[
                ("AI_OIDC_CLIENT_SECRET", ""),
                ("AI_OIDC_CLIENT_SECRET_FILE", &path),
            ]),
            "AI_OIDC_CLIENT_SECRET_FILE",
        );
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let config = sign_on(&[
        ("AI_OIDC_CLIENT_SECRET", ""),
        ("AI_OIDC_CLIENT_SECRET_FILE", &path),
    ])
    .unwrap();
    use secrecy::ExposeSecret;
    assert_eq!(
        config
            .deployment
            .single_sign_on
            .unwrap()
            .client_secret
            .expose_secret(),
        "from-a-file"
    );
}

#[test]
fn defaults_put_an_sqlite_file_under_data_on_the_team_plan() {
    let config = config(&[]).unwrap();
    assert_eq!(config.data_dir, PathBuf::from("data"));
    assert_eq!(config.database_url, "sqlite://data/console.db");
    assert_eq!(config.deployment.plan, Plan::Team);
}

#[test]
fn the_database_follows_the_data_directory() {
    let config = config(&[("AI_CONSOLE_DATA_DIR", "/var/lib/console")]).unwrap();
    assert_eq!(config.database_url, "sqlite:///var/lib/console/console.db");
}

#[test]
fn a_postgres_url_is_taken_and_another_database_refused_without_echoing_it() {
    let url = "postgres://console:secret@db.internal/console";
    assert_eq!(config(&[("DATABASE_URL", url)]).unwrap().database_url, url);
    let error = config(&[("DATABASE_URL", "mysql://console:secret@db/console")]).unwrap_err();
    let message = error.to_string();
    assert!(
        message.starts_with("DATABASE_URL: expected sqlite://"),
        "{message}"
    );
    assert!(!message.contains("secret"), "{message}");
}

#[test]
fn an_unknown_plan_stops_start_up_naming_the_variable_and_the_choices() {
    let error = config(&[("AI_PLAN", "platinum")]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "AI_PLAN: unknown plan \"platinum\"; expected one of: community, team, enterprise"
    );
}

#[test]
fn a_public_https_url_means_tls() {
    let config = config(&[("AI_CONSOLE_PUBLIC_URL", "https://console.example.com/")]).unwrap();
    assert_eq!(
        config.deployment.public_url.as_deref(),
        Some("https://console.example.com")
    );
    assert!(config.deployment.served_over_tls());
    assert!(!self::config(&[]).unwrap().deployment.served_over_tls());
}

#[test]
fn trusted_proxies_are_a_list_of_addresses_and_ranges() {
    let parsed = config(&[(
        "AI_CONSOLE_TRUSTED_PROXIES",
        "10.0.0.0/8, 192.0.2.7,fd00::/8",
    )])
    .unwrap();
    let shown: Vec<String> = parsed
        .deployment
        .trusted_proxies
        .iter()
        .map(|r| r.to_string())
        .collect();
    assert_eq!(shown, ["10.0.0.0/8", "192.0.2.7/32", "fd00::/8"]);
    assert!(config(&[]).unwrap().deployment.trusted_proxies.is_empty());
    assert_eq!(
        config(&[("AI_CONSOLE_TRUSTED_PROXIES", "10.0.0.0/8, proxy.internal")]).unwrap_err(),
        ConfigError::AddressRanges {
            name: "AI_CONSOLE_TRUSTED_PROXIES",
            value: "10.0.0.0/8, proxy.internal".into()
        }
    );
}

#[test]
fn feature_choices_can_be_fixed_and_bad_ones_stop_start_up() {
    let parsed = config(&[
        ("AI_FEATURE_AGENTS", "no-one"),
        ("AI_AGENTS_ACTIONS", "apply"),
    ])
    .unwrap();
    assert_eq!(
        parsed.deployment.fixed_features.agents,
        Some(Audience::NoOne)
    );
    assert_eq!(
        parsed.deployment.fixed_features.agent_actions,
        Some(AgentActions::ApplyChanges)
    );
    assert_eq!(parsed.deployment.fixed_features.assistant, None);
    assert_eq!(
        config(&[("AI_FEATURE_ASSISTANT", "nobody")])
            .unwrap_err()
            .to_string(),
        "AI_FEATURE_ASSISTANT: \"nobody\" is not a choice; expected one of: everyone, admins, no-one"
    );
    assert!(config(&[("AI_AGENTS_ACTIONS", "always")]).is_err());
}

#[test]
fn models_can_be_listed_and_fixed_and_contradictions_stop_start_up() {
    let parsed = config(&[
        ("AI_MANAGED_MODELS", "gpt-4o, o3-mini"),
        ("AI_MODELS_ALLOWED", "gpt-4o"),
        ("AI_DEFAULT_MODEL", "gpt-4o"),
    ])
    .unwrap();
    assert_eq!(parsed.deployment.managed_models, ["gpt-4o", "o3-mini"]);
    assert_eq!(
        parsed.deployment.fixed_models.allowed,
        Some(FixedAllowed::Only(vec!["gpt-4o".into()]))
    );
    assert_eq!(
        config(&[
            ("AI_MODELS_ALLOWED", "gpt-4o"),
            ("AI_DEFAULT_MODEL", "o3-mini")
        ])
        .unwrap_err()
        .to_string(),
        "AI_DEFAULT_MODEL: \"o3-mini\" is not among the models AI_MODELS_ALLOWED allows"
    );
    assert_eq!(
        config(&[("AI_MODELS_ALLOWED", " , ")]).unwrap_err().to_string(),
        "AI_MODELS_ALLOWED: \" , \" is not a list of model names; expected names separated by commas, or all"
    );
    assert_eq!(
        config(&[("AI_MODELS_ALLOWED", "all")])
            .unwrap()
            .deployment
            .fixed_models
            .allowed,
        Some(FixedAllowed::All)
    );
}

#[test]
fn a_public_url_with_a_path_is_refused() {
    assert_eq!(
        config(&[("AI_CONSOLE_PUBLIC_URL", "https://example.com/console")]).unwrap_err(),
        ConfigError::PublicUrl("https://example.com/console".into())
    );
    assert!(config(&[("AI_CONSOLE_PUBLIC_URL", "console.example.com")]).is_err());
}

#[test]
fn providers_default_to_the_public_endpoints_in_the_us() {
    let config = config(&[]).unwrap();
    assert_eq!(config.deployment.providers, ProviderConfig::default());
    assert!(matches!(
        config.master_key,
        MasterKeySource::File(path) if path == std::path::Path::new("data/master.keys")
    ));
}

#[test]
fn provider_settings_are_read_and_checked() {
    let config = config(&[
        ("AI_REGION", "EU"),
        ("AI_OPENAI_EU_BASE_URL", "http://127.0.0.1:9000/openai/v1/"),
        ("AI_KEY_GRACE_HOURS", "2"),
    ])
    .unwrap();
    assert_eq!(config.deployment.providers.region, Region::Eu);
    assert_eq!(
        config.deployment.providers.endpoints.openai_eu,
        "http://127.0.0.1:9000/openai/v1"
    );
    assert_eq!(config.deployment.providers.grace_secs, 7200);
    assert_eq!(
        self::config(&[("AI_REGION", "mars")])
            .unwrap_err()
            .to_string(),
        "AI_REGION: unknown region \"mars\"; expected one of: us, eu"
    );
    assert_eq!(
        self::config(&[("AI_KEY_GRACE_HOURS", "0")])
            .unwrap_err()
            .to_string(),
        "AI_KEY_GRACE_HOURS: \"0\" is not a whole number from 1 to 720"
    );
    assert!(self::config(&[("AI_ANTHROPIC_BASE_URL", "api.anthropic.com")]).is_err());
}

#[test]
fn settings_can_be_fixed_on_or_off_and_nothing_else() {
    let config = config(&[("AI_FEATURES", "off"), ("AI_TRAINING", "On")]).unwrap();
    assert_eq!(config.deployment.fixed.ai_enabled, Some(false));
    assert_eq!(config.deployment.fixed.training_allowed, Some(true));
    assert_eq!(
        self::config(&[]).unwrap().deployment.fixed,
        FixedSettings::default()
    );
    assert_eq!(
        self::config(&[("AI_FEATURES", "disabled")])
            .unwrap_err()
            .to_string(),
        "AI_FEATURES: \"disabled\" is not a setting; expected one of: on, off"
    );
    assert_eq!(
        self::config(&[("AI_TRAINING", "on"), ("AI_PLAN", "enterprise")]).unwrap_err(),
        ConfigError::TrainingOnEnterprise
    );
}

#[test]
fn an_empty_variable_is_an_error_not_a_silent_default() {
    assert_eq!(
        config(&[("AI_PLAN", " ")]).unwrap_err(),
        ConfigError::Empty("AI_PLAN")
    );
}
