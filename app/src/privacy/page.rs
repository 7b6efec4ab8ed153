use super::{server_fns::load_privacy_notice, OperatorSection, PrivacyNotice};
use crate::paths::{ACCOUNT, HOME};
use leptos::prelude::*;
use leptos_meta::Title;

/// The built-in sections, by the heading an operator's section replaces
/// them with.
const OPERATOR: &str = "Who runs this console";
const KEPT: &str = "What the console keeps about you";
const COOKIE: &str = "Cookies";
const PROCESSING: &str = "Where data is processed";
const RIGHTS: &str = "Your rights";
const CHANGES: &str = "Changes to this notice";

/// `/privacy`: how this deployment handles the personal data of the
/// people who use the console. Readable without signing in.
#[component]
pub fn PrivacyPage() -> impl IntoView {
    let notice = Resource::new_blocking(|| (), |_| load_privacy_notice());
    view! {
        <Title text="Privacy · Workspace settings" />
        <main id="main" class="privacy-page">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match notice.await {
                        Ok(notice) => view! { <Notice notice /> }.into_any(),
                        Err(error) => {
                            view! {
                                <h1>"Privacy"</h1>
                                <p class="callout callout-error" role="alert">
                                    {error.to_string()}
                                </p>
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
            <p>
                <a href=HOME>"Back to the settings"</a>
            </p>
        </main>
    }
}

#[component]
fn Notice(notice: PrivacyNotice) -> impl IntoView {
    let mut extra = notice.operator_sections.clone();
    // An operator's section with a built-in heading replaces it.
    let mut take = |heading: &str| {
        let found = extra.iter().position(|section| {
            section
                .heading
                .as_deref()
                .is_some_and(|own| own.eq_ignore_ascii_case(heading))
        })?;
        Some(extra.remove(found))
    };
    let replaced: Vec<(&'static str, Option<OperatorSection>)> =
        [OPERATOR, KEPT, COOKIE, PROCESSING, RIGHTS, CHANGES]
            .into_iter()
            .map(|heading| (heading, take(heading)))
            .collect();
    let built_in = replaced
        .into_iter()
        .map(|(heading, own)| {
            let body = match own {
                Some(section) => view! { <div inner_html=section.html></div> }.into_any(),
                None => built_in_body(heading, &notice),
            };
            view! {
                <section aria-label=heading>
                    <h2>{heading}</h2>
                    {body}
                </section>
            }
        })
        .collect_view();
    let extra = extra
        .into_iter()
        .map(|section| {
            let heading = section
                .heading
                .unwrap_or_else(|| "From the operator".to_string());
            let label = heading.clone();
            view! {
                <section aria-label=label>
                    <h2>{heading}</h2>
                    <div inner_html=section.html></div>
                </section>
            }
        })
        .collect_view();
    view! {
        <header class="page-header">
            <h1>"Privacy"</h1>
            <p class="lead">
                "How this console handles the personal data of the people who use it. The facts below come from this installation's configuration."
            </p>
            <p class="muted">"Last updated: " <time datetime=notice.updated.clone()>{notice.updated.clone()}</time></p>
        </header>
        {built_in}
        {extra}
    }
}

fn built_in_body(heading: &str, notice: &PrivacyNotice) -> AnyView {
    match heading {
        OPERATOR => operator(notice),
        KEPT => kept(notice),
        COOKIE => cookie(notice),
        PROCESSING => processing(notice),
        RIGHTS => rights(notice),
        _ => changes(),
    }
}

fn contact_line(notice: &PrivacyNotice) -> String {
    match &notice.operator_contact {
        Some(contact) => format!("Privacy questions and requests: {contact}."),
        None => "Ask an admin of your workspace who operates it and how to reach them.".to_string(),
    }
}

fn operator(notice: &PrivacyNotice) -> AnyView {
    let who = match &notice.operator_name {
        Some(name) => format!("{name} runs this console and decides what happens to the data in it."),
        None => "The organisation that installed this console runs it and decides what happens to the data in it; it has not named itself here.".to_string(),
    };
    view! {
        <p>{who}</p>
        <p>{contact_line(notice)}</p>
    }
    .into_any()
}

fn kept(notice: &PrivacyNotice) -> AnyView {
    let r = &notice.retention;
    let sign_on = notice.sign_on_issuer.as_ref().map(|issuer| {
        view! {
            <li>
                {format!(
                    "Single sign-on: which account at {issuer} belongs to yours, kept as long as your account.",
                )}
            </li>
        }
    });
    view! {
        <ul>
            <li>
                "Your account: name, e-mail address, role, when it was created, and a salted hash of your password (never the password). Kept until you or an admin delete the account."
            </li>
            {sign_on}
            <li>
                {format!(
                    "Sessions: which browser is signed in and when it was last used. A session ends after {} minutes without use, {} hours at the latest, or when you sign out.",
                    r.idle_minutes,
                    r.absolute_hours,
                )}
            </li>
            <li>
                {format!(
                    "Activity log: changes to settings and members, with who made them and when. Kept {} days.",
                    r.audit_days,
                )}
            </li>
            <li>
                {format!(
                    "Invitations: the invited e-mail address and who sent it. Deleted {} days after the link was used or expired.",
                    r.invitation_days,
                )}
            </li>
            <li>
                {format!(
                    "Failed sign-ins: the e-mail address typed and the network address it came from, to slow down password guessing. Deleted after {} minutes.",
                    r.failure_minutes,
                )}
            </li>
            <li>
                {format!(
                    "AI usage: tokens and cost per feature and model for the whole workspace, not per person. Single usage reports are kept {} days, daily totals longer.",
                    r.usage_days,
                )}
            </li>
        </ul>
        <p>
            "The console keeps no prompts or answers of AI features: those go from the product's AI services to the model partner, never through this console."
        </p>
    }
    .into_any()
}

fn cookie(notice: &PrivacyNotice) -> AnyView {
    view! {
        <p>
            {format!(
                "One cookie, \"{}\", set by this console only after you sign in. It keeps you signed in and nothing else: scripts cannot read it (HttpOnly) and other sites cannot send it along (SameSite=Strict). It ends when you sign out or the session ends.",
                notice.cookie_name,
            )}
        </p>
        <p>
            "No analytics, advertising or third-party cookies, and the pages load nothing from other sites."
        </p>
    }
    .into_any()
}

fn processing(notice: &PrivacyNotice) -> AnyView {
    let partners = notice
        .partners
        .iter()
        .map(|partner| {
            let border = partner.crosses_border.then(|| {
                format!(
                    " This takes AI requests out of {}; where the law requires, the operator must cover such transfers (for example with standard contractual clauses).",
                    notice.region,
                )
            });
            view! {
                <li>
                    {format!(
                        "AI requests of this workspace go to {}, processed {}.",
                        partner.name,
                        partner.processed,
                    )}
                    {border}
                </li>
            }
        })
        .collect_view();
    let webhook = notice.budget_webhook.then(|| {
        view! {
            <p>
                "Budget alerts are sent to an address the operator set up; they carry the workspace's spend, never anyone's name or e-mail address."
            </p>
        }
    });
    view! {
        <p>{format!("This workspace's data is kept in {}.", notice.region)}</p>
        <ul class="partners">{partners}</ul>
        <p>
            "The model partner receives what the product's AI features send it; this console decides whether they may, and never sends anyone's account data to it."
        </p>
        {webhook}
    }
    .into_any()
}

fn rights(notice: &PrivacyNotice) -> AnyView {
    view! {
        <ul>
            <li>
                "See and take your data: \"Download your data\" on " <a href=ACCOUNT>"Your account"</a>
                " gives you all of it as one file."
            </li>
            <li>"Correct your name and e-mail address on Your account."</li>
            <li>
                "Delete your account on Your account. Your name and e-mail address are then erased everywhere in the console; the activity log keeps what was done under a pseudonym such as \"Former member 3\"."
            </li>
            <li>
                "Restrict: an admin can suspend an account, which stops its use without deleting anything, and restore it."
            </li>
        </ul>
        <p>{contact_line(notice)}</p>
        <p>"You may also complain to your data-protection authority."</p>
    }
    .into_any()
}

fn changes() -> AnyView {
    view! {
        <p>
            "When this notice changes in substance, the date above moves on and everyone who signs in sees a note about it once."
        </p>
    }
    .into_any()
}
