//! API token scopes: one model for every surface.
//!
//! A token created without scopes, a password and a session cookie have the user's full
//! access. A token created with scopes may do only what they grant, on every surface: each
//! route declares the [`Access`] it needs (see `api::routes`), and the request is refused
//! with 403 before the handler runs when the token's scopes do not grant it.
//!
//! Rules:
//! - v1's names and Jira's classic names are one model: `issues:read` is the same grant
//!   as `read:jira-work`, `issues:write` as `write:jira-work`, on every surface.
//! - No scope implies another (as with Atlassian's classic scopes): a write scope does not
//!   grant reads, `manage:jira-project` does not grant `write:jira-work`.
//! - The service-desk scopes guard the service-desk API (`/rest/servicedeskapi`): reads
//!   need `read:servicedesk-request`, changes `write:servicedesk-request`.
//! - Routes that mint or change credentials (personal access tokens, sessions, password)
//!   are refused to every scoped token ([`Access::FullAccess`]).

use crate::error::Error;

/// A scope an API token may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    IssuesRead,
    IssuesWrite,
    ReadJiraWork,
    WriteJiraWork,
    ReadJiraUser,
    ManageJiraProject,
    ManageJiraConfiguration,
    ReadServicedeskRequest,
    WriteServicedeskRequest,
}

impl Scope {
    /// Every known scope, in the order the CLI help and the web UI list them.
    pub const ALL: [Scope; 9] = [
        Scope::IssuesRead,
        Scope::IssuesWrite,
        Scope::ReadJiraWork,
        Scope::WriteJiraWork,
        Scope::ReadJiraUser,
        Scope::ManageJiraProject,
        Scope::ManageJiraConfiguration,
        Scope::ReadServicedeskRequest,
        Scope::WriteServicedeskRequest,
    ];

    /// The name tokens carry and clients send.
    pub fn name(self) -> &'static str {
        match self {
            Scope::IssuesRead => "issues:read",
            Scope::IssuesWrite => "issues:write",
            Scope::ReadJiraWork => "read:jira-work",
            Scope::WriteJiraWork => "write:jira-work",
            Scope::ReadJiraUser => "read:jira-user",
            Scope::ManageJiraProject => "manage:jira-project",
            Scope::ManageJiraConfiguration => "manage:jira-configuration",
            Scope::ReadServicedeskRequest => "read:servicedesk-request",
            Scope::WriteServicedeskRequest => "write:servicedesk-request",
        }
    }

    pub fn parse(name: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.name() == name)
    }

    /// What the scope allows, in one line (CLI help, web UI, `GET /rest/pat/latest/scopes`).
    pub fn description(self) -> &'static str {
        match self {
            Scope::IssuesRead => {
                "read issues, comments, attachments, links, projects, filters and search (same as read:jira-work)"
            }
            Scope::IssuesWrite => {
                "create and change issues, comments, worklogs, attachments, links, watchers, votes and filters (same as write:jira-work)"
            }
            Scope::ReadJiraWork => {
                "read issues, comments, attachments, links, projects, filters and search (same as issues:read)"
            }
            Scope::WriteJiraWork => {
                "create and change issues, comments, worklogs, attachments, links, watchers, votes and filters (same as issues:write)"
            }
            Scope::ReadJiraUser => "read users, groups and the caller's own profile",
            Scope::ManageJiraProject => {
                "create, change and delete projects, components and versions"
            }
            Scope::ManageJiraConfiguration => {
                "change global settings: users, groups, fields, issue types, link types, columns, reindex"
            }
            Scope::ReadServicedeskRequest => {
                "read service desks, request types, customer requests, organizations and queues"
            }
            Scope::WriteServicedeskRequest => {
                "raise and change customer requests, customers and organizations"
            }
        }
    }

    /// The grant a scope stands for: v1's names are Jira's under another name.
    fn grant(self) -> Scope {
        match self {
            Scope::IssuesRead => Scope::ReadJiraWork,
            Scope::IssuesWrite => Scope::WriteJiraWork,
            s => s,
        }
    }

    /// Whether a token carrying `self` may do what needs `needed`.
    pub fn grants(self, needed: Scope) -> bool {
        self.grant() == needed.grant()
    }

    /// The other names of the same grant.
    fn aliases(self) -> impl Iterator<Item = Scope> {
        Scope::ALL
            .into_iter()
            .filter(move |s| *s != self && s.grants(self))
    }
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Parses the scopes of a new token; an unknown name is a 400 naming the known ones.
pub fn parse_scopes(names: &[String]) -> crate::error::Result<Vec<Scope>> {
    let mut out = Vec::new();
    for n in names {
        let Some(s) = Scope::parse(n) else {
            let known: Vec<&str> = Scope::ALL.iter().map(|s| s.name()).collect();
            return Err(Error::field(
                "scopes",
                format!("Unknown scope '{n}'. Known scopes: {}.", known.join(", ")),
            ));
        };
        if !out.contains(&s) {
            out.push(s);
        }
    }
    Ok(out)
}

