use crate::members::MembersError;
use leptos::prelude::*;

/// Creates an invitation for `email` to join as `role` (`admin` or
/// `member`). The page then shows its link once, for the admin to send.
#[server(endpoint = "members/invite")]
pub async fn invite_member(email: String, role: String) -> Result<(), MembersError> {
    use super::ssr::{change_on_members_page, parse_role, NEW_LINK};
    use crate::accounts::credentials::normalize_email;
    use crate::accounts::{client, session};
    use crate::members::{service, MembersNotice, NewInvitationLink};
    use crate::paths::JOIN;

    change_on_members_page(MembersNotice::Invited, async |state, admin| {
        let role = parse_role(&role)?;
        let (token, expires_at) = service::invite(state, admin, &email, role).await?;
        let origin = client::origin(state.deployment.public_url.as_deref()).unwrap_or_default();
        let link = NewInvitationLink {
            email: normalize_email(&email),
            link: format!("{origin}{JOIN}?token={token}"),
            expires_at,
        };
        session::keep_for_page(NEW_LINK, &link)
            .await
            .ok_or(MembersError::Unavailable)
    })
    .await
}
