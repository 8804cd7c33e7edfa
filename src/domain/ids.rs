//! Typed ids, so a user id is never passed where an issue id is expected.

macro_rules! id_type {
    ($($name:ident),*) => {$(
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type!(UserId, ProjectId, IssueId);

/// A reference a client gives for an issue: `PROJ-12` or its numeric id `10042`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssueRef {
    Id(i64),
    Key(String),
}

impl IssueRef {
    pub fn parse(raw: &str) -> IssueRef {
        match raw.parse::<i64>() {
            Ok(id) => IssueRef::Id(id),
            // Keys are case-insensitive in Jira; stored upper-case.
            Err(_) => IssueRef::Key(raw.trim().to_ascii_uppercase()),
        }
    }
}

/// A reference to a project: its key or its numeric id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProjectRef {
    Id(i64),
    Key(String),
}

impl ProjectRef {
    pub fn parse(raw: &str) -> ProjectRef {
        match raw.parse::<i64>() {
            Ok(id) => ProjectRef::Id(id),
            Err(_) => ProjectRef::Key(raw.trim().to_ascii_uppercase()),
        }
    }

    pub fn as_text(&self) -> String {
        match self {
            ProjectRef::Id(id) => id.to_string(),
            ProjectRef::Key(k) => k.clone(),
        }
    }
}
