//! Filter CRUD: create, read, update and delete a filter, favourites, and listing and
//! searching the filters a caller can see.

use std::cmp::Ordering;

use super::sharing::{
    add_share, load_owned, load_visible, resolve_share, scope_shares, share_view, shared_users,
    site_share_scope, visible,
};
use super::{FilterInput, FilterOrder, FilterSearch, FilterView, not_available};
use crate::domain::*;
use crate::error::{Error, Result};
use crate::service::search::jql::Validation;
use crate::service::{Caller, Catalog, Page, Permission};
use crate::store::StoreResult;
use crate::store::queries::{Db, filters as q, users as uq};

const MAX_NAME: usize = 255;

fn view(
    db: &Db,
    catalog: &Catalog,
    caller: Option<&Caller>,
    f: SavedFilter,
    shares: Vec<q::ShareRow>,
    with_users: bool,
) -> StoreResult<FilterView> {
    let owner = uq::by_id(db, f.owner_id)?.ok_or_else(Error::internal)?;
    let mut views = Vec::with_capacity(shares.len());
    for s in &shares {
        views.push(share_view(db, catalog, caller, s)?);
    }
    let favourite = match caller {
        Some(c) => q::is_favourite(db, f.id, c.user.id)?,
        None => false,
    };
    let shared = if with_users {
        Some(shared_users(db, catalog, &f, &shares)?)
    } else {
        None
    };
    Ok(FilterView {
        favourited_count: q::favourite_count(db, f.id)?,
        editable: caller.is_some_and(|c| c.user.id == f.owner_id),
        owner,
        shares: views,
        favourite,
        shared_users: shared,
        filter: f,
    })
}

/// Views of the given filters that the caller may see, in the given order.
fn visible_views(
    db: &Db,
    catalog: &Catalog,
    caller: Option<&Caller>,
    filters: Vec<SavedFilter>,
    with_users: bool,
) -> StoreResult<Vec<FilterView>> {
    let mut out = Vec::new();
    for f in filters {
        let shares = q::shares(db, f.id)?;
        if visible(db, catalog, caller, &f, &shares)? {
            out.push(view(db, catalog, caller, f, shares, with_users)?);
        }
    }
    Ok(out)
}

// Validation.

fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::field(
            "filterName",
            "You must specify a name to save this filter as.",
        ));
    }
    if name.chars().count() > MAX_NAME {
        return Err(Error::field(
            "filterName",
            format!("The filter name must not be longer than {MAX_NAME} characters."),
        ));
    }
    Ok(name.to_string())
}

fn name_taken() -> Error {
    Error::field("filterName", "Filter with same name already exists.")
}
fn compare(a: &FilterView, b: &FilterView, order: FilterOrder) -> Ordering {
    let by_name = || {
        a.filter
            .name
            .to_lowercase()
            .cmp(&b.filter.name.to_lowercase())
            .then(a.filter.id.cmp(&b.filter.id))
    };
    let first = match order {
        FilterOrder::Name => Ordering::Equal,
        FilterOrder::Id => a.filter.id.cmp(&b.filter.id),
        FilterOrder::Description => a
            .filter
            .description
            .to_lowercase()
            .cmp(&b.filter.description.to_lowercase()),
        FilterOrder::Owner => a
            .owner
            .display_name
            .to_lowercase()
            .cmp(&b.owner.display_name.to_lowercase()),
        FilterOrder::FavouriteCount => a.favourited_count.cmp(&b.favourited_count),
        FilterOrder::IsFavourite => a.favourite.cmp(&b.favourite),
        FilterOrder::IsShared => (!a.shares.is_empty()).cmp(&!b.shares.is_empty()),
    };
    first.then_with(by_name)
}

