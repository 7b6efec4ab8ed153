use super::{server_fns::DismissNoticeChange, NoticeChange};
use crate::paths::PRIVACY;
use leptos::{prelude::*, server_fn::ServerFn};
use leptos_router::hooks::use_location;

/// Told once to each signed-in person after the operator changed the
/// privacy notice; "Got it" puts it away for good.
#[component]
pub fn NoticeChangedBanner(change: NoticeChange) -> impl IntoView {
    let location = use_location();
    let here = location.pathname.get_untracked();
    view! {
        <div class="callout notice-changed" role="status">
            <p>
                {format!("The privacy notice changed on {}. ", change.version)}
                <a href=PRIVACY>"Read what changed"</a>
            </p>
            <form method="post" action=DismissNoticeChange::PATH>
                <input type="hidden" name="back_to" value=here />
                <button type="submit" class="button-secondary">
                    "Got it"
                </button>
            </form>
        </div>
    }
}
