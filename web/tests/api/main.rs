mod aws;
mod helpers;
mod kit;

mod auth;
mod contests;
mod delivery;
mod hls;
mod i18n;
mod journey;
mod mail;
mod ops;
mod rejections;
mod safety;
mod security;
mod settings;
mod site;
mod ux;
