//! Customers of a desk, organizations of customers, and the desk's queues.

use super::{DeskView, Service};
use crate::domain::servicedesk::*;
use crate::domain::*;
use crate::error::{Error, Result};
use crate::service::issues::ViewNeeds;
use crate::service::users::NewUserInput;
use crate::service::{Caller, Page};
use crate::store::queries::{projects as pq, servicedesk as q};

fn org_missing(id: impl std::fmt::Display) -> Error {
    Error::not_found(format!("The organization with id '{id}' does not exist."))
}

fn queue_missing(id: impl std::fmt::Display) -> Error {
    Error::not_found(format!("The queue with id '{id}' does not exist."))
}

/// A queue with the number of its issues the caller sees, when asked.
pub struct QueueView {
    pub queue: Queue,
    pub issue_count: Option<i64>,
}

impl Service {
    /// `POST customer`: a user account for a customer (administrators), with no
    /// password: they sign in once one is set.
    pub async fn create_customer(
        &self,
        caller: &Caller,
        email: Option<String>,
        display_name: Option<String>,
    ) -> Result<User> {
        let email = email
            .filter(|e| !e.trim().is_empty())
            .ok_or_else(|| Error::field("email", "The email address is required."))?;
        let display = display_name
            .filter(|d| !d.trim().is_empty())
            .unwrap_or_else(|| email.clone());
        self.users
            .create_user(
                Some(caller),
                NewUserInput {
                    username: email.trim().to_lowercase(),
                    email,
                    display_name: display,
                    password: None,
                    admin: false,
                },
            )
            .await
    }

    /// Whether the caller is an agent of some desk, or a Jira administrator.
    async fn works_on_a_desk(&self, caller: &Caller) -> Result<bool> {
        if self.permissions.is_admin(caller) {
            return Ok(true);
        }
        Ok(self.desks(caller).await?.iter().any(|d| d.agent || d.admin))
    }

    pub(super) async fn require_desk_worker(&self, caller: &Caller) -> Result<()> {
        if self.works_on_a_desk(caller).await? {
            Ok(())
        } else {
            Err(Error::forbidden(
                "You do not have permission to manage organizations: agents and administrators only.",
            ))
        }
    }

    /// The desk's customers (agents), those whose name or email contains `query`.
    pub async fn customers(
        &self,
        caller: &Caller,
        desk: &str,
        query: Option<&str>,
        start: i64,
        limit: i64,
    ) -> Result<Page<User>> {
        let d = self.agent_desk(caller, desk).await?;
        let project = d.project.id;
        let ids = self.store.read(move |db| q::customers(db, project)).await?;
        let q = query.map(|s| s.to_lowercase()).unwrap_or_default();
        let users: Vec<User> = self
            .users_by_ids(ids)
            .await?
            .into_iter()
            .filter(|u| {
                q.is_empty()
                    || u.display_name.to_lowercase().contains(&q)
                    || u.email.to_lowercase().contains(&q)
                    || u.username.to_lowercase().contains(&q)
            })
            .collect();
        Ok(Page::of(users, start, limit))
    }

    /// Adds users to, or removes them from, the desk's customers (agents).
    pub async fn change_customers(
        &self,
        caller: &Caller,
        desk: &str,
        who: Vec<String>,
        add: bool,
    ) -> Result<()> {
        let d = self.agent_desk(caller, desk).await?;
        let mut users = Vec::new();
        for w in &who {
            users.push(self.user_named(w, "accountIds").await?);
        }
        let project = d.project.id;
        self.store
            .write(move |db| {
                if add {
                    return super::requests::make_customers(db, project, &users);
                }
                let Some(role) = q::role(db, "customer")? else {
                    return Ok(());
                };
                for u in &users {
                    pq::remove_role_actor(db, project, role, "user", &u.username)?;
                }
                Ok(())
            })
            .await?;
        Ok(())
    }

    /// Organizations: every one for agents and administrators, a customer's own for
    /// everyone else; those of one desk when given (agents of it).
    pub async fn organizations(
        &self,
        caller: &Caller,
        desk: Option<&str>,
        start: i64,
        limit: i64,
    ) -> Result<Page<Organization>> {
        let desk_id = match desk {
            Some(d) => Some(self.agent_desk(caller, d).await?.desk.id),
            None => None,
        };
        let member = if desk_id.is_none() && !self.works_on_a_desk(caller).await? {
            Some(caller.user.id)
        } else {
            None
        };
        let list = self
            .store
            .read(move |db| q::orgs(db, desk_id, member))
            .await?;
        Ok(Page::of(list, start, limit))
    }

    pub async fn organization(&self, caller: &Caller, id: &str) -> Result<Organization> {
        let n: i64 = id.parse().map_err(|_| org_missing(id))?;
        let all = self.organizations(caller, None, 0, i64::MAX).await?;
        all.items
            .into_iter()
            .find(|o| o.id == n)
            .ok_or_else(|| org_missing(id))
    }

