//! CloudFront signed URLs with a custom policy (RSA-SHA1 over the policy JSON, the documented
//! scheme; the `cloudfront_sign` crate does the signing).
//!
//! One signature covers one video's folder (`{cdn}/{prefix}media/{id}/*`): the same
//! `Policy`/`Signature`/`Key-Pair-Id` query parameters are valid on the MP4, the poster and every
//! HLS init file and segment of that video, and on nothing else. They expire after a short,
//! configurable time, so hiding or deleting a video stops playback within that time (the web
//! tier refuses to hand out new ones). Signed cookies were not chosen: they only reach the CDN
//! when it is a subdomain of the site's domain, and URLs work with any CDN domain.
use std::borrow::Cow;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use secrecy::{ExposeSecret, SecretString};

pub struct CdnSigner {
    key_pair_id: String,
    /// PKCS#1 PEM (what the signing crate reads), normalised from PKCS#1 or PKCS#8 input.
    private_key: SecretString,
    ttl: Duration,
}

impl std::fmt::Debug for CdnSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CdnSigner")
            .field("key_pair_id", &self.key_pair_id)
            .field("ttl", &self.ttl)
            .finish_non_exhaustive()
    }
}

impl CdnSigner {
    /// `pem` is the private key of the CloudFront public key `key_pair_id`, PKCS#1
    /// (`BEGIN RSA PRIVATE KEY`) or PKCS#8 (`BEGIN PRIVATE KEY`, what `openssl genrsa` writes
    /// since OpenSSL 3). The error never contains the key.
    pub fn new(key_pair_id: &str, pem: &str, ttl: Duration) -> Result<Self, String> {
        let key_pair_id = key_pair_id.trim();
        if key_pair_id.is_empty()
            || !key_pair_id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return Err(
                "cdn_key_pair_id must be a CloudFront public key id (letters and digits)".into(),
            );
        }
        // Secrets often arrive with literal "\n" escapes (env vars, JSON written by hand).
        let pem = pem.trim().replace("\\n", "\n");
        let key = rsa::RsaPrivateKey::from_pkcs1_pem(&pem)
            .or_else(|_| rsa::RsaPrivateKey::from_pkcs8_pem(&pem))
            .map_err(|_| {
                "cdn_private_key is not an RSA private key in PEM form (PKCS#1 or PKCS#8)"
                    .to_string()
            })?;
        let pkcs1 = key
            .to_pkcs1_pem(rsa::pkcs8::LineEnding::LF)
            .map_err(|_| "cdn_private_key could not be re-encoded".to_string())?;
        if ttl.is_zero() {
            return Err("the media URL lifetime must be at least one second".into());
        }
        Ok(Self {
            key_pair_id: key_pair_id.to_string(),
            private_key: SecretString::from(pkcs1.as_str().to_owned()),
            ttl,
        })
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// `Policy=…&Signature=…&Key-Pair-Id=…` for a resource pattern (`https://cdn/x/*`), valid
    /// until now + ttl.
    pub fn query_for(&self, resource: &str) -> Result<String, String> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        self.query_until(resource, (now + self.ttl).as_secs())
    }

    fn query_until(&self, resource: &str, expires: u64) -> Result<String, String> {
        let options = cloudfront_sign::SignedOptions {
            key_pair_id: Cow::Borrowed(&self.key_pair_id),
            private_key: Cow::Borrowed(self.private_key.expose_secret()),
            date_less_than: expires,
            date_greater_than: None,
            ip_address: None,
            resource: Some(Cow::Borrowed(resource)),
        };
        // The cookie values of a custom policy are exactly the query parameters of a custom-policy
        // signed URL (the crate's signed-URL helper would write a canned policy, which cannot
        // carry a wildcard resource).
        let values = cloudfront_sign::get_signed_cookie(resource, &options)
            .map_err(|e| format!("CloudFront signing failed: {e}"))?;
        let get = |k: &str| values.get(k).cloned().unwrap_or_default();
        Ok(format!(
            "Policy={}&Signature={}&Key-Pair-Id={}",
            get("CloudFront-Policy"),
            get("CloudFront-Signature"),
            get("CloudFront-Key-Pair-Id")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::pkcs1v15::{Signature, VerifyingKey};
    use rsa::signature::Verifier;

    const KEY: &str = include_str!("testdata/cloudfront-test-key.pem");
    const RESOURCE: &str =
        "https://d111111abcdef8.cloudfront.net/prod/media/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b/*";
    // Computed independently with OpenSSL for the key above:
    //   printf '%s' "$POLICY" | base64 -w0 | tr '+=/' '-_~'
    //   printf '%s' "$POLICY" | openssl dgst -sha1 -sign key.pem | base64 -w0 | tr '+=/' '-_~'
    // with POLICY = {"Statement":[{"Resource":"<RESOURCE>","Condition":{"DateLessThan":{"AWS:EpochTime":1767225600}}}]}
    const POLICY_B64: &str = "eyJTdGF0ZW1lbnQiOlt7IlJlc291cmNlIjoiaHR0cHM6Ly9kMTExMTExYWJjZGVmOC5jbG91ZGZyb250Lm5ldC9wcm9kL21lZGlhLzAxOTBhMWIyLWMzZDQtN2U1Zi04YTliLTBjMWQyZTNmNGE1Yi8qIiwiQ29uZGl0aW9uIjp7IkRhdGVMZXNzVGhhbiI6eyJBV1M6RXBvY2hUaW1lIjoxNzY3MjI1NjAwfX19XX0_";
    const SIGNATURE: &str = "EJ56OUXSpOv9H4qtglq4dlKJSXcsgsKMVCKJGOBzcEcqz-iUMYadWzYdKxw84oI91aXIjeUMx0kn72DSXu39Q6qc3davjWmkrDRc2OJimg6u45tlMj8me6lE11cFwWuM5c0tgSoESZV08HCs0j0-060IFPG0Xbf4n61nJC9m8EDcSHuQuC3FJrffk1PGFZfhgMWFevg-XduGOB9PapkugfDjZanma-acppMn6IFqIguvAxOFZufbh40Mzb-DY8wRyKqUOnK4glj2BBkVeJTmnXS-dO~sUd3AP8vUzmboomkywi0J8Ktn4xTIx8V3Kzr14FkXK5bGU0SopJZ-raK1zg__";

    fn unurl(s: &str) -> Vec<u8> {
        use base64::Engine;
        let std = s.replace('-', "+").replace('_', "=").replace('~', "/");
        base64::engine::general_purpose::STANDARD
            .decode(std)
            .unwrap()
    }

    #[test]
    fn custom_policy_signature_matches_openssl() {
        let signer = CdnSigner::new("K2JCJMDEHXQW5F", KEY, Duration::from_secs(300)).unwrap();
        let q = signer.query_until(RESOURCE, 1_767_225_600).unwrap();
        assert_eq!(
            q,
            format!("Policy={POLICY_B64}&Signature={SIGNATURE}&Key-Pair-Id=K2JCJMDEHXQW5F")
        );
        // The policy is the documented custom-policy JSON, and the signature verifies with the
        // public key over exactly those bytes.
        let policy = String::from_utf8(unurl(POLICY_B64)).unwrap();
        assert_eq!(
            policy,
            format!("{{\"Statement\":[{{\"Resource\":\"{RESOURCE}\",\"Condition\":{{\"DateLessThan\":{{\"AWS:EpochTime\":1767225600}}}}}}]}}")
        );
        let key = rsa::RsaPrivateKey::from_pkcs8_pem(KEY).unwrap();
        let verifier = VerifyingKey::<sha1::Sha1>::new(key.to_public_key());
        let sig = Signature::try_from(unurl(SIGNATURE).as_slice()).unwrap();
        verifier.verify(policy.as_bytes(), &sig).unwrap();
        assert!(verifier.verify(b"{}", &sig).is_err());
    }

    #[test]
    fn pkcs1_keys_and_escaped_newlines_work_too_and_errors_hide_the_key() {
        let key = rsa::RsaPrivateKey::from_pkcs8_pem(KEY).unwrap();
        let pkcs1 = key.to_pkcs1_pem(rsa::pkcs8::LineEnding::LF).unwrap();
        let escaped = pkcs1.replace('\n', "\\n");
        let signer = CdnSigner::new("K2JCJMDEHXQW5F", &escaped, Duration::from_secs(60)).unwrap();
        assert_eq!(
            signer.query_until(RESOURCE, 1_767_225_600).unwrap(),
            format!("Policy={POLICY_B64}&Signature={SIGNATURE}&Key-Pair-Id=K2JCJMDEHXQW5F")
        );
        assert!(format!("{signer:?}").contains("K2JCJMDEHXQW5F"));
        assert!(!format!("{signer:?}").contains("PRIVATE"));
        let e = CdnSigner::new(
            "K1",
            "-----BEGIN PRIVATE KEY-----\nnot a key\n",
            Duration::from_secs(60),
        )
        .unwrap_err();
        assert!(e.contains("PEM") && !e.contains("not a key"), "{e}");
        assert!(CdnSigner::new("K1 x", KEY, Duration::from_secs(60)).is_err());
        assert!(CdnSigner::new("K1", KEY, Duration::ZERO).is_err());
        // Expiry is now + ttl.
        let q = signer.query_for(RESOURCE).unwrap();
        let policy = String::from_utf8(unurl(
            q.split('&').next().unwrap().trim_start_matches("Policy="),
        ))
        .unwrap();
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let exp: u64 = policy
            .split("EpochTime\":")
            .nth(1)
            .unwrap()
            .split('}')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!((now + 59..=now + 61).contains(&exp), "{exp} vs {now}");
    }
}
