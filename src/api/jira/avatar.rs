//! Avatars and icons at the addresses the API hands out: users' and projects' avatars
//! (`/secure/useravatar`, `/secure/projectavatar`), issue type and system avatars
//! (`/secure/viewavatar`), priority and status icons (`/images/icons/…`), and the list of
//! system avatars (`avatar/{type}/system`). They are drawn here as small SVGs, so every
//! `avatarUrls` and `iconUrl` a client follows shows a picture.
//!
//! | Method | Path | Handler |
//! |---|---|---|
//! | GET | `/secure/useravatar` | [`user_avatar`] |
//! | GET | `/secure/projectavatar` | [`project_avatar`] |
//! | GET | `/secure/viewavatar` | [`view_avatar`] |
//! | GET | `/images/icons/priorities/{file}` | [`priority_icon`] |
//! | GET | `/images/icons/statuses/{file}` | [`status_icon`] |
//! | GET | `/rest/api/2/avatar/{type}/system` | [`get_all_system_avatars`] |

use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{JiraError, JiraResult, Json, Query};
use crate::api::Ctx;
use crate::api::routes::{ANY, Routes};
use crate::error::Error;
use crate::service::users::UserRef;

pub fn top_routes() -> Routes {
    Routes::new()
        .get("/secure/useravatar", ANY, user_avatar)
        .get("/secure/projectavatar", ANY, project_avatar)
        .get("/secure/viewavatar", ANY, view_avatar)
        .get("/images/icons/priorities/{file}", ANY, priority_icon)
        .get("/images/icons/statuses/{file}", ANY, status_icon)
}

pub fn routes() -> Routes {
    Routes::new().get("/avatar/{type}/system", ANY, get_all_system_avatars)
}

/// The issue type avatars (id, colour, glyph), Jira's ids for its default types.
const ISSUE_TYPE_AVATARS: &[(i64, &str, &str)] = &[
    (10307, "#904ee2", "M13 4 7 13h4l-1 7 6-9h-4z"),
    (10318, "#4bade8", "M7 12.5l3 3 7-7"),
    (10316, "#4bade8", "M6 6h6v6H6zM12 12h6v6h-6z"),
    (10315, "#63ba3c", "M8 5h8v14l-4-3-4 3z"),
    (10303, "#e5493a", "M12 7a5 5 0 1 0 .01 0z"),
    (10300, "#8993a4", "M9 9h6v6H9z"),
];

/// Project system avatars: one colour each, with the pattern drawn from the id.
const PROJECT_AVATARS: &[(i64, &str)] = &[
    (10400, "#0065ff"),
    (10401, "#00875a"),
    (10402, "#ff5630"),
    (10403, "#6554c0"),
    (10404, "#ff991f"),
    (10405, "#00a3bf"),
    (10406, "#de350b"),
    (10407, "#253858"),
];

const USER_COLOURS: &[&str] = &[
    "#0052cc", "#00875a", "#de350b", "#5243aa", "#ff8b00", "#008da6", "#403294", "#172b4d",
];

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct AvatarQuery {
    size: Option<String>,
    owner_id: Option<String>,
    avatar_id: Option<String>,
    avatar_type: Option<String>,
}

/// Jira's size names or pixels, within reason.
fn pixels(size: Option<&str>) -> u32 {
    match size.unwrap_or("48") {
        "xsmall" => 16,
        "small" => 24,
        "medium" => 32,
        "large" | "xlarge" => 48,
        n => n.parse::<u32>().map_or(48, |n| n.clamp(16, 128)),
    }
}

/// A stable small number from a name, to pick a colour.
fn pick(seed: &str, n: usize) -> usize {
    let h = seed.bytes().fold(2166136261u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(16777619)
    });
    h as usize % n
}

/// An SVG reply. The picture holds no text a client sent, and the policy forbids
/// anything active in it all the same.
fn svg(px: u32, body: &str, private: bool) -> Response {
    let doc = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{px}" height="{px}" viewBox="0 0 24 24">{body}</svg>"#
    );
    let mut r = doc.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/svg+xml"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if private {
            "private, max-age=300"
        } else {
            "public, max-age=86400"
        }),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

fn tile(colour: &str, glyph: &str) -> String {
    format!(
        r##"<rect width="24" height="24" rx="4" fill="{colour}"/><path d="{glyph}" fill="none" stroke="#fff" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"/>"##
    )
}

