//! Customers and organizations.

use axum::extract::{Path, RawQuery};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::Value;

use super::{JsmResult, Json, Params, READ, WRITE, caller, no_content, render};
use crate::api::Ctx;
use crate::api::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .post("/rest/servicedeskapi/customer", WRITE, create_customer)
        .get(
            "/rest/servicedeskapi/servicedesk/{serviceDeskId}/customer",
            READ,
            get_customers,
        )
        .post(
            "/rest/servicedeskapi/servicedesk/{serviceDeskId}/customer",
            WRITE,
            add_customers,
        )
        .delete(
            "/rest/servicedeskapi/servicedesk/{serviceDeskId}/customer",
            WRITE,
            remove_customers,
        )
        .get("/rest/servicedeskapi/organization", READ, get_organizations)
        .post(
            "/rest/servicedeskapi/organization",
            WRITE,
            create_organization,
        )
        .get(
            "/rest/servicedeskapi/organization/{organizationId}",
            READ,
            get_organization,
        )
        .delete(
            "/rest/servicedeskapi/organization/{organizationId}",
            WRITE,
            delete_organization,
        )
        .get(
            "/rest/servicedeskapi/organization/{organizationId}/user",
            READ,
            get_users_in_organization,
        )
        .post(
            "/rest/servicedeskapi/organization/{organizationId}/user",
            WRITE,
            add_users_to_organization,
        )
        .delete(
            "/rest/servicedeskapi/organization/{organizationId}/user",
            WRITE,
            remove_users_from_organization,
        )
        .get(
            "/rest/servicedeskapi/servicedesk/{serviceDeskId}/organization",
            READ,
            get_organizations_of_desk,
        )
        .post(
            "/rest/servicedeskapi/servicedesk/{serviceDeskId}/organization",
            WRITE,
            add_organization,
        )
        .delete(
            "/rest/servicedeskapi/servicedesk/{serviceDeskId}/organization",
            WRITE,
            remove_organization,
        )
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CustomerInput {
    email: Option<String>,
    display_name: Option<String>,
    full_name: Option<String>,
}

/// Users named by `accountIds` (and the Server API's `usernames`).
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct UsersInput {
    #[serde(default)]
    account_ids: Vec<String>,
    #[serde(default)]
    usernames: Vec<String>,
}

impl UsersInput {
    fn all(self) -> Vec<String> {
        self.account_ids.into_iter().chain(self.usernames).collect()
    }
}

#[derive(Deserialize)]
struct NameInput {
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OrgRef {
    organization_id: Option<Value>,
}

fn user_page(ctx: &Ctx, path: &str, page: crate::service::Page<crate::domain::User>) -> Value {
    let values = page
        .items
        .iter()
        .map(|u| render::user(&ctx.base, u))
        .collect();
    render::paged(
        &ctx.base,
        path,
        page.start_at,
        page.max_results,
        page.total,
        values,
    )
}

/// # `POST /rest/servicedeskapi/customer` (createCustomer)
async fn create_customer(ctx: Ctx, Json(input): Json<CustomerInput>) -> JsmResult<Response> {
    let caller = caller(&ctx)?;
    let u = ctx
        .app
        .servicedesk
        .create_customer(caller, input.email, input.display_name.or(input.full_name))
        .await?;
    Ok((StatusCode::CREATED, axum::Json(render::user(&ctx.base, &u))).into_response())
}

/// # `GET /rest/servicedeskapi/servicedesk/{serviceDeskId}/customer` (getCustomers)
async fn get_customers(
    ctx: Ctx,
    Path(desk): Path<String>,
    RawQuery(raw): RawQuery,
) -> JsmResult<axum::Json<Value>> {
    let caller = caller(&ctx)?;
    let p = Params::parse(raw.as_deref());
    let (start, limit) = p.paging()?;
    let page = ctx
        .app
        .servicedesk
        .customers(caller, &desk, p.get("query"), start, limit)
        .await?;
    Ok(axum::Json(user_page(
        &ctx,
        &format!("/servicedesk/{desk}/customer"),
        page,
    )))
}

/// # `POST /rest/servicedeskapi/servicedesk/{serviceDeskId}/customer` (addCustomers)
async fn add_customers(
    ctx: Ctx,
    Path(desk): Path<String>,
    Json(input): Json<UsersInput>,
) -> JsmResult<Response> {
    let caller = caller(&ctx)?;
    ctx.app
        .servicedesk
        .change_customers(caller, &desk, input.all(), true)
        .await?;
    Ok(no_content())
}

/// # `DELETE /rest/servicedeskapi/servicedesk/{serviceDeskId}/customer` (removeCustomers)
async fn remove_customers(
    ctx: Ctx,
    Path(desk): Path<String>,
    Json(input): Json<UsersInput>,
) -> JsmResult<Response> {
    let caller = caller(&ctx)?;
    ctx.app
        .servicedesk
        .change_customers(caller, &desk, input.all(), false)
        .await?;
    Ok(no_content())
}

fn org_page(
    ctx: &Ctx,
    path: &str,
    page: crate::service::Page<crate::domain::servicedesk::Organization>,
) -> Value {
    let values = page
        .items
        .iter()
        .map(|o| render::organization(&ctx.base, o))
        .collect();
    render::paged(
        &ctx.base,
        path,
        page.start_at,
        page.max_results,
        page.total,
        values,
    )
}

/// # `GET /rest/servicedeskapi/organization` (getOrganizations)
async fn get_organizations(ctx: Ctx, RawQuery(raw): RawQuery) -> JsmResult<axum::Json<Value>> {
    let caller = caller(&ctx)?;
    let (start, limit) = Params::parse(raw.as_deref()).paging()?;
    let page = ctx
        .app
        .servicedesk
        .organizations(caller, None, start, limit)
        .await?;
    Ok(axum::Json(org_page(&ctx, "/organization", page)))
}

/// # `POST /rest/servicedeskapi/organization` (createOrganization)
async fn create_organization(ctx: Ctx, Json(input): Json<NameInput>) -> JsmResult<Response> {
    let caller = caller(&ctx)?;
    let o = ctx
        .app
        .servicedesk
        .create_organization(caller, input.name)
        .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(render::organization(&ctx.base, &o)),
    )
        .into_response())
}