impl super::Service {
    /// `POST filter`: validates the JQL as the caller would run it, applies the
    /// caller's default share scope when no shares are given.
    pub async fn create_filter(&self, caller: &Caller, input: FilterInput) -> Result<FilterView> {
        let name = check_name(input.name.as_deref().unwrap_or_default())?;
        let jql = input.jql.clone().unwrap_or_default();
        self.search
            .resolve_jql(Some(caller), &jql, Validation::Strict)
            .await?;
        let may_share = self
            .permissions
            .global_permissions(Some(caller))
            .has(Permission::CreateSharedObjects);
        let explicit = input.shares.is_some();
        if explicit && !may_share && input.shares.as_ref().is_some_and(|s| !s.is_empty()) {
            return Err(Error::bad_request(
                "You do not have permission to share filters.",
            ));
        }
        let catalog = self.catalog.current();
        let who = caller.clone();
        let id = self
            .store
            .write(move |db| {
                if q::name_taken(db, who.user.id, &name, None)? {
                    return Err(name_taken().into());
                }
                let id = q::insert(
                    db,
                    &q::NewFilter {
                        owner_id: who.user.id,
                        name: &name,
                        description: input.description.as_deref().unwrap_or_default(),
                        jql: &jql,
                        now: db.now(),
                    },
                )?;
                let shares = match input.shares {
                    Some(s) => s,
                    None if may_share => {
                        let scope = match q::user_share_scope(db, who.user.id)? {
                            Some(s) => s,
                            None => site_share_scope(db)?,
                        };
                        scope_shares(&scope)
                    }
                    None => Vec::new(),
                };
                for s in &shares {
                    let new = resolve_share(db, &catalog, &who, s)?;
                    add_share(db, id, &new)?;
                }
                if input.favourite == Some(true) {
                    q::set_favourite(db, id, who.user.id, true)?;
                }
                Ok(id)
            })
            .await?;
        self.filter(Some(caller), id, false).await
    }

    /// `GET filter/{id}`.
    pub async fn filter(
        &self,
        caller: Option<&Caller>,
        id: i64,
        with_users: bool,
    ) -> Result<FilterView> {
        let catalog = self.catalog.current();
        let caller = caller.cloned();
        Ok(self
            .store
            .read(move |db| {
                let (f, shares) = load_visible(db, &catalog, caller.as_ref(), id)?;
                view(db, &catalog, caller.as_ref(), f, shares, with_users)
            })
            .await?)
    }

    /// `PUT filter/{id}`: the owner changes name, description, JQL, favourite or
    /// (replacing them all) the share permissions.
    pub async fn update_filter(
        &self,
        caller: &Caller,
        id: i64,
        input: FilterInput,
    ) -> Result<FilterView> {
        let name = input.name.as_deref().map(check_name).transpose()?;
        if let Some(jql) = &input.jql {
            self.search
                .resolve_jql(Some(caller), jql, Validation::Strict)
                .await?;
        }
        if input.shares.as_ref().is_some_and(|s| !s.is_empty())
            && !self
                .permissions
                .global_permissions(Some(caller))
                .has(Permission::CreateSharedObjects)
        {
            return Err(Error::bad_request(
                "You do not have permission to share filters.",
            ));
        }
        let catalog = self.catalog.current();
        let who = caller.clone();
        self.store
            .write(move |db| {
                let (mut f, _) = load_owned(db, &catalog, &who, id)?;
                if let Some(name) = name {
                    if q::name_taken(db, who.user.id, &name, Some(id))? {
                        return Err(name_taken().into());
                    }
                    f.name = name;
                }
                if let Some(d) = input.description {
                    f.description = d;
                }
                if let Some(j) = input.jql {
                    f.jql = j;
                }
                f.updated = db.now();
                q::update(db, &f)?;
                if let Some(shares) = input.shares {
                    q::clear_shares(db, id)?;
                    for s in &shares {
                        let new = resolve_share(db, &catalog, &who, s)?;
                        add_share(db, id, &new)?;
                    }
                }
                if let Some(fav) = input.favourite {
                    q::set_favourite(db, id, who.user.id, fav)?;
                }
                Ok(())
            })
            .await?;
        self.filter(Some(caller), id, false).await
    }

    /// `DELETE filter/{id}`: the owner, or an administrator.
    pub async fn delete_filter(&self, caller: &Caller, id: i64) -> Result<()> {
        let admin = self.permissions.is_admin(caller);
        let catalog = self.catalog.current();
        let who = caller.clone();
        Ok(self
            .store
            .write(move |db| {
                if admin {
                    q::by_id(db, id)?.ok_or_else(not_available)?;
                } else {
                    load_owned(db, &catalog, &who, id)?;
                }
                q::delete(db, id)?;
                Ok(())
            })
            .await?)
    }

