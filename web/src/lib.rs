//! The contest site: server-rendered pages (askama), uploads, organizer tools, media, ops endpoints.
pub mod assets;
pub mod error;
pub mod headers;
pub mod i18n;
pub mod limits;
pub mod mail;
pub mod routes;
pub mod security;
pub mod sessions;
pub mod site;
pub mod startup;
pub mod views;
