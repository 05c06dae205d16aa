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
  description = "CloudFront public key id the app signs with (secret key cdn_key_pair_id; when cdn_signed_urls = true)."
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

output "db_master_secret_arn" {
  description = "RDS-managed secret of the master user (bootstrap and emergencies only)."
  value       = module.database.master_user_secret_arn
}

output "ses_events_queue_url" {
  description = "Queue of SES bounce/complaint events (secret key ses_events_queue_url)."
  value       = module.mail.events_queue_url
}

output "dashboard_name" {
  description = "CloudWatch dashboard."
  value       = module.monitoring.dashboard_name
}

output "alarm_names" {
  description = "CloudWatch alarms by purpose."
  value       = module.monitoring.alarm_names
}

output "key_prefix" {
  description = "Normalized s3_prefix (\"\" or \"path/\") used by the app, the bucket policy and the CDN."
  value       = local.key_prefix
}

output "instance_user_data" {
  description = "cloud-init user data per role (no secrets: the app reads the secret at start)."
  value       = local.user_data
}
