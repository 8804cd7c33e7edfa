//! `mypreferences`: the caller's own string preferences and locale.

use super::Service;
use crate::error::{Error, Result};
use crate::service::Caller;
use crate::store::queries::users_admin as q;

/// The locale a user has until they choose one.
pub const DEFAULT_LOCALE: &str = "en_US";

/// Jira's preference key for the user's time zone: reading and writing it reads and
/// writes the profile's `timeZone`, the zone JQL dates are read in.
pub const TIME_ZONE_KEY: &str = "jira.user.timezone";

/// The zone a user has until they choose one.
pub const DEFAULT_TIME_ZONE: &str = "UTC";

/// An IANA zone name the zone database knows, in its canonical spelling.
fn valid_time_zone(name: &str) -> Result<String> {
    let name = name.trim();
    match jiff::tz::TimeZone::get(name) {
        Ok(tz) if !name.is_empty() => Ok(tz.iana_name().unwrap_or(name).to_string()),
        _ => Err(Error::bad_request(format!(
            "'{name}' is not a time zone; give an IANA name such as Europe/Berlin or UTC."
        ))),
    }
}

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
        if key == TIME_ZONE_KEY {
            return Ok(caller.user.time_zone.clone());
        }
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
        let id = caller.user.id;
        if key == TIME_ZONE_KEY {
            let zone = valid_time_zone(&value)?;
            self.store
                .write(move |tx| q::set_time_zone(tx, id, &zone))
                .await?;
            return Ok(());
        }
        let k = key.to_string();
        self.store
            .write(move |tx| q::set_preference(tx, id, &k, &value))
            .await?;
        Ok(())
    }

    pub async fn delete_preference(&self, caller: &Caller, key: &str) -> Result<()> {
        check_key(key)?;
        let (id, k) = (caller.user.id, key.to_string());
        if key == TIME_ZONE_KEY {
            self.store
                .write(move |tx| q::set_time_zone(tx, id, DEFAULT_TIME_ZONE))
                .await?;
            return Ok(());
        }
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