/// The `--scopes` help of `tessera token create`: every scope with what it allows.
pub fn help_text() -> String {
    let mut s = String::from(
        "Scopes that limit the token, on every API surface; none gives the user's full access.\n",
    );
    for scope in Scope::ALL {
        s.push_str(&format!("  {:<26} {}\n", scope.name(), scope.description()));
    }
    s.push_str(
        "A write scope does not grant reads; managing tokens, sessions and the password needs full access.",
    );
    s
}

/// What a route needs from the caller's credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Nothing: any caller, whatever its token's scopes (server info, the web UI's
    /// files, signed download links). The handler still decides about anonymous callers.
    Any,
    /// A token must carry this scope (or another name of it).
    Scope(Scope),
    /// Credentials with full access: refused to every scoped token.
    FullAccess,
}

/// The scopes of the credentials used, as the authentication layer resolved them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grants {
    /// A password, a session, or a token created without scopes.
    Full,
    /// A token limited to these scopes. Names stored on a token that this version does
    /// not know are dropped, so such a token grants less, never more.
    Only(Vec<Scope>),
}

impl Grants {
    /// The grants of a token that carries `names` (none: full access).
    pub fn of_token(names: &[String]) -> Grants {
        if names.is_empty() {
            Grants::Full
        } else {
            Grants::Only(names.iter().filter_map(|n| Scope::parse(n)).collect())
        }
    }

    pub fn allows(&self, scope: Scope) -> bool {
        match self {
            Grants::Full => true,
            Grants::Only(held) => held.iter().any(|h| h.grants(scope)),
        }
    }

    pub fn is_full(&self) -> bool {
        matches!(self, Grants::Full)
    }

    /// Ok when these grants reach a route needing `access`; otherwise the 403, whose
    /// message names the scope missing.
    pub fn check(&self, access: Access) -> crate::error::Result<()> {
        match access {
            Access::Any => Ok(()),
            _ if self.is_full() => Ok(()),
            Access::Scope(s) if self.allows(s) => Ok(()),
            Access::Scope(s) => {
                let aliases: Vec<String> = s.aliases().map(|a| format!("'{a}'")).collect();
                let or = if aliases.is_empty() {
                    String::new()
                } else {
                    format!(" (or {})", aliases.join(", "))
                };
                Err(Error::forbidden(format!(
                    "The token does not carry the '{s}' scope{or} this operation requires."
                )))
            }
            Access::FullAccess => Err(Error::forbidden(
                "A token with scopes cannot use this operation: it needs a password, a session or a token without scopes.",
            )),
        }
    }
}

/// The refusal for a route that declares no access at all: scoped tokens are refused
/// (fail closed) until the route is given one.
pub fn unmapped_route() -> Error {
    Error::forbidden(
        "This operation declares no token scope, so a token with scopes cannot use it.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for s in Scope::ALL {
            assert_eq!(Scope::parse(s.name()), Some(s));
        }
        assert_eq!(Scope::parse("issues:admin"), None);
    }

    #[test]
    fn v1_and_jira_names_are_one_grant_and_write_does_not_read() {
        assert!(Scope::IssuesRead.grants(Scope::ReadJiraWork));
        assert!(Scope::ReadJiraWork.grants(Scope::IssuesRead));
        assert!(Scope::WriteJiraWork.grants(Scope::IssuesWrite));
        assert!(!Scope::IssuesWrite.grants(Scope::ReadJiraWork));
        assert!(!Scope::ManageJiraProject.grants(Scope::WriteJiraWork));
    }

    #[test]
    fn full_access_and_fail_closed() {
        assert!(Grants::of_token(&[]).is_full());
        // A token whose only scope is unknown grants nothing rather than everything.
        let odd = Grants::of_token(&["legacy:scope".to_string()]);
        assert!(odd.check(Access::Scope(Scope::ReadJiraWork)).is_err());
        assert!(odd.check(Access::FullAccess).is_err());
        assert!(odd.check(Access::Any).is_ok());
        let e = Grants::Only(vec![Scope::IssuesRead])
            .check(Access::Scope(Scope::WriteJiraWork))
            .err()
            .map(|e| e.messages.join(" "))
            .unwrap_or_default();
        assert!(
            e.contains("'write:jira-work'") && e.contains("'issues:write'"),
            "{e}"
        );
    }

    #[test]
    fn unknown_scopes_are_refused() {
        assert!(parse_scopes(&["nope".into()]).is_err());
        assert_eq!(
            parse_scopes(&["issues:read".into(), "issues:read".into()]).ok(),
            Some(vec![Scope::IssuesRead])
        );
    }
}
