//! `mypreferences`: the caller's own string preferences and locale.

use super::Service;
use crate::error::{Error, Result};
use crate::service::Caller;
use crate::store::queries::users_admin as q;

/// The locale a user has until they choose one.
pub const DEFAULT_LOCALE: &str = "en_US";

/// `ll` or `ll_CC` (Java's locale shape: language lower-case, country upper-case).
fn valid_locale(s: &str) -> bool {
    let mut parts = s.split('_');
    let lang = parts.next().unwrap_or_default();
    let country = parts.next();
    parts.next().is_none()
        && (2..=3).contains(&lang.len())
        && lang.chars().all(|c| c.is_ascii_lowercase())
        && country.is_none_or(|c| c.len() == 2 && c.chars().all(|c| c.is_ascii_uppercase()))
}

fn check_key(key: &str) -> Result<()> {
    if key.trim().is_empty() || key.len() > 255 {
        return Err(Error::not_found(
            "The key query parameter is required (1 to 255 characters).",
        ));
    }
    Ok(())
}

impl Service {
    pub async fn preference(&self, caller: &Caller, key: &str) -> Result<String> {
        check_key(key)?;
        let (id, k) = (caller.user.id, key.to_string());
        self.store
            .read(move |db| q::preference(db, id, &k))
            .await?
            .ok_or_else(|| Error::not_found(format!("There is no preference with key '{key}'.")))
    }

    pub async fn set_preference(&self, caller: &Caller, key: &str, value: String) -> Result<()> {
        check_key(key)?;
        if value.len() > 32 * 1024 {
            return Err(Error::bad_request(
                "A preference value may hold at most 32 KiB.",
            ));
        }
        let (id, k) = (caller.user.id, key.to_string());
        self.store
            .write(move |tx| q::set_preference(tx, id, &k, &value))
            .await?;
        Ok(())
    }

    pub async fn delete_preference(&self, caller: &Caller, key: &str) -> Result<()> {
        check_key(key)?;
        let (id, k) = (caller.user.id, key.to_string());
        if !self
            .store
            .write(move |tx| q::delete_preference(tx, id, &k))
            .await?
        {
            return Err(Error::not_found(format!(
                "There is no preference with key '{key}'."
            )));
        }
        Ok(())
    }

    /// Sets the caller's locale; `None` resets it to the default.
    pub async fn set_locale(&self, caller: &Caller, locale: Option<&str>) -> Result<()> {
        let locale = match locale {
            None => DEFAULT_LOCALE.to_string(),
            Some(l) if valid_locale(l) => l.to_string(),
            Some(l) => {
                return Err(Error::field(
                    "locale",
                    format!("'{l}' is not a locale; give it as language_COUNTRY, like en_US."),
                ));
            }
        };
        let id = caller.user.id;
        self.store
            .write(move |tx| q::set_locale(tx, id, &locale))
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn locales_have_the_java_shape() {
        for ok in ["en_US", "de", "fr_FR", "ast"] {
            assert!(super::valid_locale(ok), "{ok}");
        }
        for bad in ["", "EN_us", "en-US", "en_US_x", "english", "e"] {
            assert!(!super::valid_locale(bad), "{bad}");
        }
    }
}