/// # `GET /rest/servicedeskapi/organization/{organizationId}` (getOrganization)
async fn get_organization(ctx: Ctx, Path(id): Path<String>) -> JsmResult<axum::Json<Value>> {
    let caller = caller(&ctx)?;
    let o = ctx.app.servicedesk.organization(caller, &id).await?;
    Ok(axum::Json(render::organization(&ctx.base, &o)))
}

/// # `DELETE /rest/servicedeskapi/organization/{organizationId}` (deleteOrganization)
async fn delete_organization(ctx: Ctx, Path(id): Path<String>) -> JsmResult<Response> {
    let caller = caller(&ctx)?;
    ctx.app.servicedesk.delete_organization(caller, &id).await?;
    Ok(no_content())
}

/// # `GET /rest/servicedeskapi/organization/{organizationId}/user` (getUsersInOrganization)
async fn get_users_in_organization(
    ctx: Ctx,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> JsmResult<axum::Json<Value>> {
    let caller = caller(&ctx)?;
    let (start, limit) = Params::parse(raw.as_deref()).paging()?;
    let page = ctx
        .app
        .servicedesk
        .organization_users(caller, &id, start, limit)
        .await?;
    Ok(axum::Json(user_page(
        &ctx,
        &format!("/organization/{id}/user"),
        page,
    )))
}

/// # `POST /rest/servicedeskapi/organization/{organizationId}/user` (addUsersToOrganization)
async fn add_users_to_organization(
    ctx: Ctx,
    Path(id): Path<String>,
    Json(input): Json<UsersInput>,
) -> JsmResult<Response> {
    let caller = caller(&ctx)?;
    ctx.app
        .servicedesk
        .change_organization_users(caller, &id, input.all(), true)
        .await?;
    Ok(no_content())
}

/// # `DELETE /rest/servicedeskapi/organization/{organizationId}/user` (removeUsersFromOrganization)
async fn remove_users_from_organization(
    ctx: Ctx,
    Path(id): Path<String>,
    Json(input): Json<UsersInput>,
) -> JsmResult<Response> {
    let caller = caller(&ctx)?;
    ctx.app
        .servicedesk
        .change_organization_users(caller, &id, input.all(), false)
        .await?;
    Ok(no_content())
}

/// # `GET /rest/servicedeskapi/servicedesk/{serviceDeskId}/organization` (getOrganizations)
async fn get_organizations_of_desk(
    ctx: Ctx,
    Path(desk): Path<String>,
    RawQuery(raw): RawQuery,
) -> JsmResult<axum::Json<Value>> {
    let caller = caller(&ctx)?;
    let (start, limit) = Params::parse(raw.as_deref()).paging()?;
    let page = ctx
        .app
        .servicedesk
        .organizations(caller, Some(&desk), start, limit)
        .await?;
    Ok(axum::Json(org_page(
        &ctx,
        &format!("/servicedesk/{desk}/organization"),
        page,
    )))
}

fn org_id(r: &OrgRef) -> Option<i64> {
    match &r.organization_id {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.parse().ok(),
        _ => None,
    }
}

/// # `POST /rest/servicedeskapi/servicedesk/{serviceDeskId}/organization` (addOrganization)
async fn add_organization(
    ctx: Ctx,
    Path(desk): Path<String>,
    Json(input): Json<OrgRef>,
) -> JsmResult<Response> {
    let caller = caller(&ctx)?;
    ctx.app
        .servicedesk
        .change_desk_organization(caller, &desk, org_id(&input), true)
        .await?;
    Ok(no_content())
}

/// # `DELETE /rest/servicedeskapi/servicedesk/{serviceDeskId}/organization` (removeOrganization)
async fn remove_organization(
    ctx: Ctx,
    Path(desk): Path<String>,
    Json(input): Json<OrgRef>,
) -> JsmResult<Response> {
    let caller = caller(&ctx)?;
    ctx.app
        .servicedesk
        .change_desk_organization(caller, &desk, org_id(&input), false)
        .await?;
    Ok(no_content())
}
