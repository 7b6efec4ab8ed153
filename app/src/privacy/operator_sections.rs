//! The operator's own sections of the privacy notice: a Markdown file
//! (`AI_PRIVACY_NOTICE_FILE`) rendered once at start-up with
//! pulldown-cmark. Each `## ` heading starts a section; one whose heading
//! matches a built-in section's replaces it. Raw HTML in the file is shown
//! as text, images as their description (the page loads nothing from
//! elsewhere), and only http(s), mailto and relative links are kept.

use super::OperatorSection;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Parser, Tag, TagEnd};

/// The sections of `markdown`, in order.
pub fn render(markdown: &str) -> Vec<OperatorSection> {
    let mut sections: Vec<(Option<String>, Vec<Event>)> = Vec::new();
    let mut heading: Option<String> = None;
    let mut in_heading = false;
    let mut in_image = 0usize;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                ..
            }) => {
                in_heading = true;
                heading = Some(String::new());
            }
            Event::End(TagEnd::Heading(HeadingLevel::H2)) => {
                in_heading = false;
                sections.push((heading.take().map(|h| h.trim().to_string()), Vec::new()));
            }
            Event::Text(text) | Event::Code(text) if in_heading => {
                if let Some(heading) = heading.as_mut() {
                    heading.push_str(&text);
                }
            }
            _ if in_heading => {}
            other => {
                let Some(kept) = keep(other, &mut in_image) else {
                    continue;
                };
                if sections.is_empty() {
                    sections.push((None, Vec::new()));
                }
                if let Some((_, events)) = sections.last_mut() {
                    events.push(kept);
                }
            }
        }
    }
    sections
        .into_iter()
        .map(|(heading, events)| {
            let mut html = String::new();
            pulldown_cmark::html::push_html(&mut html, events.into_iter());
            OperatorSection { heading, html }
        })
        .filter(|section| section.heading.is_some() || !section.html.trim().is_empty())
        .collect()
}

/// `event` as the page may show it, or `None` to drop it.
fn keep<'a>(event: Event<'a>, in_image: &mut usize) -> Option<Event<'a>> {
    match event {
        // The file's own HTML is shown as the text it is.
        Event::Html(text) | Event::InlineHtml(text) => Some(Event::Text(text)),
        Event::Start(Tag::Image { .. }) => {
            *in_image += 1;
            None
        }
        Event::End(TagEnd::Image) => {
            *in_image = in_image.saturating_sub(1);
            None
        }
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Some(Event::Start(Tag::Link {
            link_type,
            dest_url: if allowed_link(&dest_url) {
                dest_url
            } else {
                CowStr::Borrowed("#")
            },
            title,
            id,
        })),
        // An image's description stays, as text.
        other if *in_image > 0 => match other {
            Event::Text(text) => Some(Event::Text(text)),
            _ => None,
        },
        other => Some(other),
    }
}

/// Links a privacy notice needs: web pages, e-mail, this site's pages.
fn allowed_link(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:")
        || (lower.starts_with('/') && !lower.starts_with("//"))
        || lower.starts_with('#')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_level_headings_start_sections() {
        let sections = render(
            "Intro text.\n\n## Data protection officer\n\nWrite to **dpo@example.com**.\n\n## Cookies\n\nOnly one.\n",
        );
        assert_eq!(sections.len(), 3);
        assert_eq!(sections[0].heading, None);
        assert_eq!(sections[0].html.trim(), "<p>Intro text.</p>");
        assert_eq!(
            sections[1].heading.as_deref(),
            Some("Data protection officer")
        );
        assert!(sections[1]
            .html
            .contains("<strong>dpo@example.com</strong>"));
        assert_eq!(sections[2].heading.as_deref(), Some("Cookies"));
    }

    #[test]
    fn html_in_the_file_is_shown_as_text() {
        let sections =
            render("## Note\n\n<script>alert(1)</script>\n\nHi <b onclick=x>there</b>\n");
        let html = &sections[0].html;
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<b "), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn images_become_their_description_and_odd_links_go_nowhere() {
        let sections = render(
            "## Links\n\n![our logo](https://cdn.example.com/logo.png)\n\n[policy](https://example.com/p) [x](javascript:alert(1))\n",
        );
        let html = &sections[0].html;
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("our logo"), "{html}");
        assert!(html.contains("href=\"https://example.com/p\""), "{html}");
        assert!(!html.contains("javascript"), "{html}");
    }
}
