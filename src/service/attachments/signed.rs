//! Signed, expiring download links for attachments (the v1 surface answers `/content`
//! and `/preview` with a redirect to one). The link itself is the credential: an HMAC,
//! keyed by the server secret, over what is served, the attachment id, the user it was
//! made for and the expiry. Permission is checked when the link is made and again when
//! it is opened, as that user: a link stops working when it expires, when the
//! attachment is deleted, and as soon as its user may no longer see the issue (a
//! security level set, a role taken away) or is deactivated.

use super::{Error, Result, hex, io_error, thumbnailable};
use crate::domain::*;
use crate::service::Caller;
use crate::service::blobs::blob_path;

/// How long a signed link stays valid.
pub const SIGNED_LINK_SECONDS: i64 = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedPart {
    Content,
    Preview,
}

impl SignedPart {
    pub fn name(self) -> &'static str {
        match self {
            SignedPart::Content => "content",
            SignedPart::Preview => "preview",
        }
    }
}

/// The parts of a signed link's query string.
#[derive(Debug, Clone)]
pub struct Signature {
    /// Unix seconds after which the link no longer works.
    pub expires: i64,
    /// The user the link was made for (their numeric id), whose access it carries.
    pub signer: i64,
    pub sig: String,
}

impl super::Service {
    /// The signature of a link to `part` of attachment `id` for user `signer`, valid
    /// until `expires` (Unix seconds). No permission check: callers that hand links out
    /// check first.
    pub fn attachment_link_signature(
        &self,
        part: SignedPart,
        id: i64,
        signer: i64,
        expires: i64,
    ) -> String {
        hex(&self.auth.keyed(&[
            b"attachment-link",
            part.name().as_bytes(),
            id.to_string().as_bytes(),
            signer.to_string().as_bytes(),
            expires.to_string().as_bytes(),
        ]))
    }

    /// Signs a link to an attachment of `issue` the caller may see; 404 when the
    /// attachment is not on that issue, or when a preview is asked of a file that has none.
    pub async fn sign_attachment_link(
        &self,
        caller: &Caller,
        issue: &IssueRef,
        id: i64,
        part: SignedPart,
    ) -> Result<Signature> {
        let a = self.issue_attachment(caller, issue, id).await?.1.attachment;
        if part == SignedPart::Preview && !thumbnailable(&a.mime_type) {
            return Err(Error::not_found(format!(
                "The attachment '{}' has no preview.",
                a.filename
            )));
        }
        let expires = self.store.now().0 / 1000 + SIGNED_LINK_SECONDS;
        let signer = caller.user.id.0;
        Ok(Signature {
            expires,
            signer,
            sig: self.attachment_link_signature(part, id, signer, expires),
        })
    }

    /// Serves a signed link: the attachment and the bytes (the file, or its PNG preview).
    /// 403 for a signature that does not match or has expired, or a signer no longer
    /// active; 404 when the signer may no longer see the attachment.
    pub async fn open_signed_link(
        &self,
        part: SignedPart,
        id: i64,
        signature: &Signature,
    ) -> Result<(Attachment, Vec<u8>)> {
        let expected =
            self.attachment_link_signature(part, id, signature.signer, signature.expires);
        if !constant_time_eq(expected.as_bytes(), signature.sig.as_bytes()) {
            return Err(Error::forbidden("The link signature is not valid."));
        }
        if self.store.now().0 / 1000 > signature.expires {
            return Err(Error::forbidden("The link has expired; request a new one."));
        }
        let signer = self
            .auth
            .caller_for(UserId(signature.signer), None)
            .await
            .map_err(|_| Error::forbidden("The link's user can no longer sign in."))?;
        let issue = self
            .store
            .read(move |db| crate::store::queries::attachments::by_id(db, id))
            .await?
            .ok_or_else(|| Error::not_found("The attachment no longer exists."))?
            .issue_id;
        // Access now, not when the link was made: the same check as every other read.
        let a = self
            .issue_attachment(&signer, &IssueRef::Id(issue.0), id)
            .await
            .map_err(|_| Error::not_found("The attachment no longer exists."))?
            .1
            .attachment;
        let bytes = match part {
            SignedPart::Content => tokio::fs::read(blob_path(&self.attachments_root(), &a.sha256))
                .await
                .map_err(io_error)?,
            SignedPart::Preview => self.thumbnail_of(&a).await?,
        };
        Ok((a, bytes))
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
