//! `server create-admin` / `server create-user`: account creation for
//! operators, without the setup link. The password comes from
//! `AI_CONSOLE_NEW_PASSWORD` or, if that is unset, the first line of
//! standard input, so it never appears in the process list.

use app::accounts::service::{self, NewAccount};
use app::domain::Role;
use app::state::AppState;

pub const USAGE: &str = "usage:
  server                                            run the console
  server create-admin --email E --name N            create an admin account
  server create-user --email E --name N [--role admin|member]
  server rotate-master-key                          new master key in the key file; re-seal every provider key
  server reseal-provider-keys                       re-seal every provider key under the current master key
The password is read from AI_CONSOLE_NEW_PASSWORD, or else from the first line of standard input.";

#[derive(Debug, PartialEq, Eq)]
pub struct CreateUser {
    pub email: String,
    pub name: String,
    pub role: Role,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Serve,
    CreateUser(CreateUser),
    RotateMasterKey,
    ResealProviderKeys,
}

pub fn parse(args: &[String]) -> Result<Command, String> {
    let Some((command, rest)) = args.split_first() else {
        return Ok(Command::Serve);
    };
    let default_role = match command.as_str() {
        "rotate-master-key" if rest.is_empty() => return Ok(Command::RotateMasterKey),
        "reseal-provider-keys" if rest.is_empty() => return Ok(Command::ResealProviderKeys),
        "create-admin" => Role::Admin,
        "create-user" => Role::Admin,
        "--help" | "-h" | "help" => return Err(USAGE.to_string()),
        other => return Err(format!("unknown command \"{other}\"\n{USAGE}")),
    };
    let (mut email, mut name, mut role) = (None, None, default_role);
    let mut flags = rest.iter();
    while let Some(flag) = flags.next() {
        let value = flags
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        match flag.as_str() {
            "--email" => email = Some(value.clone()),
            "--name" => name = Some(value.clone()),
            "--role" if command == "create-user" => {
                role = Role::from_key(value)
                    .ok_or_else(|| format!("--role must be admin or member, not \"{value}\""))?
            }
            other => return Err(format!("unknown option \"{other}\"\n{USAGE}")),
        }
    }
    Ok(Command::CreateUser(CreateUser {
        email: email.ok_or_else(|| format!("--email is required\n{USAGE}"))?,
        name: name.ok_or_else(|| format!("--name is required\n{USAGE}"))?,
        role,
    }))
}

pub fn read_password() -> Result<String, String> {
    if let Ok(password) = std::env::var("AI_CONSOLE_NEW_PASSWORD") {
        return Ok(password);
    }
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|error| format!("could not read the password from standard input: {error}"))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

pub async fn create_user(
    state: &AppState,
    request: &CreateUser,
    password: &str,
) -> Result<(), String> {
    let account = NewAccount {
        name: &request.name,
        email: &request.email,
        password,
        password_again: password,
    };
    service::create_account(state, &state.deployment.workspace, request.role, account)
        .await
        .map(|_| ())
        .map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<String> {
        words.iter().map(|word| word.to_string()).collect()
    }

    #[test]
    fn no_arguments_runs_the_console() {
        assert_eq!(parse(&[]), Ok(Command::Serve));
    }

    #[test]
    fn create_admin_and_create_user_parse_their_options() {
        assert_eq!(
            parse(&args(&[
                "create-admin",
                "--email",
                "a@b.c",
                "--name",
                "Ada"
            ])),
            Ok(Command::CreateUser(CreateUser {
                email: "a@b.c".into(),
                name: "Ada".into(),
                role: Role::Admin
            }))
        );
        assert_eq!(
            parse(&args(&[
                "create-user",
                "--name",
                "Bo",
                "--email",
                "b@b.c",
                "--role",
                "member"
            ])),
            Ok(Command::CreateUser(CreateUser {
                email: "b@b.c".into(),
                name: "Bo".into(),
                role: Role::Member
            }))
        );
    }

    #[test]
    fn mistakes_are_explained() {
        assert!(parse(&args(&["create-admin", "--email"]))
            .unwrap_err()
            .starts_with("--email needs a value"));
        assert!(parse(&args(&["create-admin", "--name", "Ada"]))
            .unwrap_err()
            .starts_with("--email is required"));
        assert!(parse(&args(&["create-admin", "--role", "member"]))
            .unwrap_err()
            .starts_with("unknown option"));
        assert!(parse(&args(&["launch"]))
            .unwrap_err()
            .starts_with("unknown command \"launch\""));
    }
}
