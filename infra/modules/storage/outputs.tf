output "media_bucket_name" {
  description = "Media bucket (originals, converted media, banners)."
  value       = aws_s3_bucket.media.id
}

output "media_bucket_arn" {
  description = "Media bucket ARN."
  value       = aws_s3_bucket.media.arn
}

output "media_bucket_regional_domain_name" {
  description = "Regional domain name (CloudFront origin)."
  value       = aws_s3_bucket.media.bucket_regional_domain_name
}

output "logs_bucket_name" {
  description = "Access-log bucket, usable by the ALB once its bucket policy exists (the ALB checks write access when access logs are enabled)."
  value       = aws_s3_bucket.logs.id
  depends_on  = [aws_s3_bucket_policy.logs]
}

output "logs_bucket_domain_name" {
  description = "Access-log bucket domain (CloudFront logging target)."
  value       = aws_s3_bucket.logs.bucket_domain_name
  # CloudFront standard logging needs ACLs enabled (BucketOwnerPreferred)
  # on the target bucket when the distribution is created.
  depends_on = [aws_s3_bucket_ownership_controls.logs, aws_s3_bucket_public_access_block.logs]
}

output "media_bucket_policy" {
  description = "Media bucket policy JSON (for review and tests)."
  value       = local.media_policy
}

output "logs_bucket_policy" {
  description = "Log bucket policy JSON (for review and tests)."
  value       = local.logs_policy
}
