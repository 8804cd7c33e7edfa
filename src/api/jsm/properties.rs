//! Properties of request types and organizations: `PropertyKeys` (`{keys: [{self,
//! key}]}`), `EntityProperty` (`{key, value}`), 201 for a new value and 200 for a
//! replaced one, 204 for a removal.

use axum::body::Bytes;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{JsmError, JsmResult, READ, WRITE, caller, no_content, render};
use crate::api::Ctx;
use crate::api::routes::Routes;
use crate::error::Error;
use crate::service::servicedesk::PropertyOwner;

pub fn routes() -> Routes {
    Routes::new()
        .get("/rest/servicedeskapi/servicedesk/{serviceDeskId}/requesttype/{requestTypeId}/property", READ, get_properties_keys_of_request_type)
        .get(
            "/rest/servicedeskapi/servicedesk/{serviceDeskId}/requesttype/{requestTypeId}/property/{propertyKey}",
            READ,
            get_property_of_request_type,
        )
        .put(
            "/rest/servicedeskapi/servicedesk/{serviceDeskId}/requesttype/{requestTypeId}/property/{propertyKey}",
            WRITE,
            set_property_of_request_type,
        )
        .delete(
            "/rest/servicedeskapi/servicedesk/{serviceDeskId}/requesttype/{requestTypeId}/property/{propertyKey}",
            WRITE,
            delete_property_of_request_type,
        )
        .get("/rest/servicedeskapi/organization/{organizationId}/property", READ, get_properties_keys_of_organization)
        .get(
            "/rest/servicedeskapi/organization/{organizationId}/property/{propertyKey}",
            READ,
            get_property_of_organization,
        )
        .put(
            "/rest/servicedeskapi/organization/{organizationId}/property/{propertyKey}",
            WRITE,
            set_property_of_organization,
        )
        .delete(
            "/rest/servicedeskapi/organization/{organizationId}/property/{propertyKey}",
            WRITE,
            delete_property_of_organization,
        )
}

fn type_owner(desk: String, id: String) -> PropertyOwner {
    PropertyOwner::RequestType { desk, id }
}

fn path_of(owner: &PropertyOwner) -> String {
    match owner {
        PropertyOwner::RequestType { desk, id } => {
            format!("/servicedesk/{desk}/requesttype/{id}/property")
        }
        PropertyOwner::Organization(id) => format!("/organization/{id}/property"),
    }
}

async fn keys(ctx: &Ctx, owner: PropertyOwner) -> JsmResult<axum::Json<Value>> {
    let caller = caller(ctx)?;
    let keys = ctx.app.servicedesk.property_keys(caller, &owner).await?;
    let base = format!("{}{}", render::api(&ctx.base), path_of(&owner));
    let keys: Vec<Value> = keys
        .iter()
        .map(|k| json!({"self": format!("{base}/{}", crate::api::pct(k)), "key": k}))
        .collect();
    Ok(axum::Json(json!({ "keys": keys })))
}

async fn one(ctx: &Ctx, owner: PropertyOwner, key: &str) -> JsmResult<axum::Json<Value>> {
    let caller = caller(ctx)?;
    let raw = ctx.app.servicedesk.property(caller, &owner, key).await?;
    let value = serde_json::from_str::<Value>(&raw).unwrap_or(Value::Null);
    Ok(axum::Json(json!({"key": key, "value": value})))
}

/// Any JSON value is a property value (a bare string or number too), so the body is
/// read as raw JSON rather than through a typed extractor. An empty body is `null`:
/// jira.js's `setProperty` (5.x) sends none, so a key-only marker is all it can set.
async fn set(ctx: &Ctx, owner: PropertyOwner, key: &str, body: Bytes) -> JsmResult<Response> {
    let caller = caller(ctx)?;
    let value: Value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Null
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            JsmError(Error::bad_request(format!(
                "The property value must be valid JSON: {e}"
            )))
        })?
    };
    let created = ctx
        .app
        .servicedesk
        .set_property(caller, &owner, key, value.to_string())
        .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, axum::Json(json!({"key": key, "value": value}))).into_response())
}

async fn remove(ctx: &Ctx, owner: PropertyOwner, key: &str) -> JsmResult<Response> {
    let caller = caller(ctx)?;
    ctx.app
        .servicedesk
        .delete_property(caller, &owner, key)
        .await?;
    Ok(no_content())
}

/// # `GET /rest/servicedeskapi/servicedesk/{serviceDeskId}/requesttype/{requestTypeId}/property` (getPropertiesKeys)
async fn get_properties_keys_of_request_type(
    ctx: Ctx,
    Path((desk, id)): Path<(String, String)>,
) -> JsmResult<axum::Json<Value>> {
    keys(&ctx, type_owner(desk, id)).await
}

/// # `GET /rest/servicedeskapi/servicedesk/{serviceDeskId}/requesttype/{requestTypeId}/property/{propertyKey}` (getProperty)
async fn get_property_of_request_type(
    ctx: Ctx,
    Path((desk, id, key)): Path<(String, String, String)>,
) -> JsmResult<axum::Json<Value>> {
    one(&ctx, type_owner(desk, id), &key).await
}

/// # `PUT /rest/servicedeskapi/servicedesk/{serviceDeskId}/requesttype/{requestTypeId}/property/{propertyKey}` (setProperty)
async fn set_property_of_request_type(
    ctx: Ctx,
    Path((desk, id, key)): Path<(String, String, String)>,
    body: Bytes,
) -> JsmResult<Response> {
    set(&ctx, type_owner(desk, id), &key, body).await
}

/// # `DELETE /rest/servicedeskapi/servicedesk/{serviceDeskId}/requesttype/{requestTypeId}/property/{propertyKey}` (deleteProperty)
async fn delete_property_of_request_type(
    ctx: Ctx,
    Path((desk, id, key)): Path<(String, String, String)>,
) -> JsmResult<Response> {
    remove(&ctx, type_owner(desk, id), &key).await
}

/// # `GET /rest/servicedeskapi/organization/{organizationId}/property` (getPropertiesKeys)
async fn get_properties_keys_of_organization(
    ctx: Ctx,
    Path(id): Path<String>,
) -> JsmResult<axum::Json<Value>> {
    keys(&ctx, PropertyOwner::Organization(id)).await
}

/// # `GET /rest/servicedeskapi/organization/{organizationId}/property/{propertyKey}` (getProperty)
async fn get_property_of_organization(
    ctx: Ctx,
    Path((id, key)): Path<(String, String)>,
) -> JsmResult<axum::Json<Value>> {
    one(&ctx, PropertyOwner::Organization(id), &key).await
}

/// # `PUT /rest/servicedeskapi/organization/{organizationId}/property/{propertyKey}` (setProperty)
async fn set_property_of_organization(
    ctx: Ctx,
    Path((id, key)): Path<(String, String)>,
    body: Bytes,
) -> JsmResult<Response> {
    set(&ctx, PropertyOwner::Organization(id), &key, body).await
}

/// # `DELETE /rest/servicedeskapi/organization/{organizationId}/property/{propertyKey}` (deleteProperty)
async fn delete_property_of_organization(
    ctx: Ctx,
    Path((id, key)): Path<(String, String)>,
) -> JsmResult<Response> {
    remove(&ctx, PropertyOwner::Organization(id), &key).await
}
