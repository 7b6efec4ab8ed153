//! The command line (clap): running the console, and the operators'
//! commands. `server create-admin` / `server create-user` create accounts
//! without the setup link. The password comes from
//! `AI_CONSOLE_NEW_PASSWORD` or, if that is unset, the first line of
//! standard input, so it never appears in the process list.

use app::accounts::service::{self, NewAccount};
use app::domain::Role;
use app::state::AppState;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

/// The full configuration table, as `docs/configuration.md` documents it:
/// `--help` prints it, so the two cannot disagree.
const CONFIGURATION: &str = include_str!("../../docs/configuration.md");

/// One documented environment variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    /// One name, or several that go together (`AI_FEATURE_ASSISTANT, …`).
    pub names: Vec<String>,
    pub default: String,
    pub meaning: String,
}

/// Markdown of a table cell as plain text: no backticks, links as their
/// words.
fn plain(cell: &str) -> String {
    let mut text = cell.trim().replace('`', "");
    // `[words](target)`: the `[` is the last one before `](`.
    while let Some(middle) = text.find("](") {
        let (Some(open), Some(close)) = (
            text[..middle].rfind('['),
            text[middle..].find(')').map(|at| middle + at),
        ) else {
            break;
        };
        text = format!(
            "{}{}{}",
            &text[..open],
            &text[open + 1..middle],
            &text[close + 1..]
        );
    }
    text
}

/// Every variable of the configuration table, in its order.
pub fn documented_variables() -> Vec<Variable> {
    CONFIGURATION
        .lines()
        .filter(|line| line.starts_with("| `"))
        .filter_map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").collect();
            let [names, default, meaning] = cells.as_slice() else {
                return None;
            };
            Some(Variable {
                names: plain(names).split(", ").map(str::to_string).collect(),
                default: plain(default),
                meaning: plain(meaning),
            })
        })
        .collect()
}

/// What `--help` says of the environment.
fn environment_help() -> String {
    let mut help = String::from(
        "Environment (read at start-up; an invalid value stops the server naming the variable):\n",
    );
    for variable in documented_variables() {
        help.push_str(&format!(
            "  {}\n      default: {}\n      {}\n",
            variable.names.join(", "),
            variable.default,
            variable.meaning
        ));
    }
    help
}

impl Cli {
    /// The command line of this process; `--help` lists every environment
    /// variable with its default.
    pub fn from_process() -> Self {
        let matches = Cli::command()
            .after_long_help(environment_help())
            .get_matches();
        match Cli::from_arg_matches(&matches) {
            Ok(cli) => cli,
            Err(error) => error.exit(),
        }
    }
}

/// The AI & agents console. Without a command it runs the console; the
/// commands are for operators.
#[derive(Debug, Parser)]
#[command(
    name = "server",
    version,
    after_help = "Passwords for new accounts are read from AI_CONSOLE_NEW_PASSWORD, or else from \
                  the first line of standard input. --help lists every environment variable; \
                  docs/configuration.md has the same table."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// Run the console (what happens without a command).
    Serve,
    /// Create an admin account.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
    /// Create an account: a member unless `--role admin`.
    CreateUser {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_enum, default_value_t = RoleArg::Member)]
        role: RoleArg,
    },
    /// Add a new master key to the key file and re-seal every provider key
    /// with it.
    RotateMasterKey,
    /// Re-seal every provider key under the current master key.
    ResealProviderKeys,
    /// Let sign-ins to an account be checked again at once: clears its
    /// failed attempts from every client (recorded in the audit log).
    Unlock {
        #[arg(long)]
        email: String,
    },
    /// Copy the embedded SQLite database to a new file, consistently, even
    /// while the console runs (PostgreSQL: use pg_dump).
    Backup {
        #[arg(long, value_name = "FILE")]
        to: std::path::PathBuf,
    },
    /// Replace the embedded SQLite database with a backup, after checking
    /// it; refused while a console runs on the database. The replaced
    /// database is kept beside it.
    Restore {
        #[arg(long, value_name = "FILE")]
        from: std::path::PathBuf,
    },
    /// Copy every table of an SQLite database into an empty PostgreSQL
    /// database, in one transaction, and compare row counts. The source is
    /// left as it is.
    MigrateDatabase {
        #[arg(long, value_name = "SQLITE_URL")]
        from: String,
        #[arg(long, value_name = "POSTGRES_URL")]
        to: String,
    },
}

/// The roles, as the command line spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    Admin,
    Member,
}

