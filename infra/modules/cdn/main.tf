# CloudFront in front of the media bucket via origin access control. Only
# {prefix}media/* and {prefix}banners/* are readable (bucket policy in
# modules/storage); originals/* are never served. The app's URLs are
# {cdn_base_url}/{prefix}media/... (the full object key), so the behaviours
# match the prefixed paths and there is no origin path. Optional signed
# URLs/cookies for {prefix}media/* via a key group. A WAF web ACL (CLOUDFRONT
# scope, created in us-east-1) rate-limits clients.

terraform {
  required_providers {
    aws = {
      source                = "hashicorp/aws"
      configuration_aliases = [aws.us_east_1]
    }
  }
}

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
  comment     = "Verifies signed URLs for ${var.key_prefix}media/*"
  encoded_key = var.signing_public_key_pem
}

resource "aws_cloudfront_key_group" "signer" {
  count   = var.signed_urls ? 1 : 0
  name    = "${var.name}-media-signers"
  items   = [aws_cloudfront_public_key.signer[0].id]
  comment = "Trusted signers for ${var.key_prefix}media/*"
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
  #checkov:skip=CKV2_AWS_47:The attached web ACL has the Log4j AMR (AWSManagedRulesKnownBadInputsRuleSet); this check also demands AWSManagedRulesAnonymousIpList, which would block every viewer on a VPN or behind a hosting-provider address.
  #checkov:skip=CKV_AWS_310:Single S3 origin; S3 is regional and highly available, an origin group would need a replicated bucket (see CKV_AWS_144 skip).
  #checkov:skip=CKV_AWS_305:Not a website: there is no root object, only media/ and banners/ keys.
  #checkov:skip=CKV_AWS_374:Contest media is meant to be viewable worldwide; no geo restriction.
  #checkov:skip=CKV_AWS_174:TLS 1.2+ is enforced when cdn_certificate_arn (custom domain) is set; with the default *.cloudfront.net certificate CloudFront fixes the policy itself.
  #checkov:skip=CKV2_AWS_42:A custom certificate is optional (cdn_certificate_arn); the default *.cloudfront.net certificate is valid HTTPS.
  enabled         = true
  is_ipv6_enabled = true
  http_version    = "http2and3"
  comment         = "Clipcontest media (${var.name})"
  web_acl_id      = aws_wafv2_web_acl.cdn.arn
  price_class     = var.price_class
  aliases         = var.aliases

  origin {
    origin_id                = "media-bucket"
    domain_name              = var.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.media.id
  }

  # Anything outside {prefix}media/ and {prefix}banners/ is denied by the
  # bucket policy (403).
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
    path_pattern               = "${var.key_prefix}media/*"
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
    path_pattern               = "${var.key_prefix}banners/*"
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
    cloudfront_default_certificate = local.certificate_arn == null
    acm_certificate_arn            = local.certificate_arn
    ssl_support_method             = local.certificate_arn == null ? null : "sni-only"
    minimum_protocol_version       = local.certificate_arn == null ? "TLSv1" : "TLSv1.2_2021"
  }
}

# --- certificate and DNS for the aliases (optional) ------------------------------
# With aliases and a Route 53 zone but no certificate ARN: an ACM certificate
# in us-east-1 (CloudFront's region for certificates), validated by DNS.

locals {
  create_certificate = length(var.aliases) > 0 && var.certificate_arn == null && var.route53_zone_id != null
  certificate_arn    = local.create_certificate ? aws_acm_certificate_validation.cdn[0].certificate_arn : var.certificate_arn
}

resource "aws_acm_certificate" "cdn" {
  count                     = local.create_certificate ? 1 : 0
  provider                  = aws.us_east_1
  domain_name               = var.aliases[0]
  subject_alternative_names = slice(var.aliases, 1, length(var.aliases))
  validation_method         = "DNS"
  lifecycle { create_before_destroy = true }
}

resource "aws_route53_record" "cdn_validation" {
  count           = local.create_certificate ? length(var.aliases) : 0
  zone_id         = var.route53_zone_id
  name            = tolist(aws_acm_certificate.cdn[0].domain_validation_options)[count.index].resource_record_name
  type            = tolist(aws_acm_certificate.cdn[0].domain_validation_options)[count.index].resource_record_type
  records         = [tolist(aws_acm_certificate.cdn[0].domain_validation_options)[count.index].resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "cdn" {
  count                   = local.create_certificate ? 1 : 0
  provider                = aws.us_east_1
  certificate_arn         = aws_acm_certificate.cdn[0].arn
  validation_record_fqdns = aws_route53_record.cdn_validation[*].fqdn
}

resource "aws_route53_record" "alias" {
  for_each = var.route53_zone_id == null ? {} : { for pair in setproduct(var.aliases, ["A", "AAAA"]) : "${pair[0]} ${pair[1]}" => pair }
  zone_id  = var.route53_zone_id
  name     = each.value[0]
  type     = each.value[1]

  alias {
    name                   = aws_cloudfront_distribution.media.domain_name
    zone_id                = aws_cloudfront_distribution.media.hosted_zone_id
    evaluate_target_health = false
  }
}

# --- WAF (CLOUDFRONT scope: must be created in us-east-1) ---------------------------

resource "aws_wafv2_web_acl" "cdn" {
  #checkov:skip=CKV2_AWS_31:WAF full request logging is billed per GB of logs; CloudWatch metrics and sampled requests are enabled on every rule, and CloudFront standard logs record every request.
  provider    = aws.us_east_1
  name        = "${var.name}-cdn"
  description = "Clipcontest media CDN: rate limit + AWS managed rules"
  scope       = "CLOUDFRONT"

  default_action {
    allow {}
  }

  rule {
    name     = "rate-limit-per-ip"
    priority = 0
    action {
      block {}
    }
    statement {
      rate_based_statement {
        limit              = var.waf_rate_limit
        aggregate_key_type = "IP"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-cdn-rate-limit"
      sampled_requests_enabled   = true
    }
  }

  # GET/HEAD only: no request bodies reach this distribution.
  rule {
    name     = "aws-common"
    priority = 1
    override_action {
      none {}
    }
    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesCommonRuleSet"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-cdn-common"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "aws-known-bad-inputs"
    priority = 2
    override_action {
      none {}
    }
    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesKnownBadInputsRuleSet"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-cdn-bad-inputs"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "${var.name}-cdn"
    sampled_requests_enabled   = true
  }
}
