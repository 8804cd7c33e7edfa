//! The one error type of the service layer. Each API surface maps it to its own wire
//! shape (Jira's ErrorCollection, the v1 error object, ...); see `api::*::error`.

use std::collections::BTreeMap;

/// What went wrong, in terms a caller can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// 400: the request is malformed or a value is invalid.
    BadRequest,
    /// 401: no (valid) credentials.
    Unauthenticated,
    /// 403: authenticated but not allowed, where Jira says so instead of hiding the object.
    Forbidden,
    /// 404: missing, or invisible to this caller (same answer on purpose).
    NotFound,
    /// 409: conflicts with existing state.
    Conflict,
    /// 413: the body is larger than allowed.
    TooLarge,
    /// 429: too many attempts.
    TooManyRequests,
    /// 500: our fault; the message never carries internals.
    Internal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: Kind,
    /// General messages (Jira `errorMessages`).
    pub messages: Vec<String>,
    /// Messages about one named field (Jira `errors`).
    pub fields: BTreeMap<String, String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: Kind, message: impl Into<String>) -> Error {
        Error {
            kind,
            messages: vec![message.into()],
            fields: BTreeMap::new(),
        }
    }
    pub fn bad_request(message: impl Into<String>) -> Error {
        Error::new(Kind::BadRequest, message)
    }
    pub fn not_found(message: impl Into<String>) -> Error {
        Error::new(Kind::NotFound, message)
    }
    pub fn forbidden(message: impl Into<String>) -> Error {
        Error::new(Kind::Forbidden, message)
    }
    pub fn unauthenticated() -> Error {
        Error::new(
            Kind::Unauthenticated,
            "You are not authenticated. Authentication required to perform this operation.",
        )
    }
    pub fn conflict(message: impl Into<String>) -> Error {
        Error::new(Kind::Conflict, message)
    }
    pub fn internal() -> Error {
        Error::new(Kind::Internal, "Internal server error.")
    }
    /// A 400 about one field, as Jira reports validation failures.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Error {
        let mut fields = BTreeMap::new();
        fields.insert(field.into(), message.into());
        Error {
            kind: Kind::BadRequest,
            messages: Vec::new(),
            fields,
        }
    }
    /// A 400 collecting several field errors; `None` when there are none.
    pub fn from_fields(fields: BTreeMap<String, String>) -> Option<Error> {
        (!fields.is_empty()).then_some(Error {
            kind: Kind::BadRequest,
            messages: Vec::new(),
            fields,
        })
    }

    pub fn issue_not_found() -> Error {
        Error::not_found("Issue does not exist or you do not have permission to see it.")
    }
    pub fn project_not_found(key: &str) -> Error {
        Error::not_found(format!("No project could be found with key '{key}'."))
    }
}

impl From<crate::store::StoreError> for Error {
    fn from(e: crate::store::StoreError) -> Self {
        match e {
            crate::store::StoreError::Job(e) => e,
            other => {
                tracing::error!(error = %other, "store error");
                Error::internal()
            }
        }
    }
}
