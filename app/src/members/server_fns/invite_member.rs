use crate::members::MembersError;
use leptos::prelude::*;

/// Creates an invitation for `email` to join as `role` (`admin` or
/// `member`). The page then shows its link once, for the admin to send.
#[server(endpoint = "members/invite")]
pub async fn invite_member(email: String, role: String) -> Result<(), MembersError> {
    use super::ssr::{change_and_return, keep_link_for_page, parse_role};
    use crate::accounts::client;
    use crate::domain::credentials::normalize_email;
    use crate::members::{service, MembersNotice, NewInvitationLink, JOIN_PAGE};

    change_and_return(MembersNotice::Invited, async |state, actor| {
        let role = parse_role(&role)?;
        let (token, expires_at) = service::invite(state, actor, &email, role).await?;
        let origin = client::origin(state.deployment.public_url.as_deref()).unwrap_or_default();
        keep_link_for_page(&NewInvitationLink {
            email: normalize_email(&email),
            link: format!("{origin}{JOIN_PAGE}?token={token}"),
            expires_at,
        })
        .await
    })
    .await
}
