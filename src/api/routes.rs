//! The route table: every route of every surface is declared through [`Routes`] together
//! with the [`Access`] it needs, so the router and the scope table are built from the same
//! calls and cannot drift. [`enforce`] checks the table per request, from the matched
//! route and method, before the handler runs.
//!
//! Architecture invariant: a surface's `routes()` returns [`Routes`], never a bare axum
//! `Router`; a route that somehow lacks an entry refuses every scoped token (fail closed).

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::handler::Handler;
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::{self, MethodRouter};

use super::{AppState, Authenticated};
pub use crate::auth::scopes::Access;
use crate::auth::scopes::{Scope, unmapped_route};

/// Any caller, whatever its token's scopes.
pub const ANY: Access = Access::Any;
/// Only credentials with full access (credential management).
pub const FULL_ACCESS: Access = Access::FullAccess;
/// v1 reads and writes.
pub const ISSUES_READ: Access = Access::Scope(Scope::IssuesRead);
pub const ISSUES_WRITE: Access = Access::Scope(Scope::IssuesWrite);
/// Jira's classic scopes.
pub const READ_WORK: Access = Access::Scope(Scope::ReadJiraWork);
pub const WRITE_WORK: Access = Access::Scope(Scope::WriteJiraWork);
pub const READ_USER: Access = Access::Scope(Scope::ReadJiraUser);
pub const MANAGE_PROJECT: Access = Access::Scope(Scope::ManageJiraProject);
pub const MANAGE_CONFIG: Access = Access::Scope(Scope::ManageJiraConfiguration);

/// One declared route: a method on a path template (as axum's `MatchedPath` gives it).
#[derive(Debug, Clone)]
pub struct RouteSpec {
    pub method: Method,
    pub path: String,
    pub access: Access,
}

/// An axum router and the table of what each of its routes needs.
#[derive(Clone, Default)]
pub struct Routes {
    router: Router<AppState>,
    table: Vec<RouteSpec>,
}

impl Routes {
    pub fn new() -> Routes {
        Routes::default()
    }

    pub fn get<H, T>(self, path: &str, access: Access, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.on(path, Method::GET, access, routing::get(handler))
    }

    pub fn post<H, T>(self, path: &str, access: Access, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.on(path, Method::POST, access, routing::post(handler))
    }

    pub fn put<H, T>(self, path: &str, access: Access, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.on(path, Method::PUT, access, routing::put(handler))
    }

    pub fn delete<H, T>(self, path: &str, access: Access, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.on(path, Method::DELETE, access, routing::delete(handler))
    }

    /// A method router built by hand (one with a layer, say) that answers `method` only.
    pub fn on(
        mut self,
        path: &str,
        method: Method,
        access: Access,
        method_router: MethodRouter<AppState>,
    ) -> Routes {
        self.table.push(RouteSpec {
            method,
            path: path.to_string(),
            access,
        });
        // axum merges method routers given for the same path.
        self.router = self.router.route(path, method_router);
        self
    }

    pub fn merge(mut self, other: Routes) -> Routes {
        self.router = self.router.merge(other.router);
        self.table.extend(other.table);
        self
    }

    pub fn nest(mut self, prefix: &str, other: Routes) -> Routes {
        self.router = self.router.nest(prefix, other.router);
        self.table
            .extend(other.table.into_iter().map(|r| RouteSpec {
                path: format!("{prefix}{}", r.path),
                ..r
            }));
        self
    }

    /// The answer for paths no route matches (no access needed: it only says 404).
    pub fn fallback<H, T>(mut self, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.router = self.router.fallback(handler);
        self
    }

    /// Every declared route, for the scope matrix test and the docs.
    pub fn table(&self) -> &[RouteSpec] {
        &self.table
    }

    /// The router, and the table [`enforce`] consults.
    pub fn into_parts(self) -> (Router<AppState>, Arc<ScopeTable>) {
        let table = ScopeTable(
            self.table
                .into_iter()
                .map(|r| ((r.method, r.path), r.access))
                .collect(),
        );
        (self.router, Arc::new(table))
    }
}

/// (method, path template) → what the route needs.
pub struct ScopeTable(HashMap<(Method, String), Access>);

impl ScopeTable {
    pub fn access(&self, method: &Method, path: &str) -> Option<Access> {
        // axum answers HEAD with the GET route.
        let method = if method == Method::HEAD {
            &Method::GET
        } else {
            method
        };
        self.0.get(&(method.clone(), path.to_string())).copied()
    }
}

/// The header naming what a refused token lacked: a scope name, `full-access`, or
/// `unmapped` for a route that declares nothing.
pub const SCOPE_HEADER: &str = "x-tessera-scope-required";

/// Runs after authentication: a scoped token reaches a route's handler only when its
/// scopes grant what the route declares; otherwise 403 in the surface's error shape.
/// Callers with full access, and anonymous ones (each handler decides about those), pass.
pub async fn enforce(State(table): State<Arc<ScopeTable>>, req: Request, next: Next) -> Response {
    let grants = match req.extensions().get::<Authenticated>() {
        Some(Authenticated(Some(caller))) if !caller.grants.is_full() => caller.grants.clone(),
        _ => return next.run(req).await,
    };
    // No matched route: only the top-level fallback answers, with a 404.
    let Some(matched) = req.extensions().get::<MatchedPath>() else {
        return next.run(req).await;
    };
    let access = table.access(req.method(), matched.as_str());
    let refusal = match access {
        Some(a) => grants.check(a).err(),
        None => Some(unmapped_route()),
    };
    let Some(error) = refusal else {
        return next.run(req).await;
    };
    let needed = match access {
        Some(Access::Scope(s)) => s.name(),
        Some(_) => "full-access",
        None => "unmapped",
    };
    let mut r = super::error_response(
        req.uri().path(),
        StatusCode::FORBIDDEN,
        &error.messages.join(" "),
    );
    r.headers_mut()
        .insert(SCOPE_HEADER, HeaderValue::from_static(needed));
    r
}

#[cfg(test)]
mod tests {
    /// The invariant above, checked on the source: outside this file no surface builds
    /// an axum router of its own, so no route can escape the table.
    #[test]
    fn every_route_is_declared_through_the_table() {
        fn walk(dir: &std::path::Path, found: &mut Vec<String>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, found);
                } else if path.extension().is_some_and(|e| e == "rs")
                    && !path.ends_with("api/routes.rs")
                {
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    for needle in [
                        ".route(",
                        "Router::new()",
                        ".route_service(",
                        ".nest_service(",
                    ] {
                        if text.contains(needle) {
                            found.push(format!("{} uses {needle}", path.display()));
                        }
                    }
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut found = Vec::new();
        walk(&root.join("src/api"), &mut found);
        // The server merges the table's router and adds layers; it routes nothing itself.
        let server = std::fs::read_to_string(root.join("src/server.rs")).unwrap_or_default();
        for needle in [".route(", ".nest(", ".route_service(", ".nest_service("] {
            if server.contains(needle) {
                found.push(format!("src/server.rs uses {needle}"));
            }
        }
        assert!(found.is_empty(), "routes outside the table: {found:?}");
    }
}
