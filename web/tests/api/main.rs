mod aws;
mod helpers;

mod auth;
mod contests;
mod hls;
mod i18n;
mod journey;
mod ops;
mod rejections;
mod safety;
mod security;