    pub async fn create_organization(
        &self,
        caller: &Caller,
        name: Option<String>,
    ) -> Result<Organization> {
        self.require_desk_worker(caller).await?;
        let name = name
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty())
            .ok_or_else(|| Error::field("name", "The organization name is required."))?;
        let stored = name.clone();
        let id = self
            .store
            .write(move |db| {
                if q::org_name_taken(db, &stored)? {
                    return Err(Error::conflict(format!(
                        "An organization named '{stored}' already exists."
                    ))
                    .into());
                }
                q::insert_org(db, &stored)
            })
            .await?;
        Ok(Organization { id, name })
    }

    pub async fn delete_organization(&self, caller: &Caller, id: &str) -> Result<()> {
        self.permissions.require_admin(caller)?;
        let org = self.organization(caller, id).await?;
        self.store
            .write(move |db| q::delete_org(db, org.id))
            .await?;
        Ok(())
    }

    pub async fn organization_users(
        &self,
        caller: &Caller,
        id: &str,
        start: i64,
        limit: i64,
    ) -> Result<Page<User>> {
        let org = self.organization(caller, id).await?;
        let ids = self
            .store
            .read(move |db| q::org_members(db, org.id))
            .await?;
        Ok(Page::of(self.users_by_ids(ids).await?, start, limit))
    }

    /// Adds or removes members (agents and administrators). A new member becomes a
    /// customer of every desk the organization is part of.
    pub async fn change_organization_users(
        &self,
        caller: &Caller,
        id: &str,
        who: Vec<String>,
        add: bool,
    ) -> Result<()> {
        self.require_desk_worker(caller).await?;
        let org = self.organization(caller, id).await?;
        let mut users = Vec::new();
        for w in &who {
            users.push(self.user_named(w, "accountIds").await?);
        }
        self.store
            .write(move |db| {
                for u in &users {
                    q::set_org_member(db, org.id, u.id, add)?;
                }
                if add {
                    for d in q::desks(db)? {
                        if q::orgs(db, Some(d.id), None)?
                            .iter()
                            .any(|o| o.id == org.id)
                        {
                            super::requests::make_customers(db, d.project_id, &users)?;
                        }
                    }
                }
                Ok(())
            })
            .await?;
        Ok(())
    }

    /// Links an organization to a desk or unlinks it (agents of the desk); linking makes
    /// its members customers.
    pub async fn change_desk_organization(
        &self,
        caller: &Caller,
        desk: &str,
        org: Option<i64>,
        add: bool,
    ) -> Result<()> {
        let d = self.agent_desk(caller, desk).await?;
        let org =
            org.ok_or_else(|| Error::field("organizationId", "The organization id is required."))?;
        let org = self.organization(caller, &org.to_string()).await?;
        let members = self
            .store
            .read(move |db| q::org_members(db, org.id))
            .await?;
        let users = self.users_by_ids(members).await?;
        let (desk_id, project) = (d.desk.id, d.project.id);
        self.store
            .write(move |db| {
                q::set_desk_org(db, desk_id, org.id, add)?;
                if add {
                    super::requests::make_customers(db, project, &users)?;
                }
                Ok(())
            })
            .await?;
        Ok(())
    }

    /// The desk's queues (agents), with their issue counts when asked.
    pub async fn queues(
        &self,
        caller: &Caller,
        desk: &str,
        with_count: bool,
    ) -> Result<(DeskView, Vec<QueueView>)> {
        let d = self.agent_desk(caller, desk).await?;
        let id = d.desk.id;
        let queues = self.store.read(move |db| q::queues(db, id)).await?;
        let mut out = Vec::new();
        for queue in queues {
            let issue_count = if with_count {
                let jql = queue_jql(&d, &queue);
                Some(self.search.count_jql(Some(caller), &jql).await? as i64)
            } else {
                None
            };
            out.push(QueueView { queue, issue_count });
        }
        Ok((d, out))
    }

    pub async fn queue(
        &self,
        caller: &Caller,
        desk: &str,
        id: &str,
        with_count: bool,
    ) -> Result<(DeskView, QueueView)> {
        let (d, all) = self.queues(caller, desk, with_count).await?;
        let found = all
            .into_iter()
            .find(|q| q.queue.id.to_string() == id)
            .ok_or_else(|| queue_missing(id))?;
        Ok((d, found))
    }

    /// One page of a queue's issues.
    pub async fn queue_issues(
        &self,
        caller: &Caller,
        desk: &str,
        id: &str,
        start: i64,
        limit: i64,
    ) -> Result<(QueueView, crate::service::search::jql::SearchPage)> {
        let (d, q) = self.queue(caller, desk, id, false).await?;
        let jql = queue_jql(&d, &q.queue);
        let page = self
            .search
            .search_jql(
                Some(caller),
                &jql,
                crate::jql::Validation::Warn,
                start.max(0) as usize,
                limit.max(0) as usize,
                ViewNeeds::NONE,
            )
            .await?;
        Ok((q, page))
    }
}

/// The queue's JQL within its desk's project.
fn queue_jql(d: &DeskView, q: &Queue) -> String {
    let (filter, order) = crate::jql::split_order_by(&q.jql);
    if filter.is_empty() {
        format!("project = {} {order}", d.project.key)
    } else {
        format!("project = {} AND ({filter}) {order}", d.project.key)
    }
}
