//! Remote links of versions (`version/{id}/remotelink`): any JSON object a client wants
//! to hang on a version, keyed by its `globalId`. Reading needs Browse Projects on the
//! version's project; changing needs project administration, as editing the version.

use super::components;
use crate::store::Store;
use std::sync::Arc;

use serde_json::Value;

use super::Caller;
use super::properties::MAX_PROPERTY_BYTES;
use crate::domain::*;
use crate::error::{Error, Result};
use crate::store::queries::version_links as q;

fn parse(text: &str) -> Value {
    // Stored by us from a parsed object; anything else would be a corrupt row.
    serde_json::from_str(text).unwrap_or(Value::Null)
}

fn link_missing(global_id: &str) -> Error {
    Error::not_found(format!(
        "The version has no remote link with global id '{global_id}'."
    ))
}

/// A fresh global id in the UUID v4 text form, for links posted without one.
fn new_global_id() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// Remote links of versions.
pub struct Service {
    store: Store,
    components: Arc<components::Service>,
}

impl Service {
    pub(super) fn new(store: Store, components: Arc<components::Service>) -> Service {
        Service { store, components }
    }
}

impl Service {
    /// Every remote link of a version, ordered by global id.
    pub async fn version_remote_links(
        &self,
        caller: Option<&Caller>,
        version: i64,
    ) -> Result<(Version, Vec<Value>)> {
        let (v, _) = self.components.get_version(caller, version).await?;
        let rows = self
            .store
            .read(move |db| q::of_version(db, version))
            .await?;
        Ok((v, rows.iter().map(|(_, l)| parse(l)).collect()))
    }

    pub async fn version_remote_link(
        &self,
        caller: Option<&Caller>,
        version: i64,
        global_id: String,
    ) -> Result<(Version, Value)> {
        let (v, _) = self.components.get_version(caller, version).await?;
        let gid = global_id.clone();
        let row = self.store.read(move |db| q::get(db, version, &gid)).await?;
        let text = row.ok_or_else(|| link_missing(&global_id))?;
        Ok((v, parse(&text)))
    }

    /// The links with this global id on every version the caller may see.
    pub async fn remote_version_links_by_global_id(
        &self,
        caller: Option<&Caller>,
        global_id: String,
    ) -> Result<Vec<(Version, Value)>> {
        let rows = self
            .store
            .read(move |db| q::by_global_id(db, &global_id))
            .await?;
        let mut out = Vec::new();
        for (version, text) in rows {
            // Versions in projects the caller may not browse are left out.
            if let Ok((v, _)) = self.components.get_version(caller, version).await {
                out.push((v, parse(&text)));
            }
        }
        Ok(out)
    }

    /// Creates or replaces a link. The global id is `global_id` when given (the path's),
    /// else the body's `globalId`, else a new one; it is written into the stored object.
    /// Returns the version and the global id.
    pub async fn put_version_remote_link(
        &self,
        caller: &Caller,
        version: i64,
        global_id: Option<String>,
        link: Value,
    ) -> Result<(Version, String)> {
        let (v, _) = self.components.admin_version(caller, version).await?;
        let Value::Object(mut object) = link else {
            return Err(Error::bad_request(
                "The remote version link must be a JSON object.",
            ));
        };
        let gid = match global_id {
            Some(g) => g,
            None => match object.get("globalId") {
                Some(Value::String(g)) if !g.trim().is_empty() => g.clone(),
                Some(Value::Null) | None => new_global_id(),
                Some(_) => {
                    return Err(Error::field("globalId", "'globalId' must be a string."));
                }
            },
        };
        if gid.trim().is_empty() || gid.len() > 255 {
            return Err(Error::field(
                "globalId",
                "A global id has 1 to 255 characters.",
            ));
        }
        object.insert("globalId".into(), Value::String(gid.clone()));
        let text = Value::Object(object).to_string();
        if text.len() > MAX_PROPERTY_BYTES {
            return Err(Error::bad_request(format!(
                "The remote version link is too large: {} bytes, the limit is {MAX_PROPERTY_BYTES}.",
                text.len()
            )));
        }
        let g = gid.clone();
        self.store
            .write(move |db| q::put(db, version, &g, &text))
            .await?;
        Ok((v, gid))
    }

    /// Deletes one link (`Some`) or every link of the version; 404 when none went.
    pub async fn delete_version_remote_links(
        &self,
        caller: &Caller,
        version: i64,
        global_id: Option<String>,
    ) -> Result<()> {
        self.components.admin_version(caller, version).await?;
        let gid = global_id.clone();
        let deleted = self
            .store
            .write(move |db| q::delete(db, version, gid.as_deref()))
            .await?;
        if deleted == 0 {
            return Err(match global_id {
                Some(g) => link_missing(&g),
                None => Error::not_found("The version has no remote links to delete."),
            });
        }
        Ok(())
    }
}
