# CloudFront in front of the media bucket via origin access control. Only
# media/* and banners/* are readable (bucket policy in modules/storage);
# originals/* are never served. Optional signed URLs for media/* via a key group.

data "aws_cloudfront_cache_policy" "optimized" {
  name = "Managed-CachingOptimized"
}

resource "aws_cloudfront_origin_access_control" "media" {
  name                              = "${var.name}-media"
  description                       = "Clipcontest media bucket"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

resource "aws_cloudfront_public_key" "signer" {
  count       = var.signed_urls ? 1 : 0
  name        = "${var.name}-media-signer"
  comment     = "Verifies signed URLs for media/*"
  encoded_key = var.signing_public_key_pem
}

resource "aws_cloudfront_key_group" "signer" {
  count   = var.signed_urls ? 1 : 0
  name    = "${var.name}-media-signers"
  items   = [aws_cloudfront_public_key.signer[0].id]
  comment = "Trusted signers for media/*"
}

resource "aws_cloudfront_response_headers_policy" "media" {
  name    = "${var.name}-media"
  comment = "Security headers for media and banners"

  security_headers_config {
    content_type_options {
      override = true
    }
    strict_transport_security {
      access_control_max_age_sec = 31536000
      include_subdomains         = true
      preload                    = true
      override                   = true
    }
    referrer_policy {
      referrer_policy = "strict-origin-when-cross-origin"
      override        = true
    }
    frame_options {
      frame_option = "SAMEORIGIN"
      override     = true
    }
  }
}

resource "aws_cloudfront_distribution" "media" {
  #checkov:skip=CKV_AWS_68:No WAF: the distribution serves static, cacheable media objects only (GET/HEAD); a web ACL adds cost without protecting an application surface.
  #checkov:skip=CKV2_AWS_47:Same as CKV_AWS_68: no WAF (and no application code that Log4j-style rules would protect) behind this distribution.
  #checkov:skip=CKV_AWS_310:Single S3 origin; S3 is regional and highly available, an origin group would need a replicated bucket (see CKV_AWS_144 skip).
  #checkov:skip=CKV_AWS_305:Not a website: there is no root object, only media/ and banners/ keys.
  #checkov:skip=CKV_AWS_374:Contest media is meant to be viewable worldwide; no geo restriction.
  #checkov:skip=CKV_AWS_174:TLS 1.2+ is enforced when cdn_certificate_arn (custom domain) is set; with the default *.cloudfront.net certificate CloudFront fixes the policy itself.
  #checkov:skip=CKV2_AWS_42:A custom certificate is optional (cdn_certificate_arn); the default *.cloudfront.net certificate is valid HTTPS.
  enabled         = true
  is_ipv6_enabled = true
  http_version    = "http2and3"
  comment         = "Clipcontest media (${var.name})"
  price_class     = var.price_class
  aliases         = var.aliases

  origin {
    origin_id                = "media-bucket"
    domain_name              = var.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.media.id
  }

  # Anything outside media/ and banners/ is denied by the bucket policy (403).
  default_cache_behavior {
    target_origin_id           = "media-bucket"
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = data.aws_cloudfront_cache_policy.optimized.id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.media.id
  }

  ordered_cache_behavior {
    path_pattern               = "media/*"
    target_origin_id           = "media-bucket"
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD", "OPTIONS"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = false # mp4/jpeg are already compressed
    cache_policy_id            = data.aws_cloudfront_cache_policy.optimized.id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.media.id
    trusted_key_groups         = var.signed_urls ? [aws_cloudfront_key_group.signer[0].id] : null
  }

  ordered_cache_behavior {
    path_pattern               = "banners/*"
    target_origin_id           = "media-bucket"
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD", "OPTIONS"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = data.aws_cloudfront_cache_policy.optimized.id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.media.id
  }

  logging_config {
    bucket          = var.logs_bucket_domain_name
    prefix          = "cloudfront/"
    include_cookies = false
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = var.certificate_arn == null
    acm_certificate_arn            = var.certificate_arn
    ssl_support_method             = var.certificate_arn == null ? null : "sni-only"
    minimum_protocol_version       = var.certificate_arn == null ? "TLSv1" : "TLSv1.2_2021"
  }
}
