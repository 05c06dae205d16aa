output "alb_dns_name" {
  description = "Point domain_name here (CNAME or Route 53 alias) if route53_zone_id is not set."
  value       = module.alb.dns_name
}

output "base_url" {
  description = "Public URL of the site."
  value       = local.base_url
}

output "cdn_base_url" {
  description = "Public URL of converted media and banners."
  value       = local.cdn_base_url
}

output "cdn_public_key_id" {
  description = "CloudFront public key id to sign URLs with (when cdn_signed_urls = true)."
  value       = module.cdn.public_key_id
}

output "media_bucket" {
  description = "Media bucket name."
  value       = module.storage.media_bucket_name
}

output "jobs_queue_url" {
  description = "Jobs queue URL."
  value       = module.queue.queue_url
}

output "dlq_url" {
  description = "Dead-letter queue URL."
  value       = module.queue.dlq_url
}

output "app_secret_arn" {
  description = "APP_AWS__SECRET_ID."
  value       = module.secrets.secret_arn
}

output "ses_dkim_records" {
  description = "DKIM CNAMEs to publish for the mail domain (done automatically with route53_zone_id)."
  value       = module.mail.dkim_records
}

output "web_asg_name" {
  description = "Web Auto Scaling group."
  value       = module.web.asg_name
}

output "worker_asg_name" {
  description = "Worker Auto Scaling group."
  value       = module.worker.asg_name
}

output "alarm_topic_arn" {
  description = "SNS topic with all alarms."
  value       = module.monitoring.alarm_topic_arn
}

output "iam_policies" {
  description = "Generated instance-role policies (review before apply: terraform output -json iam_policies)."
  value       = module.iam.policies
}
