//! The contest site: server-rendered pages (askama), uploads, organizer tools, media, ops endpoints.
//!
//! A request goes: `startup` (middleware: tracing, metrics, language from `i18n`, HTML/JSON
//! choice in `error`, security `headers`) → a handler in `routes/<area>.rs` (URL table in
//! `routes/mod.rs`) → `shared::db` and the backend traits → a page struct of `views` rendered
//! from `web/templates/<area>/`, or JSON. Errors are `error::AppError`, one status mapping.
//! A new page: handler + route + view struct + template + its sentences in `shared/locales/`.
//! `web` uses the `worker` crate only to run the worker inside this process (`startup`).
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