impl From<RoleArg> for Role {
    fn from(role: RoleArg) -> Role {
        match role {
            RoleArg::Admin => Role::Admin,
            RoleArg::Member => Role::Member,
        }
    }
}

/// An account an operator asked for.
#[derive(Debug, PartialEq, Eq)]
pub struct CreateUser {
    pub email: String,
    pub name: String,
    pub role: Role,
}

impl Command {
    /// The account `create-admin` or `create-user` asks for.
    pub fn account(&self) -> Option<CreateUser> {
        match self {
            Command::CreateAdmin { email, name } => Some(CreateUser {
                email: email.clone(),
                name: name.clone(),
                role: Role::Admin,
            }),
            Command::CreateUser { email, name, role } => Some(CreateUser {
                email: email.clone(),
                name: name.clone(),
                role: (*role).into(),
            }),
            _ => None,
        }
    }
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
    use clap::error::ErrorKind;

    fn parse(words: &[&str]) -> Result<Option<Command>, clap::Error> {
        Cli::try_parse_from(std::iter::once("server").chain(words.iter().copied()))
            .map(|cli| cli.command)
    }

    #[test]
    fn unlock_needs_the_email() {
        assert_eq!(
            parse(&["unlock", "--email", "ada@example.com"]).unwrap(),
            Some(Command::Unlock {
                email: "ada@example.com".into()
            })
        );
        assert_eq!(
            parse(&["unlock"]).unwrap_err().kind(),
            ErrorKind::MissingRequiredArgument
        );
    }

    #[test]
    fn no_arguments_runs_the_console() {
        assert_eq!(parse(&[]).unwrap(), None);
    }

    #[test]
    fn create_admin_and_create_user_parse_their_options() {
        let admin = parse(&["create-admin", "--email", "a@b.c", "--name", "Ada"]).unwrap();
        assert_eq!(
            admin.and_then(|command| command.account()),
            Some(CreateUser {
                email: "a@b.c".into(),
                name: "Ada".into(),
                role: Role::Admin
            })
        );
        let member = parse(&[
            "create-user",
            "--name",
            "Bo",
            "--email",
            "b@b.c",
            "--role",
            "member",
        ])
        .unwrap();
        assert_eq!(
            member.and_then(|command| command.account()),
            Some(CreateUser {
                email: "b@b.c".into(),
                name: "Bo".into(),
                role: Role::Member
            })
        );
    }

    #[test]
    fn create_user_makes_a_member_unless_told_otherwise() {
        let command = parse(&["create-user", "--name", "Bo", "--email", "b@b.c"]).unwrap();
        assert_eq!(
            command
                .and_then(|command| command.account())
                .map(|account| account.role),
            Some(Role::Member)
        );
    }

    #[test]
    fn mistakes_are_explained() {
        let missing_value = parse(&["create-admin", "--email"]).unwrap_err();
        assert_eq!(missing_value.kind(), ErrorKind::InvalidValue);
        assert!(missing_value.to_string().contains("--email"));
        let missing_email = parse(&["create-admin", "--name", "Ada"]).unwrap_err();
        assert_eq!(missing_email.kind(), ErrorKind::MissingRequiredArgument);
        assert!(missing_email.to_string().contains("--email"));
        let role_on_admin = parse(&["create-admin", "--role", "member"]).unwrap_err();
        assert_eq!(role_on_admin.kind(), ErrorKind::UnknownArgument);
        let unknown = parse(&["launch"]).unwrap_err();
        assert_eq!(unknown.kind(), ErrorKind::InvalidSubcommand);
        assert!(unknown.to_string().contains("launch"));
        let bad_role = parse(&[
            "create-user",
            "--email",
            "a@b.c",
            "--name",
            "A",
            "--role",
            "owner",
        ]);
        assert_eq!(bad_role.unwrap_err().kind(), ErrorKind::InvalidValue);
    }

    #[test]
    fn help_shows_the_table_as_plain_words() {
        assert_eq!(
            plain(
                " `sqlite://<file>` or `<host>[:port]` (see [operations](operations.md#replicas)) "
            ),
            "sqlite://<file> or <host>[:port] (see operations)"
        );
        let database = documented_variables()
            .into_iter()
            .find(|variable| variable.names == ["DATABASE_URL"])
            .expect("DATABASE_URL is documented");
        assert_eq!(database.default, "sqlite://$AI_CONSOLE_DATA_DIR/console.db");
        assert!(
            database.meaning.ends_with("(see operations)"),
            "{}",
            database.meaning
        );
    }
}
