//! A person being deleted: what identifies them, and the pseudonym that
//! stands in for them in what stays (the audit log, "changed by" notes).

/// The person whose data is being erased, and who they become.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormerPerson {
    pub user_id: String,
    pub name: String,
    pub email: String,
    /// "Former member 3": stable, numbered per workspace.
    pub pseudonym: String,
    /// Names and addresses they had before correcting them.
    pub former_names: Vec<String>,
    pub former_emails: Vec<String>,
}

impl FormerPerson {
    /// The `number`th person deleted from a workspace.
    pub fn new(user_id: &str, name: &str, email: &str, number: i64) -> Self {
        FormerPerson {
            user_id: user_id.to_string(),
            name: name.to_string(),
            email: email.to_string(),
            pseudonym: format!("Former member {number}"),
            former_names: Vec::new(),
            former_emails: Vec::new(),
        }
    }

    /// Also erases what they were called, and where mail reached them,
    /// before they corrected it.
    pub fn formerly(mut self, names: Vec<String>, emails: Vec<String>) -> Self {
        self.former_names = names;
        self.former_emails = emails;
        self
    }

    /// Every name they had, the current one first.
    pub fn names(&self) -> Vec<&str> {
        let mut all = vec![self.name.as_str()];
        all.extend(self.former_names.iter().map(String::as_str));
        all.dedup();
        all
    }

    /// Every address they had, the current one first.
    pub fn emails(&self) -> Vec<&str> {
        let mut all = vec![self.email.as_str()];
        all.extend(self.former_emails.iter().map(String::as_str));
        all.dedup();
        all
    }

    /// What identifies them in free text, longest first: an e-mail address
    /// contains words a name may share, so it goes before the name.
    pub fn identifiers(&self) -> Vec<&str> {
        let mut found: Vec<&str> = [self.email.as_str(), self.name.as_str()]
            .into_iter()
            .chain(self.former_emails.iter().map(String::as_str))
            .chain(self.former_names.iter().map(String::as_str))
            .map(str::trim)
            .filter(|text| !text.is_empty())
            .collect();
        found.sort_by_key(|text| std::cmp::Reverse(text.chars().count()));
        found.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        found
    }

    /// `text` with every whole-word mention of them replaced by the
    /// pseudonym (case-insensitively); `None` when it does not mention
    /// them. Whole words only, so a short name ("Al") does not rewrite
    /// other words ("Always").
    pub fn erase_from(&self, text: &str) -> Option<String> {
        let mut result = text.to_string();
        let mut changed = false;
        for identifier in self.identifiers() {
            if let Some(replaced) = replace_whole(&result, identifier, &self.pseudonym) {
                result = replaced;
                changed = true;
            }
        }
        changed.then_some(result)
    }
}

/// `text` with whole-word, case-insensitive occurrences of `needle`
/// replaced by `with`; `None` if there were none.
fn replace_whole(text: &str, needle: &str, with: &str) -> Option<String> {
    let lower_text = text.to_lowercase();
    let lower_needle = needle.to_lowercase();
    // Lower-casing can change lengths outside ASCII; then compare as typed.
    let (haystack, pattern) =
        if lower_text.len() == text.len() && lower_needle.len() == needle.len() {
            (lower_text, lower_needle)
        } else {
            (text.to_string(), needle.to_string())
        };
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut search_from = 0;
    let mut changed = false;
    while let Some(found) = haystack[search_from..].find(&pattern) {
        let start = search_from + found;
        let end = start + pattern.len();
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        let starts_word =
            pattern.chars().next().is_some_and(|c| !is_word(c)) || !before.is_some_and(is_word);
        let ends_word =
            pattern.chars().next_back().is_some_and(|c| !is_word(c)) || !after.is_some_and(is_word);
        if starts_word && ends_word {
            out.push_str(&text[copied..start]);
            out.push_str(with);
            copied = end;
            changed = true;
        }
        search_from = end;
    }
    out.push_str(&text[copied..]);
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zed() -> FormerPerson {
        FormerPerson::new("u1", "Zed Quimby", "zed@example.com", 3)
    }

    #[test]
    fn names_and_addresses_become_the_pseudonym() {
        assert_eq!(
            zed()
                .erase_from("Zed Quimby <zed@example.com> removed")
                .as_deref(),
            Some("Former member 3 <Former member 3> removed")
        );
        assert_eq!(
            zed().erase_from("Role of zed quimby").as_deref(),
            Some("Role of Former member 3")
        );
    }

    #[test]
    fn other_text_is_left_alone() {
        assert_eq!(zed().erase_from("Role of Zed Quimbyson"), None);
        assert_eq!(zed().erase_from("AI features"), None);
        let al = FormerPerson::new("u2", "Al", "al@example.com", 1);
        assert_eq!(al.erase_from("Always allowed"), None);
        assert_eq!(
            al.erase_from("Role of Al, by Alma").as_deref(),
            Some("Role of Former member 1, by Alma")
        );
    }

    #[test]
    fn names_and_addresses_from_before_a_correction_go_too() {
        let zed = zed().formerly(vec!["Zed Q.".into()], vec!["zq@old.example".into()]);
        assert_eq!(
            zed.erase_from("Zed Q. <zq@old.example> joined").as_deref(),
            Some("Former member 3 <Former member 3> joined")
        );
        assert_eq!(zed.emails(), vec!["zed@example.com", "zq@old.example"]);
    }

    #[test]
    fn the_address_goes_before_a_name_it_contains() {
        let ann = FormerPerson::new("u3", "ann", "ann@example.com", 2);
        assert_eq!(
            ann.erase_from("ann@example.com invited as Member")
                .as_deref(),
            Some("Former member 2 invited as Member")
        );
    }
}
