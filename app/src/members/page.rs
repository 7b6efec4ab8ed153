use crate::components::{form_page, FormOutcome};
use crate::domain::{time::format_utc, Role};
use crate::members::server_fns::{
    load_members, ChangeRole, InviteMember, RemoveMember, RestoreMember, RevokeInvitation,
    SuspendMember,
};
use crate::members::{
    Member, MembersError, MembersNotice, MembersSnapshot, NewInvitationLink, PendingInvitation,
};
use crate::paths::Section;
use leptos::{prelude::*, server_fn::ServerFn};
use leptos_meta::Title;

/// `/settings/members`: who belongs to the workspace. Plain forms, complete
/// without JavaScript; members see the list without the controls.
#[component]
pub fn MembersPage() -> impl IntoView {
    let outcome = FormOutcome::of::<MembersNotice, MembersError>();
    view! {
        <Title text="Members · Workspace settings" />
        {form_page(
            Section::Members,
            || view! { <Header /> }.into_any(),
            load_members,
            |snapshot: &MembersSnapshot| snapshot.viewer.clone(),
            outcome,
            |snapshot| view! { <Members snapshot /> }.into_any(),
        )}
    }
}

#[component]
fn Header() -> impl IntoView {
    view! {
        <header class="page-header">
            <h1>"Members"</h1>
            <p class="lead">
                "Everyone who can sign in to this workspace's settings. Admins change AI settings and manage members; members can look but not change anything."
            </p>
        </header>
    }
}

#[component]
fn Members(snapshot: MembersSnapshot) -> impl IntoView {
    let admins = snapshot.admins();
    let can_manage = snapshot.can_manage;
    let count = snapshot.members.len();
    view! {
        {snapshot.new_link.map(|link| view! { <NewLink link /> })}
        {if can_manage {
            view! { <InviteForm /> }.into_any()
        } else {
            view! {
                <p class="callout">"Only admins can invite people or change roles."</p>
            }
                .into_any()
        }}
        <section class="setting" aria-labelledby="people-title">
            <h2 id="people-title">{format!("People ({count})")}</h2>
            <table class="members">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"E-mail address"</th>
                        <th scope="col">"Role"</th>
                        {can_manage.then(|| view! { <th scope="col">"Actions"</th> })}
                    </tr>
                </thead>
                <tbody>
                    {snapshot
                        .members
                        .into_iter()
                        .map(|member| view! { <MemberRow member can_manage admins /> })
                        .collect_view()}
                </tbody>
            </table>
        </section>
        {(can_manage && !snapshot.invitations.is_empty())
            .then(|| view! { <Invitations invitations=snapshot.invitations /> })}
    }
}

#[component]
fn NewLink(link: NewInvitationLink) -> impl IntoView {
    view! {
        <section class="callout new-link" aria-labelledby="new-link-title">
            <h2 id="new-link-title">{format!("Invitation link for {}", link.email)}</h2>
            <p>
                {format!(
                    "Send this link to them yourself. It works once, until {}. It is shown only now: if it gets lost, withdraw the invitation and create a new one.",
                    format_utc(link.expires_at),
                )}
            </p>
            <label for="invitation-link">"Invitation link"</label>
            <input id="invitation-link" type="text" readonly value=link.link />
        </section>
    }
}

#[component]
fn InviteForm() -> impl IntoView {
    view! {
        <section class="setting" aria-labelledby="invite-title">
            <h2 id="invite-title">"Invite someone"</h2>
            <p class="setting-description">
                "You get a one-time link to send them; with it they choose their name and password."
            </p>
            <form class="inline-form" method="post" action=InviteMember::PATH>
                <label for="invite-email">"E-mail address"</label>
                <input id="invite-email" name="email" type="email" required autocomplete="off" />
                <label for="invite-role">"Role"</label>
                <select id="invite-role" name="role">
                    <option value=Role::Member.key() selected>
                        "Member"
                    </option>
                    <option value=Role::Admin.key()>"Admin"</option>
                </select>
                <button type="submit" class="button-primary">
                    "Create invitation link"
                </button>
            </form>
        </section>
    }
}

