# ---------------------------------------------------------------------------
# General
# ---------------------------------------------------------------------------

variable "project" {
  description = "Project name, first part of every resource name."
  type        = string
  default     = "clipcontest"
}

variable "environment" {
  description = "Environment name (prod, staging, ...), second part of every resource name."
  type        = string
  default     = "prod"
}

variable "region" {
  description = "AWS region."
  type        = string
  default     = "us-east-1"
}

variable "tags" {
  description = "Extra tags on every resource."
  type        = map(string)
  default     = {}
}

# ---------------------------------------------------------------------------
# Site, DNS, certificates, mail
# ---------------------------------------------------------------------------

variable "domain_name" {
  description = "Public host name of the site (e.g. contest.example.com); base_url is https://<domain_name>."
  type        = string
}

variable "acm_certificate_arn" {
  description = "ACM certificate for domain_name in var.region (validated by DNS), used by the ALB HTTPS listener."
  type        = string
}

variable "route53_zone_id" {
  description = "Route 53 hosted zone for domain_name and the mail domain; null if DNS is managed elsewhere (publish the records from the outputs by hand)."
  type        = string
  default     = null
}

variable "mail_domain" {
  description = "SES sending domain (DKIM-signed); mail_from must be an address on it."
  type        = string
}

variable "mail_from" {
  description = "From address for notification mail (secret key ses_from)."
  type        = string
}

variable "cdn_aliases" {
  description = "Optional custom host names for the media CDN (e.g. media.example.com)."
  type        = list(string)
  default     = []
}

variable "cdn_certificate_arn" {
  description = "ACM certificate in us-east-1 for cdn_aliases; null uses the *.cloudfront.net name."
  type        = string
  default     = null
}

variable "cdn_price_class" {
  description = "CloudFront price class (PriceClass_100 = North America + Europe, cheapest)."
  type        = string
  default     = "PriceClass_100"
}

variable "cdn_signed_urls" {
  description = "Require CloudFront signed URLs for media/* (the app must then sign URLs with the matching private key)."
  type        = bool
  default     = false
}

variable "cdn_signing_public_key_pem" {
  description = "PEM public key of the URL-signing key pair (when cdn_signed_urls = true)."
  type        = string
  default     = ""
}

# ---------------------------------------------------------------------------
# Network
# ---------------------------------------------------------------------------

variable "vpc_cidr" {
  description = "VPC CIDR (/16)."
  type        = string
  default     = "10.40.0.0/16"
}

variable "single_nat_gateway" {
  description = "Share one NAT gateway between both AZs (saves ~$33/month, loses AZ independence for egress)."
  type        = bool
  default     = false
}

# ---------------------------------------------------------------------------
# Compute
# ---------------------------------------------------------------------------

variable "ami_id" {
  description = "Image built by ami/build.sh (see ami/manifest.json)."
  type        = string
}

variable "app_port" {
  description = "Port of the web binary (APP_LISTEN=0.0.0.0:<port>)."
  type        = number
  default     = 8080
}

variable "rust_log" {
  description = "RUST_LOG for both binaries."
  type        = string
  default     = "info"
}

variable "web_instance_type" {
  description = "Web instance type."
  type        = string
  default     = "t3.small"
}

variable "web_min_size" {
  description = "Minimum web instances (2 for AZ redundancy)."
  type        = number
  default     = 2
}

variable "web_max_size" {
  description = "Maximum web instances."
  type        = number
  default     = 6
}

variable "web_root_volume_gb" {
  description = "Web root volume (GiB); uploads are staged in /var/lib/clipcontest before going to S3."
  type        = number
  default     = 30
}

variable "web_cpu_target_percent" {
  description = "Web average CPU target."
  type        = number
  default     = 60
}

variable "web_requests_per_target" {
  description = "ALB requests per web instance per minute target."
  type        = number
  default     = 3000
}

variable "alb_idle_timeout_seconds" {
  description = "ALB idle timeout (large uploads on slow links)."
  type        = number
  default     = 900

  validation {
    condition     = var.alb_idle_timeout_seconds >= 600 && var.alb_idle_timeout_seconds <= 4000
    error_message = "alb_idle_timeout_seconds must be between 600 and 4000."
  }
}

variable "alb_deregistration_delay_seconds" {
  description = "Draining time for a leaving web instance (lets running uploads finish)."
  type        = number
  default     = 300
}

variable "alb_deletion_protection" {
  description = "ALB deletion protection."
  type        = bool
  default     = true
}

variable "worker_instance_type" {
  description = "Worker instance type (one libx264 encode per 2 vCPUs)."
  type        = string
  default     = "c6i.large"
}

variable "worker_min_size" {
  description = "Minimum workers (at least 1: the scaling metric divides by in-service workers)."
  type        = number
  default     = 1

  validation {
    condition     = var.worker_min_size >= 1
    error_message = "worker_min_size must be at least 1."
  }
}

variable "worker_max_size" {
  description = "Maximum workers."
  type        = number
  default     = 10
}

