//! Issue security: schemes of levels, a level's members, and who a level lets in. An
//! issue with a level is visible only to the level's members (on top of Browse
//! Projects); to everyone else it does not exist.

/// An issue security scheme with its levels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub default_level_id: Option<i64>,
    pub levels: Vec<SecurityLevel>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityLevel {
    pub id: i64,
    pub scheme_id: i64,
    pub name: String,
    pub description: String,
    pub members: Vec<SecurityMember>,
}

/// One holder of a level, as Jira names holder types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityMember {
    pub id: i64,
    pub holder: Holder,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holder {
    /// By account id.
    User(String),
    Group(String),
    ProjectRole(i64),
    Reporter,
    Assignee,
    ProjectLead,
    /// Any logged-in user (Jira's `applicationRole` without a parameter).
    LoggedIn,
    Anyone,
}

impl Holder {
    /// Jira's `type` of the holder.
    pub fn kind(&self) -> &'static str {
        match self {
            Holder::User(_) => "user",
            Holder::Group(_) => "group",
            Holder::ProjectRole(_) => "projectRole",
            Holder::Reporter => "reporter",
            Holder::Assignee => "assignee",
            Holder::ProjectLead => "projectLead",
            Holder::LoggedIn => "applicationRole",
            Holder::Anyone => "anyone",
        }
    }

    /// The holder's parameter (account id, group name, role id), if it has one.
    pub fn param(&self) -> Option<String> {
        match self {
            Holder::User(s) | Holder::Group(s) => Some(s.clone()),
            Holder::ProjectRole(r) => Some(r.to_string()),
            _ => None,
        }
    }

    /// Reads a stored or requested holder; `None` for an unknown type or a missing or
    /// unreadable parameter.
    pub fn from_parts(kind: &str, param: Option<&str>) -> Option<Holder> {
        let param = param.map(str::trim).filter(|p| !p.is_empty());
        Some(match kind {
            "user" => Holder::User(param?.to_string()),
            "group" => Holder::Group(param?.to_string()),
            "projectRole" => Holder::ProjectRole(param?.parse().ok()?),
            "reporter" => Holder::Reporter,
            "assignee" => Holder::Assignee,
            "projectLead" => Holder::ProjectLead,
            "applicationRole" => Holder::LoggedIn,
            "anyone" => Holder::Anyone,
            _ => return None,
        })
    }
}