#[component]
fn MemberRow(member: Member, can_manage: bool, admins: usize) -> impl IntoView {
    let name = if member.is_you {
        format!("{} (you)", member.name)
    } else {
        member.name.clone()
    };
    let actions = can_manage.then(|| {
        let last_admin = member.role == Role::Admin && admins <= 1;
        view! {
            <td>
                {if last_admin {
                    view! {
                        <span class="muted">
                            "The only admin: make someone else an admin to change this role."
                        </span>
                    }
                        .into_any()
                } else {
                    view! { <RoleAndRemoval member=member.clone() /> }.into_any()
                }}
            </td>
        }
    });
    view! {
        <tr>
            <td>{name}</td>
            <td>{member.email.clone()}</td>
            <td>
                {member.role.label()}
                {member.suspended.then(|| view! { <span class="badge">"Suspended"</span> })}
            </td>
            {actions}
        </tr>
    }
}

#[component]
fn RoleAndRemoval(member: Member) -> impl IntoView {
    let (new_role, verb) = match member.role {
        Role::Admin => (Role::Member, "Make member"),
        Role::Member => (Role::Admin, "Make admin"),
    };
    let who = if member.is_you {
        "yourself".to_string()
    } else {
        member.name.clone()
    };
    let mut warning = if member.is_you {
        "You will be signed out at once.".to_string()
    } else {
        format!("{} is signed out at once.", member.name)
    };
    let erasure = " Their name and e-mail address are erased from the console; the activity log keeps what they did under \"Former member\" and a number.";
    if member.role == Role::Admin {
        // Removing or demoting an admin ends what they made.
        warning.push_str(
            " Service tokens they made stop working unless another admin has taken them over, and their unused invitations are withdrawn.",
        );
    }
    view! {
        <div class="row-actions">
            <form method="post" action=ChangeRole::PATH>
                <input type="hidden" name="user_id" value=member.id.to_string() />
                <input type="hidden" name="role" value=new_role.key() />
                <button
                    type="submit"
                    class="button-secondary"
                    aria-label=format!("{verb}: {}", member.name)
                    title=(member.role == Role::Admin)
                        .then_some("Their service tokens and unused invitations end with it")
                >
                    {verb}
                </button>
            </form>
            {(!member.is_you).then(|| view! { <Suspension member=member.clone() /> })}
            <details class="confirm">
                <summary aria-label=format!("Remove… {}", member.name)>"Remove…"</summary>
                <form method="post" action=RemoveMember::PATH>
                    <input type="hidden" name="user_id" value=member.id.to_string() />
                    <p>{format!("Remove {who} from the workspace? {warning}{erasure}")}</p>
                    <button type="submit" class="button-danger">
                        {format!("Remove {}", member.name)}
                    </button>
                </form>
            </details>
        </div>
    }
}

/// Suspend (restrict) or restore someone: a suspended person cannot sign
/// in, and nothing of theirs is deleted.
#[component]
fn Suspension(member: Member) -> impl IntoView {
    let (action, verb, title) = if member.suspended {
        (RestoreMember::PATH, "Restore", "They can sign in again")
    } else {
        (
            SuspendMember::PATH,
            "Suspend",
            "Signs them out; they cannot sign in until restored. Nothing is deleted.",
        )
    };
    view! {
        <form method="post" action=action>
            <input type="hidden" name="user_id" value=member.id.to_string() />
            <button
                type="submit"
                class="button-secondary"
                aria-label=format!("{verb}: {}", member.name)
                title=title
            >
                {verb}
            </button>
        </form>
    }
}

#[component]
fn Invitations(invitations: Vec<PendingInvitation>) -> impl IntoView {
    view! {
        <section class="setting" aria-labelledby="invitations-title">
            <h2 id="invitations-title">"Invitations not yet used"</h2>
            <table class="members">
                <thead>
                    <tr>
                        <th scope="col">"E-mail address"</th>
                        <th scope="col">"Role"</th>
                        <th scope="col">"Invited by"</th>
                        <th scope="col">"Link works until"</th>
                        <th scope="col">"Actions"</th>
                    </tr>
                </thead>
                <tbody>
                    {invitations
                        .into_iter()
                        .map(|invitation| {
                            view! {
                                <tr>
                                    <td>{invitation.email.clone()}</td>
                                    <td>{invitation.role.label()}</td>
                                    <td>{invitation.invited_by}</td>
                                    <td>{format_utc(invitation.expires_at)}</td>
                                    <td>
                                        <form method="post" action=RevokeInvitation::PATH>
                                            <input
                                                type="hidden"
                                                name="invitation_id"
                                                value=invitation.id
                                            />
                                            <button
                                                type="submit"
                                                class="button-secondary"
                                                aria-label=format!(
                                                    "Withdraw the invitation of {}",
                                                    invitation.email,
                                                )
                                            >
                                                "Withdraw"
                                            </button>
                                        </form>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </section>
    }
}
