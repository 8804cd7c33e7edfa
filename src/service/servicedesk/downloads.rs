//! Reading a request's files: one attachment's content or thumbnail, and the
//! attachments a comment refers to. Only attachments the caller sees on the request
//! (internal ones are hidden from customers) are found; any other id is a 404.

use super::*;

fn attachment_missing(id: &str) -> Error {
    Error::not_found(format!(
        "The attachment with id '{id}' does not exist on this request."
    ))
}

/// Whether a wiki-markup body refers to the file: `[^name]` (a link) or `!name!` /
/// `!name|options!` (an embedded image), as Jira's own comments do.
fn mentions(body: &str, filename: &str) -> bool {
    body.contains(&format!("[^{filename}]"))
        || body.contains(&format!("!{filename}!"))
        || body.contains(&format!("!{filename}|"))
}

impl Service {
    async fn request_attachment(
        &self,
        caller: &Caller,
        r: &IssueRef,
        id: &str,
    ) -> Result<Attachment> {
        let request = self.request(caller, r).await?;
        id.parse::<i64>()
            .ok()
            .and_then(|n| request.view.attachments.iter().find(|a| a.id == n).cloned())
            .ok_or_else(|| attachment_missing(id))
    }

    pub async fn request_attachment_content(
        &self,
        caller: &Caller,
        r: &IssueRef,
        id: &str,
    ) -> Result<(Attachment, Vec<u8>)> {
        let a = self.request_attachment(caller, r, id).await?;
        self.attachments
            .attachment_content(Some(caller), a.id)
            .await
    }

    /// A PNG thumbnail of an image attachment (404 for other files).
    pub async fn request_attachment_thumbnail(
        &self,
        caller: &Caller,
        r: &IssueRef,
        id: &str,
    ) -> Result<Vec<u8>> {
        let a = self.request_attachment(caller, r, id).await?;
        self.attachments
            .attachment_thumbnail(Some(caller), a.id)
            .await
    }

    /// The request's attachments (that the caller sees) the comment refers to.
    pub async fn comment_attachments(
        &self,
        caller: &Caller,
        r: &IssueRef,
        comment: &str,
    ) -> Result<(RequestView, Vec<Attachment>)> {
        let (request, c) = self.comment(caller, r, comment).await?;
        let list = request
            .view
            .attachments
            .iter()
            .filter(|a| mentions(&c.body, &a.filename))
            .cloned()
            .collect();
        Ok((request, list))
    }
}

/// The wiki-markup references that tie a comment to the files it came with.
pub(super) fn references(files: &[&str]) -> String {
    files
        .iter()
        .map(|f| format!("[^{f}]"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comment_mentions_files_as_links_or_images() {
        assert!(mentions("see [^a.txt] please", "a.txt"));
        assert!(mentions("!shot.png!", "shot.png"));
        assert!(mentions("!shot.png|thumbnail!", "shot.png"));
        assert!(!mentions("see a.txt", "a.txt"));
        assert!(!mentions("[^a.txt.bak]", "a.txt"));
        assert_eq!(references(&["a b.txt", "c"]), "[^a b.txt] [^c]");
    }
}
