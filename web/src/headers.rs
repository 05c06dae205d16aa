//! Security headers on every response: a strict Content-Security-Policy (scripts and styles only
//! from this site, no inline code; media and images also from the CDN or S3 in AWS mode; no
//! framing), HSTS behind HTTPS (`secure_cookies`), `Cache-Control: no-store` on pages (they carry
//! session-bound CSRF tokens, and organizer pages show participants' emails), Referrer-Policy.
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web;
use shared::config::StorageSettings;
use shared::Settings;

pub struct SecurityHeaders {
    csp: HeaderValue,
    hsts: Option<HeaderValue>,
}

/// `scheme://host[:port]` of a URL, if it has one.
fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty() && !host.contains(char::is_whitespace) && !host.contains(';'))
        .then(|| format!("{scheme}://{host}"))
}

impl SecurityHeaders {
    pub fn new(settings: &Settings) -> Self {
        Self {
            csp: HeaderValue::from_str(&csp(settings)).unwrap_or_else(|_| {
                HeaderValue::from_static("default-src 'self'; frame-ancestors 'none'")
            }),
            hsts: settings
                .secure_cookies
                .then(|| HeaderValue::from_static("max-age=31536000; includeSubDomains")),
        }
    }
}

/// The policy. Public media come from the CDN when one is configured, else from presigned S3
/// URLs (the endpoint's origin, or the bucket's virtual-host origins).
pub fn csp(settings: &Settings) -> String {
    let mut media = vec!["'self'".to_string()];
    if let StorageSettings::S3 { bucket, cdn, .. } = &settings.storage {
        let a = &settings.aws;
        if let Some(cdn) = cdn.as_ref().and_then(|c| origin(&c.base_url)) {
            media.push(cdn);
        } else if let Some(ep) = a.endpoint_url.as_deref().and_then(origin) {
            media.push(ep);
        } else if bucket
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        {
            media.push(format!("https://{bucket}.s3.amazonaws.com"));
            if let Some(region) = a
                .region
                .as_deref()
                .filter(|r| r.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
            {
                media.push(format!("https://{bucket}.s3.{region}.amazonaws.com"));
            }
        }
    }
    let media = media.join(" ");
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src {media} data:; \
         media-src {media} blob:; connect-src {media}; font-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

pub async fn add(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let conf = req.app_data::<web::Data<SecurityHeaders>>().cloned();
    // Files keep their own caching rules (static assets, media); pages are never stored.
    let is_file = req.path().starts_with("/static/") || req.path().starts_with("/files/");
    let private = crate::site::is_private_path(req.path());
    let mut res = next.call(req).await?;
    let h = res.headers_mut();
    let is_html = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let mut set = |name: HeaderName, value: HeaderValue| {
        if !h.contains_key(&name) {
            h.insert(name, value);
        }
    };
    set(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    set(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    set(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if let Some(conf) = conf {
        set(header::CONTENT_SECURITY_POLICY, conf.csp.clone());
        if let Some(hsts) = &conf.hsts {
            set(header::STRICT_TRANSPORT_SECURITY, hsts.clone());
        }
    }
    if private {
        set(
            HeaderName::from_static("x-robots-tag"),
            crate::site::NOINDEX,
        );
    }
    if is_html && !is_file {
        set(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_scheme_and_host_only() {
        assert_eq!(
            origin("https://d1.cloudfront.net/media/x").as_deref(),
            Some("https://d1.cloudfront.net")
        );
        assert_eq!(
            origin("http://127.0.0.1:5000").as_deref(),
            Some("http://127.0.0.1:5000")
        );
        assert_eq!(origin("nonsense"), None);
        assert_eq!(origin("https://a; script-src *"), None);
    }
}