    /// `PUT`/`DELETE filter/{id}/favourite`.
    pub async fn set_filter_favourite(
        &self,
        caller: &Caller,
        id: i64,
        favourite: bool,
    ) -> Result<FilterView> {
        let catalog = self.catalog.current();
        let who = caller.clone();
        self.store
            .write(move |db| {
                load_visible(db, &catalog, Some(&who), id)?;
                q::set_favourite(db, id, who.user.id, favourite)
            })
            .await?;
        self.filter(Some(caller), id, false).await
    }

    /// `GET filter/favourite`: the caller's favourites they can still see.
    pub async fn favourite_filters(
        &self,
        caller: &Caller,
        with_users: bool,
    ) -> Result<Vec<FilterView>> {
        let catalog = self.catalog.current();
        let who = caller.clone();
        Ok(self
            .store
            .read(move |db| {
                let rows = q::favourites_of(db, who.user.id)?;
                visible_views(db, &catalog, Some(&who), rows, with_users)
            })
            .await?)
    }

    /// `GET filter/my`: the caller's own filters, and their favourites when asked.
    pub async fn my_filters(
        &self,
        caller: &Caller,
        include_favourites: bool,
        with_users: bool,
    ) -> Result<Vec<FilterView>> {
        let catalog = self.catalog.current();
        let who = caller.clone();
        Ok(self
            .store
            .read(move |db| {
                let mut rows = q::owned_by(db, who.user.id)?;
                if include_favourites {
                    for f in q::favourites_of(db, who.user.id)? {
                        if !rows.iter().any(|r| r.id == f.id) {
                            rows.push(f);
                        }
                    }
                    rows.sort_by(|a, b| {
                        a.name
                            .to_lowercase()
                            .cmp(&b.name.to_lowercase())
                            .then(a.id.cmp(&b.id))
                    });
                }
                visible_views(db, &catalog, Some(&who), rows, with_users)
            })
            .await?)
    }

    /// `GET filter` (deprecated): every filter the caller can see.
    pub async fn visible_filters(
        &self,
        caller: &Caller,
        with_users: bool,
    ) -> Result<Vec<FilterView>> {
        let catalog = self.catalog.current();
        let who = caller.clone();
        Ok(self
            .store
            .read(move |db| visible_views(db, &catalog, Some(&who), q::all(db)?, with_users))
            .await?)
    }

    /// `GET filter/search`: visible filters matching the criteria, one page.
    pub async fn search_filters(
        &self,
        caller: &Caller,
        s: FilterSearch,
    ) -> Result<Page<FilterView>> {
        let owner = match &s.owner {
            None => None,
            Some(r) => match self.users.user_by_ref(r).await? {
                Some(u) => Some(u.id),
                // An unknown owner owns nothing.
                None => return Ok(Page::of(Vec::new(), s.start_at, s.max_results)),
            },
        };
        let catalog = self.catalog.current();
        let who = caller.clone();
        let group = s.group.clone();
        let name = s.name.as_ref().map(|n| n.trim().to_lowercase());
        let ids = s.ids.clone();
        let (project, with_users) = (s.project_id, s.shared_users);
        let mut found = self
            .store
            .read(move |db| {
                let mut rows = q::all(db)?;
                rows.retain(|f| {
                    owner.is_none_or(|o| f.owner_id == o)
                        && (ids.is_empty() || ids.contains(&f.id))
                        && name
                            .as_deref()
                            .is_none_or(|n| f.name.to_lowercase().contains(n))
                });
                let mut out = Vec::new();
                for f in rows {
                    let shares = q::shares(db, f.id)?;
                    let shared_with = group.as_deref().is_none_or(|g| {
                        shares.iter().any(|s| {
                            s.kind == "group"
                                && s.group
                                    .as_deref()
                                    .is_some_and(|n| n.eq_ignore_ascii_case(g))
                        })
                    }) && project
                        .is_none_or(|p| shares.iter().any(|s| s.project_id == Some(ProjectId(p))));
                    if shared_with && visible(db, &catalog, Some(&who), &f, &shares)? {
                        out.push(view(db, &catalog, Some(&who), f, shares, with_users)?);
                    }
                }
                Ok(out)
            })
            .await?;
        found.sort_by(|a, b| {
            let o = compare(a, b, s.order);
            if s.descending { o.reverse() } else { o }
        });
        Ok(Page::of(found, s.start_at, s.max_results))
    }
}
