mod helpers;

mod auth;
mod contests;
mod journey;
mod ops;
mod rejections;
mod safety;