variable "worker_root_volume_gb" {
  description = "Worker root volume (GiB); holds the original and outputs of the job being converted."
  type        = number
  default     = 50
}

variable "worker_backlog_per_instance" {
  description = "Target of visible jobs per in-service worker (acceptable wait / seconds per job)."
  type        = number
  default     = 4
}

variable "worker_shutdown_grace_secs" {
  description = "APP_WORKER__SHUTDOWN_GRACE_SECS: how long the worker finishes its job after SIGTERM."
  type        = number
  default     = 120
}

variable "worker_lifecycle_heartbeat_seconds" {
  description = "Termination lifecycle hook timeout; at least grace + 30 (systemd stop) + 60."
  type        = number
  default     = 300

  validation {
    condition     = var.worker_lifecycle_heartbeat_seconds >= var.worker_shutdown_grace_secs + 90 && var.worker_lifecycle_heartbeat_seconds <= 7200
    error_message = "worker_lifecycle_heartbeat_seconds must be >= worker_shutdown_grace_secs + 90 (systemd stop margin + hook margin) and <= 7200."
  }
}

# ---------------------------------------------------------------------------
# Queue
# ---------------------------------------------------------------------------

variable "sqs_visibility_timeout_seconds" {
  description = "Visibility timeout of the jobs queue; longer than the slowest transcode (workers may extend it)."
  type        = number
  default     = 1800
}

variable "sqs_message_retention_seconds" {
  description = "How long unprocessed jobs are kept in the jobs queue."
  type        = number
  default     = 345600 # 4 days
}

variable "sqs_max_receive_count" {
  description = "Receives before a job moves to the DLQ."
  type        = number
  default     = 3
}

# ---------------------------------------------------------------------------
# Storage
# ---------------------------------------------------------------------------

variable "s3_prefix" {
  description = "Optional key prefix inside the bucket (secret key s3_prefix); empty for none."
  type        = string
  default     = ""
}

variable "originals_ia_days" {
  description = "Days before originals/ move to STANDARD_IA (>= 30)."
  type        = number
  default     = 30

  validation {
    condition     = var.originals_ia_days >= 30
    error_message = "S3 requires at least 30 days before STANDARD_IA."
  }
}

variable "originals_glacier_ir_days" {
  description = "Days before originals/ move to GLACIER_IR (>= originals_ia_days + 30)."
  type        = number
  default     = 90
}

variable "originals_expire_days" {
  description = "Days before originals/ are deleted (0 = keep)."
  type        = number
  default     = 0
}

variable "noncurrent_version_days" {
  description = "Days to keep overwritten or deleted object versions."
  type        = number
  default     = 30
}

variable "access_log_retention_days" {
  description = "Days to keep ALB, S3 and CloudFront access logs."
  type        = number
  default     = 90
}

# ---------------------------------------------------------------------------
# Database
# ---------------------------------------------------------------------------

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t3.medium"
}

variable "db_engine_version" {
  description = "MySQL version."
  type        = string
  default     = "8.0"
}

variable "db_multi_az" {
  description = "Multi-AZ standby (set false only for a small contest that accepts downtime on AZ failure)."
  type        = bool
  default     = true
}

variable "db_allocated_storage_gb" {
  description = "Initial storage (GiB)."
  type        = number
  default     = 20
}

variable "db_max_allocated_storage_gb" {
  description = "Storage autoscaling ceiling (GiB)."
  type        = number
  default     = 200
}

variable "db_backup_retention_days" {
  description = "Automated backup retention (days)."
  type        = number
  default     = 14
}

variable "db_deletion_protection" {
  description = "RDS deletion protection."
  type        = bool
  default     = true
}

variable "db_performance_insights" {
  description = "Performance Insights (unsupported on db.t3.micro / db.t3.small)."
  type        = bool
  default     = true
}


variable "db_name" {
  description = "Schema name."
  type        = string
  default     = "clipcontest"
}

variable "db_username" {
  description = "Master user name."
  type        = string
  default     = "clipcontest"
}

variable "db_password_version" {
  description = "Bump to generate a new database password on the next apply (rotation; restart the fleet afterwards)."
  type        = number
  default     = 1
}

# ---------------------------------------------------------------------------
# Monitoring
# ---------------------------------------------------------------------------

variable "log_retention_days" {
  description = "CloudWatch Logs retention (days)."
  type        = number
  default     = 365
}

variable "alarm_emails" {
  description = "Addresses that receive alarm mail."
  type        = list(string)
  default     = []
}

variable "alarm_alb_5xx_threshold" {
  description = "5xx per 5 minutes that raise an alarm."
  type        = number
  default     = 10
}

variable "alarm_oldest_job_seconds" {
  description = "Oldest waiting job age that raises an alarm."
  type        = number
  default     = 900
}

variable "alarm_rds_cpu_percent" {
  description = "RDS CPU alarm threshold (%)."
  type        = number
  default     = 80
}

variable "alarm_rds_free_storage_gb" {
  description = "RDS free storage alarm threshold (GiB)."
  type        = number
  default     = 5
}
