//! Board and sprint properties: JSON values under keys, read by whoever sees the board,
//! written by its administrators (boards) or sprint managers (sprints).

use super::*;
use crate::service::properties::MAX_PROPERTY_BYTES;

/// What a property hangs off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Board(i64),
    Sprint(i64),
}

impl Owner {
    fn parts(self) -> (&'static str, i64) {
        match self {
            Owner::Board(id) => ("board", id),
            Owner::Sprint(id) => ("sprint", id),
        }
    }
}

fn property_not_found(key: &str) -> Error {
    Error::not_found(format!("The property with key '{key}' does not exist."))
}

impl Service {
    async fn property_owner(
        &self,
        caller: Option<&Caller>,
        owner: Owner,
        write: bool,
    ) -> Result<()> {
        require(caller)?;
        match owner {
            Owner::Board(id) if write => {
                let v = self.board(caller, id).await?;
                if !self.is_board_admin(require(caller)?, &v).await? {
                    return Err(Error::forbidden(
                        "You do not have permission to administer this board.",
                    ));
                }
            }
            Owner::Board(id) => {
                self.board(caller, id).await?;
            }
            Owner::Sprint(id) if write => {
                let (_, board) = self.visible_sprint(caller, id).await?;
                self.require_manage_sprints(caller, &board).await?;
            }
            Owner::Sprint(id) => {
                self.visible_sprint(caller, id).await?;
            }
        }
        Ok(())
    }

    pub async fn property_keys(
        &self,
        caller: Option<&Caller>,
        owner: Owner,
    ) -> Result<Vec<String>> {
        self.property_owner(caller, owner, false).await?;
        let (entity, id) = owner.parts();
        Ok(self
            .store
            .read(move |db| q::property_keys(db, entity, id))
            .await?)
    }

    pub async fn property(
        &self,
        caller: Option<&Caller>,
        owner: Owner,
        key: &str,
    ) -> Result<String> {
        self.property_owner(caller, owner, false).await?;
        let (entity, id) = owner.parts();
        let k = key.to_string();
        self.store
            .read(move |db| q::property(db, entity, id, &k))
            .await?
            .ok_or_else(|| property_not_found(key))
    }

    /// Sets a property from its raw JSON; true when it is new.
    pub async fn set_property(
        &self,
        caller: Option<&Caller>,
        owner: Owner,
        key: &str,
        raw: String,
    ) -> Result<bool> {
        self.property_owner(caller, owner, true).await?;
        if key.is_empty() || key.chars().count() > 255 {
            return Err(Error::bad_request(
                "The property key must be 1 to 255 characters.",
            ));
        }
        if raw.len() > MAX_PROPERTY_BYTES {
            return Err(Error::bad_request(format!(
                "The property value is too large: {} bytes, the limit is {MAX_PROPERTY_BYTES}.",
                raw.len()
            )));
        }
        let (entity, id) = owner.parts();
        let k = key.to_string();
        Ok(self
            .store
            .write(move |tx| q::set_property(tx, entity, id, &k, &raw))
            .await?)
    }

    pub async fn delete_property(
        &self,
        caller: Option<&Caller>,
        owner: Owner,
        key: &str,
    ) -> Result<()> {
        self.property_owner(caller, owner, true).await?;
        let (entity, id) = owner.parts();
        let k = key.to_string();
        if self
            .store
            .write(move |tx| q::delete_property(tx, entity, id, &k))
            .await?
        {
            Ok(())
        } else {
            Err(property_not_found(key))
        }
    }
}
