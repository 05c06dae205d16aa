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
  description = "Access-log bucket."
  value       = aws_s3_bucket.logs.id
}

output "logs_bucket_domain_name" {
  description = "Access-log bucket domain (CloudFront logging target)."
  value       = aws_s3_bucket.logs.bucket_domain_name
}
