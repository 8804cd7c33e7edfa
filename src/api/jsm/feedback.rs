//! A request's notification choice and its customer-satisfaction feedback.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::requests::BodyInput;
use super::{JsmError, JsmResult, Json, READ, WRITE, caller, no_content};
use crate::api::Ctx;
use crate::api::routes::Routes;
use crate::domain::IssueRef;
use crate::error::Error;

pub fn routes() -> Routes {
    Routes::new()
        .get(
            "/rest/servicedeskapi/request/{issueIdOrKey}/notification",
            READ,
            get_subscription_status,
        )
        .put(
            "/rest/servicedeskapi/request/{issueIdOrKey}/notification",
            WRITE,
            subscribe,
        )
        .delete(
            "/rest/servicedeskapi/request/{issueIdOrKey}/notification",
            WRITE,
            unsubscribe,
        )
        .get(
            "/rest/servicedeskapi/request/{requestIdOrKey}/feedback",
            READ,
            get_feedback,
        )
        .post(
            "/rest/servicedeskapi/request/{requestIdOrKey}/feedback",
            WRITE,
            post_feedback,
        )
        .delete(
            "/rest/servicedeskapi/request/{requestIdOrKey}/feedback",
            WRITE,
            delete_feedback,
        )
}

/// # `GET /rest/servicedeskapi/request/{issueIdOrKey}/notification` (getSubscriptionStatus)
async fn get_subscription_status(
    ctx: Ctx,
    Path(key): Path<String>,
) -> JsmResult<axum::Json<Value>> {
    let caller = caller(&ctx)?;
    let on = ctx
        .app
        .servicedesk
        .subscription(caller, &IssueRef::parse(&key))
        .await?;
    Ok(axum::Json(json!({"subscribed": on})))
}

/// # `PUT /rest/servicedeskapi/request/{issueIdOrKey}/notification` (subscribe)
async fn subscribe(ctx: Ctx, Path(key): Path<String>) -> JsmResult<Response> {
    let caller = caller(&ctx)?;
    ctx.app
        .servicedesk
        .set_subscription(caller, &IssueRef::parse(&key), true)
        .await?;
    Ok(no_content())
}

/// # `DELETE /rest/servicedeskapi/request/{issueIdOrKey}/notification` (unsubscribe)
async fn unsubscribe(ctx: Ctx, Path(key): Path<String>) -> JsmResult<Response> {
    let caller = caller(&ctx)?;
    ctx.app
        .servicedesk
        .set_subscription(caller, &IssueRef::parse(&key), false)
        .await?;
    Ok(no_content())
}

fn feedback(f: &crate::domain::servicedesk::Feedback) -> Value {
    json!({
        "type": "csat",
        "rating": f.rating,
        "comment": {"body": f.comment},
    })
}

/// # `GET /rest/servicedeskapi/request/{requestIdOrKey}/feedback` (getFeedback)
async fn get_feedback(ctx: Ctx, Path(key): Path<String>) -> JsmResult<axum::Json<Value>> {
    let caller = caller(&ctx)?;
    let f = ctx
        .app
        .servicedesk
        .feedback(caller, &IssueRef::parse(&key))
        .await?;
    Ok(axum::Json(feedback(&f)))
}

#[derive(Deserialize)]
struct FeedbackInput {
    rating: Option<i64>,
    comment: Option<BodyInput>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

/// # `POST /rest/servicedeskapi/request/{requestIdOrKey}/feedback` (postFeedback)
async fn post_feedback(
    ctx: Ctx,
    Path(key): Path<String>,
    Json(input): Json<FeedbackInput>,
) -> JsmResult<Response> {
    let caller = caller(&ctx)?;
    if input.kind.as_deref().is_some_and(|k| k != "csat") {
        return Err(JsmError(Error::field(
            "type",
            "Only csat feedback is supported.",
        )));
    }
    let rating = input
        .rating
        .ok_or_else(|| JsmError(Error::field("rating", "The rating is required.")))?;
    let f = ctx
        .app
        .servicedesk
        .give_feedback(
            caller,
            &IssueRef::parse(&key),
            rating,
            input.comment.and_then(|c| c.body),
        )
        .await?;
    Ok((StatusCode::OK, axum::Json(feedback(&f))).into_response())
}

/// # `DELETE /rest/servicedeskapi/request/{requestIdOrKey}/feedback` (deleteFeedback)
async fn delete_feedback(ctx: Ctx, Path(key): Path<String>) -> JsmResult<Response> {
    let caller = caller(&ctx)?;
    ctx.app
        .servicedesk
        .delete_feedback(caller, &IssueRef::parse(&key))
        .await?;
    Ok(no_content())
}
