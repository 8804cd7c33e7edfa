//! The JQL functions Tessera knows: names, arity and what they return, for validation.

/// What a function returns, which decides where it may appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Returns {
    /// One user (`currentUser()`).
    User,
    /// Several users (`membersOf(g)`).
    Users,
    /// One date-time.
    Date,
    /// Several issues (`linkedIssues(k)`), for `issue IN …`.
    Issues,
    /// Several versions.
    Versions,
    /// One version.
    Version,
    /// Several components.
    Components,
    /// Several sprints (`openSprints()`).
    Sprints,
}

impl Returns {
    /// True when the function yields a list, so belongs after `IN`/`NOT IN`.
    pub fn is_list(self) -> bool {
        matches!(
            self,
            Returns::Users
                | Returns::Issues
                | Returns::Versions
                | Returns::Components
                | Returns::Sprints
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FunctionDef {
    /// Canonical spelling; lookup ignores case.
    pub name: &'static str,
    pub min_args: usize,
    pub max_args: usize,
    pub returns: Returns,
    /// For `startOf…`/`endOf…`: the unit of a bare number offset (`startOfWeek(1)`).
    pub offset_unit: Option<char>,
}

const fn f(name: &'static str, min_args: usize, max_args: usize, returns: Returns) -> FunctionDef {
    FunctionDef {
        name,
        min_args,
        max_args,
        returns,
        offset_unit: None,
    }
}

const fn offset(name: &'static str, unit: char) -> FunctionDef {
    FunctionDef {
        name,
        min_args: 0,
        max_args: 1,
        returns: Returns::Date,
        offset_unit: Some(unit),
    }
}

pub const FUNCTIONS: &[FunctionDef] = &[
    f("currentUser", 0, 0, Returns::User),
    f("membersOf", 1, 1, Returns::Users),
    f("now", 0, 0, Returns::Date),
    offset("startOfDay", 'd'),
    offset("startOfWeek", 'w'),
    offset("startOfMonth", 'M'),
    offset("startOfYear", 'y'),
    offset("endOfDay", 'd'),
    offset("endOfWeek", 'w'),
    offset("endOfMonth", 'M'),
    offset("endOfYear", 'y'),
    f("currentLogin", 0, 0, Returns::Date),
    f("lastLogin", 0, 0, Returns::Date),
    f("issueHistory", 0, 0, Returns::Issues),
    f("linkedIssues", 1, 2, Returns::Issues),
    f("votedIssues", 0, 0, Returns::Issues),
    f("watchedIssues", 0, 0, Returns::Issues),
    f("releasedVersions", 0, 1, Returns::Versions),
    f("unreleasedVersions", 0, 1, Returns::Versions),
    f("latestReleasedVersion", 1, 1, Returns::Version),
    f("earliestUnreleasedVersion", 1, 1, Returns::Version),
    f("componentsLeadByUser", 0, 1, Returns::Components),
    f("updatedBy", 1, 3, Returns::Issues),
    f("openSprints", 0, 0, Returns::Sprints),
    f("closedSprints", 0, 0, Returns::Sprints),
    f("futureSprints", 0, 0, Returns::Sprints),
];

/// The function named `name`, ignoring case as Jira does.
pub fn lookup(name: &str) -> Option<&'static FunctionDef> {
    FUNCTIONS.iter().find(|d| d.name.eq_ignore_ascii_case(name))
}

impl FunctionDef {
    /// Jira's message when `given` arguments do not fit, or `None` when they do.
    pub fn arity_error(&self, given: usize) -> Option<String> {
        if (self.min_args..=self.max_args).contains(&given) {
            return None;
        }
        Some(if self.min_args == self.max_args {
            format!(
                "Function '{}' expected '{}' arguments but received '{given}'.",
                self.name, self.min_args
            )
        } else {
            format!(
                "Function '{}' expected between '{}' and '{}' arguments but received '{given}'.",
                self.name, self.min_args, self.max_args
            )
        })
    }
}
