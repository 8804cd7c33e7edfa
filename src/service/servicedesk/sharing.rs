//! Sharing a request with organizations (Jira's "Organizations" field): every member
//! of an organization the request is shared with sees it, on every surface, through
//! `service/levels.rs`. A request is shared with organizations of its desk only; a
//! customer shares with the organizations they belong to, agents with any of the desk's.

use super::*;

impl Service {
    /// The organizations named by `raw` (ids), checked for sharing a request of `desk`
    /// by the caller; a field error on `organizations` otherwise.
    pub(super) async fn organizations_to_share(
        &self,
        caller: &Caller,
        desk: &DeskView,
        raw: &[String],
    ) -> Result<Vec<i64>> {
        if raw.is_empty() {
            return Ok(Vec::new());
        }
        let (desk_id, me, agent) = (desk.desk.id, caller.user.id, desk.agent || desk.admin);
        let (of_desk, mine) = self
            .store
            .read(move |db| {
                Ok((
                    q::orgs(db, Some(desk_id), None)?,
                    q::orgs(db, None, Some(me))?,
                ))
            })
            .await?;
        let mut ids = Vec::new();
        for r in raw {
            let id = r
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|id| of_desk.iter().any(|o| o.id == *id))
                .ok_or_else(|| {
                    Error::field(
                        SHARED_WITH_FIELD,
                        format!("The organization '{r}' is not one of this service desk's."),
                    )
                })?;
            if !agent && !mine.iter().any(|o| o.id == id) {
                return Err(Error::field(
                    SHARED_WITH_FIELD,
                    format!("You are not a member of the organization '{r}'."),
                ));
            }
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        Ok(ids)
    }

    /// Agents share a request with more of its desk's organizations.
    pub async fn share_request(
        &self,
        caller: &Caller,
        r: &IssueRef,
        organizations: &[String],
    ) -> Result<RequestView> {
        let request = self.request(caller, r).await?;
        if !request.agent {
            return Err(Error::forbidden(
                "Only agents can share a request with more organizations.",
            ));
        }
        let desk = self.desk_of(caller, &request).await?;
        let ids = self
            .organizations_to_share(caller, &desk, organizations)
            .await?;
        let issue = request.view.issue.id;
        self.store
            .write(move |tx| {
                for id in ids {
                    q::share_with_org(tx, issue, id)?;
                }
                Ok(())
            })
            .await?;
        // Visibility is read from the store at query time (levels.rs), so no reindex.
        self.request(caller, r).await
    }

    /// The organizations a request is shared with.
    pub async fn request_organizations(&self, r: &RequestView) -> Result<Vec<Organization>> {
        let issue = r.view.issue.id;
        Ok(self
            .store
            .read(move |db| {
                let ids = q::request_orgs(db, issue)?;
                let mut out = Vec::new();
                for id in ids {
                    out.extend(q::org(db, id)?);
                }
                Ok(out)
            })
            .await?)
    }
}