/// Up to two initials, letters and digits only (so nothing needs escaping).
fn initials(display_name: &str) -> String {
    display_name
        .split_whitespace()
        .filter_map(|w| w.chars().find(|c| c.is_alphanumeric()))
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

/// # `GET /secure/useravatar` (a user's avatar)
///
/// A circle in the user's colour with their initials for signed-in callers; anonymous
/// callers get the colour only (a name is not theirs to read).
async fn user_avatar(ctx: Ctx, Query(q): Query<AvatarQuery>) -> Response {
    let owner = q.owner_id.unwrap_or_default();
    let colour = USER_COLOURS[pick(&owner, USER_COLOURS.len())];
    let mut letters = String::new();
    if let Some(caller) = ctx.caller.as_ref()
        && !owner.is_empty()
        && let Ok((user, _)) = ctx
            .app
            .users
            .get_user(caller, &UserRef::Username(owner.clone()))
            .await
    {
        letters = initials(&user.display_name);
    }
    let body = if letters.is_empty() {
        format!(
            r##"<circle cx="12" cy="12" r="12" fill="{colour}"/><circle cx="12" cy="9.5" r="4" fill="#fff"/><path d="M5 20a7 6 0 0 1 14 0z" fill="#fff"/>"##
        )
    } else {
        let font = if letters.chars().count() > 1 { 10 } else { 12 };
        format!(
            r##"<circle cx="12" cy="12" r="12" fill="{colour}"/><text x="12" y="12" dy=".35em" text-anchor="middle" font-family="sans-serif" font-size="{font}" font-weight="600" fill="#fff">{letters}</text>"##
        )
    };
    svg(pixels(q.size.as_deref()), &body, true)
}

/// A project avatar: its colour and a pattern, both from the id (no name is drawn, so
/// the picture tells nothing of a project the caller cannot see).
fn project_picture(seed: &str, colour: &str) -> String {
    let bits = pick(seed, 16);
    let mut cells = String::new();
    for (n, (x, y)) in [(5, 5), (13, 5), (5, 13), (13, 13)].into_iter().enumerate() {
        if bits & (1 << n) != 0 || n == 0 {
            cells.push_str(&format!(
                r##"<rect x="{x}" y="{y}" width="6" height="6" rx="1" fill="#fff" opacity=".9"/>"##
            ));
        }
    }
    format!(r#"<rect width="24" height="24" rx="4" fill="{colour}"/>{cells}"#)
}

/// # `GET /secure/projectavatar` (a project's avatar)
async fn project_avatar(Query(q): Query<AvatarQuery>) -> Response {
    let owner = q.owner_id.unwrap_or_default();
    let (_, colour) = PROJECT_AVATARS[pick(&owner, PROJECT_AVATARS.len())];
    svg(
        pixels(q.size.as_deref()),
        &project_picture(&owner, colour),
        false,
    )
}

/// # `GET /secure/viewavatar` (a system or issue type avatar by id)
async fn view_avatar(Query(q): Query<AvatarQuery>) -> JiraResult<Response> {
    let id: i64 = q
        .avatar_id
        .as_deref()
        .and_then(|i| i.parse().ok())
        .ok_or_else(|| JiraError(Error::bad_request("avatarId must be a number.")))?;
    let px = pixels(q.size.as_deref());
    if let Some((_, colour)) = PROJECT_AVATARS.iter().find(|(i, _)| *i == id) {
        return Ok(svg(px, &project_picture(&id.to_string(), colour), false));
    }
    match q.avatar_type.as_deref().unwrap_or("issuetype") {
        "issuetype" => {}
        "user" => {
            return Ok(svg(
                px,
                &tile(USER_COLOURS[0], "M8 17a4 4 0 0 1 8 0M12 7v4"),
                false,
            ));
        }
        other => {
            return Err(JiraError(Error::not_found(format!(
                "There is no avatar type '{other}'."
            ))));
        }
    }
    let (_, colour, glyph) = ISSUE_TYPE_AVATARS
        .iter()
        .find(|(i, _, _)| *i == id)
        .ok_or_else(|| JiraError(Error::not_found(format!("The avatar {id} does not exist."))))?;
    Ok(svg(px, &tile(colour, glyph), false))
}

/// # `GET /images/icons/priorities/{file}` (a priority's icon)
async fn priority_icon(Path(file): Path<String>) -> JiraResult<Response> {
    let (colour, glyph) = match file.as_str() {
        "highest.svg" => ("#d04437", "M6 12l6-6 6 6M6 18l6-6 6 6"),
        "high.svg" => ("#f15c75", "M6 15l6-6 6 6"),
        "medium.svg" => ("#f79232", "M5 9h14M5 15h14"),
        "low.svg" => ("#2a8735", "M6 9l6 6 6-6"),
        "lowest.svg" => ("#55a630", "M6 6l6 6 6-6M6 12l6 6 6-6"),
        _ => {
            return Err(JiraError(Error::not_found(format!(
                "There is no priority icon '{file}'."
            ))));
        }
    };
    Ok(svg(
        16,
        &format!(
            r#"<path d="{glyph}" fill="none" stroke="{colour}" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round"/>"#
        ),
        false,
    ))
}

/// # `GET /images/icons/statuses/{file}` (a status's icon)
async fn status_icon(Path(file): Path<String>) -> JiraResult<Response> {
    if file != "generic.png" {
        return Err(JiraError(Error::not_found(format!(
            "There is no status icon '{file}'."
        ))));
    }
    Ok(svg(
        16,
        r##"<circle cx="12" cy="12" r="8" fill="none" stroke="#5e6c84" stroke-width="3"/>"##,
        false,
    ))
}

fn urls(base: &str, id: i64, kind: &str) -> Value {
    let mut m = serde_json::Map::new();
    for (size, name) in [
        ("16x16", "xsmall"),
        ("24x24", "small"),
        ("32x32", "medium"),
        ("48x48", "large"),
    ] {
        m.insert(
            size.to_string(),
            json!(format!(
                "{base}/secure/viewavatar?size={name}&avatarId={id}&avatarType={kind}"
            )),
        );
    }
    Value::Object(m)
}

/// # `GET /rest/api/2/avatar/{type}/system` (getAllSystemAvatars)
async fn get_all_system_avatars(ctx: Ctx, Path(kind): Path<String>) -> JiraResult<Json<Value>> {
    let ids: Vec<i64> = match kind.as_str() {
        "issuetype" => ISSUE_TYPE_AVATARS.iter().map(|(i, _, _)| *i).collect(),
        "project" => PROJECT_AVATARS.iter().map(|(i, _)| *i).collect(),
        "user" => vec![10500],
        _ => {
            return Err(JiraError(Error::not_found(format!(
                "There is no avatar type '{kind}'; use project, issuetype or user."
            ))));
        }
    };
    let system: Vec<Value> = ids
        .into_iter()
        .map(|id| {
            json!({"id": id.to_string(), "isSystemAvatar": true, "isSelected": false,
                   "isDeletable": false, "urls": urls(&ctx.base, id, &kind)})
        })
        .collect();
    Ok(Json(json!({ "system": system })))
}
