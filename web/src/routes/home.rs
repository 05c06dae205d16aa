use actix_session::Session;
use actix_web::http::StatusCode;

use super::{layout, State};
use crate::error::{html, AppResult};
use crate::views::{ContestCard, HomePage, When};
use shared::time::now_ms;

pub async fn index(state: State, session: Session) -> AppResult {
    let now = now_ms();
    let (mut open, mut upcoming, mut past) = (Vec::new(), Vec::new(), Vec::new());
    for c in state.backends.db.list_contests().await? {
        let banner_url = match &c.banner_key {
            Some(k) => Some(state.backends.storage.public_url(k).await?),
            None => None,
        };
        let card = ContestCard {
            slug: c.slug.clone(),
            name: c.name.clone(),
            prize: c.prize.clone(),
            when: When::of(&c, now),
            banner_url,
        };
        if c.is_open_at(now) {
            open.push(card);
        } else if c.starts_at > now {
            upcoming.push(card);
        } else {
            past.push(card);
        }
    }
    past.reverse();
    html(
        StatusCode::OK,
        &HomePage {
            layout: layout(&session, &state).await?,
            open,
            upcoming,
            past,
        },
    )
}
