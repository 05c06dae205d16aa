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
