output "distribution_arn" {
  description = "Distribution ARN (allowed by the bucket policy)."
  value       = aws_cloudfront_distribution.media.arn
}

output "distribution_id" {
  description = "Distribution id."
  value       = aws_cloudfront_distribution.media.id
}

output "domain_name" {
  description = "CloudFront domain name."
  value       = aws_cloudfront_distribution.media.domain_name
}

output "key_group_id" {
  description = "Key group id for signed URLs (null when disabled)."
  value       = var.signed_urls ? aws_cloudfront_key_group.signer[0].id : null
}

output "public_key_id" {
  description = "CloudFront public key id (signer key-pair id for signed URLs; null when disabled)."
  value       = var.signed_urls ? aws_cloudfront_public_key.signer[0].id : null
}

output "behaviours" {
  description = "Ordered cache behaviours: path pattern => trusted key groups (for review and tests)."
  value       = { for b in aws_cloudfront_distribution.media.ordered_cache_behavior : b.path_pattern => b.trusted_key_groups }
}

output "web_acl_arn" {
  description = "CLOUDFRONT-scope web ACL (us-east-1)."
  value       = aws_wafv2_web_acl.cdn.arn
}

output "response_headers" {
  description = "HSTS settings of the response headers policy."
  value       = aws_cloudfront_response_headers_policy.media.security_headers_config[0].strict_transport_security[0]
}

output "certificate_arn" {
  description = "Certificate used for the aliases (null: *.cloudfront.net)."
  value       = local.certificate_arn
}

output "alias_records" {
  description = "Route 53 alias records created for the aliases."
  value       = keys(aws_route53_record.alias)
}

output "logging_bucket" {
  description = "Standard logging target."
  value       = aws_cloudfront_distribution.media.logging_config[0].bucket
}

output "web_acl" {
  description = "CLOUDFRONT web ACL summary (for review and tests)."
  value = {
    scope = aws_wafv2_web_acl.cdn.scope
    rules = { for r in aws_wafv2_web_acl.cdn.rule : r.name => r.priority }
  }
}
