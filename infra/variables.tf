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
  description = "ACM certificate for domain_name in var.region, used by the ALB HTTPS listener; null creates and DNS-validates one in route53_zone_id."
  type        = string
  default     = null

  validation {
    condition     = var.acm_certificate_arn != null || var.route53_zone_id != null
    error_message = "Set acm_certificate_arn, or route53_zone_id so that Terraform can create and validate the certificate."
  }
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
  description = "ACM certificate in us-east-1 for cdn_aliases; null creates one when route53_zone_id is set (without a zone, cdn_aliases need this)."
  type        = string
  default     = null

  validation {
    condition     = length(var.cdn_aliases) == 0 || var.cdn_certificate_arn != null || var.route53_zone_id != null
    error_message = "cdn_aliases need cdn_certificate_arn (in us-east-1) or route53_zone_id."
  }
}

variable "cdn_price_class" {
  description = "CloudFront price class (PriceClass_100 = North America + Europe, cheapest)."
  type        = string
  default     = "PriceClass_100"
}

variable "cdn_signed_urls" {
  description = "Require CloudFront signed URLs/cookies for {s3_prefix}media/* (the app signs them with cdn_signing_private_key_pem)."
  type        = bool
  default     = false
}

variable "cdn_signing_public_key_pem" {
  description = "PEM public key of the URL-signing RSA key pair (when cdn_signed_urls = true); see README.md, \"Signed media URLs\"."
  type        = string
  default     = ""

  validation {
    condition     = !var.cdn_signed_urls || can(regex("-----BEGIN PUBLIC KEY-----", var.cdn_signing_public_key_pem))
    error_message = "cdn_signed_urls needs cdn_signing_public_key_pem (PEM, -----BEGIN PUBLIC KEY-----)."
  }
}

variable "cdn_signing_private_key_pem" {
  description = "PEM private key of the same pair (when cdn_signed_urls = true); written to the app secret as cdn_private_key. Pass it with TF_VAR_cdn_signing_private_key_pem, never in a committed file."
  type        = string
  default     = ""
  sensitive   = true

  validation {
    condition     = !var.cdn_signed_urls || can(regex("-----BEGIN (RSA )?PRIVATE KEY-----", var.cdn_signing_private_key_pem))
    error_message = "cdn_signed_urls needs cdn_signing_private_key_pem (PEM, PKCS#1 or PKCS#8 RSA private key)."
  }
}

variable "waf_rate_limit_site" {
  description = "Requests per client IP per 5 minutes on the ALB before WAF blocks the address (many users may share one NAT address)."
  type        = number
  default     = 3000
}

variable "waf_rate_limit_cdn" {
  description = "Requests per client IP per 5 minutes on CloudFront before WAF blocks the address (video segments count)."
  type        = number
  default     = 10000
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

variable "web_health_check_grace_seconds" {
  description = "Seconds after launch before a failing /livez check makes the web ASG replace an instance (boot, DB bootstrap, migrations)."
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

variable "worker_lease_secs" {
  description = "Job lease (APP_WORKER__LEASE_SECS) and the jobs queue's visibility timeout: a job whose worker died is visible again after this; the worker renews it by heartbeat (every lease/3) while it runs."
  type        = number
  default     = 30

  validation {
    condition     = var.worker_lease_secs >= 15 && var.worker_lease_secs <= 43200
    error_message = "worker_lease_secs must be between 15 (three heartbeats of 5 s) and 43200 (the SQS maximum)."
  }
}

variable "worker_max_attempts" {
  description = "Conversion attempts before the app marks a video failed (APP_WORKER__MAX_ATTEMPTS)."
  type        = number
  default     = 3
}

variable "sqs_message_retention_seconds" {
  description = "How long unprocessed jobs are kept in the jobs queue."
  type        = number
  default     = 345600 # 4 days
}

variable "sqs_max_receive_count" {
  description = "Receives before SQS moves a job to the DLQ; strictly greater than worker_max_attempts so the app, not SQS, ends a job that keeps failing (see README.md, \"Dead letters\")."
  type        = number
  default     = 5

  validation {
    condition     = var.sqs_max_receive_count > var.worker_max_attempts
    error_message = "sqs_max_receive_count must be greater than worker_max_attempts: otherwise SQS moves a job to the DLQ before the app has marked its video failed."
  }
}

# ---------------------------------------------------------------------------
# Storage
# ---------------------------------------------------------------------------

variable "s3_prefix" {
  description = "Optional key prefix inside the bucket (e.g. \"contest-2025\"; secret key s3_prefix); honoured by the bucket policy, lifecycle rules and CDN behaviours. Empty for none."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^[A-Za-z0-9._/-]*$", var.s3_prefix)) && !strcontains(var.s3_prefix, "//") && !strcontains(var.s3_prefix, "*")
    error_message = "s3_prefix may contain letters, digits, '.', '_', '-' and single '/' separators only."
  }
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
  description = "MySQL version (8.4 LTS; 8.0 left RDS standard support on 2026-07-31 and costs extended-support fees after that)."
  type        = string
  default     = "8.4"
}

variable "db_parameter_group_family" {
  description = "Parameter group family matching db_engine_version (mysql8.4, mysql8.0)."
  type        = string
  default     = "mysql8.4"

  validation {
    condition     = can(regex("^mysql[0-9]+\\.[0-9]+$", var.db_parameter_group_family))
    error_message = "db_parameter_group_family looks like mysql8.4."
  }
}

variable "db_allow_major_version_upgrade" {
  description = "Allow the in-place major upgrade when db_engine_version changes (e.g. 8.0 -> 8.4 on an existing deployment)."
  type        = bool
  default     = false
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
  description = "Master user name (its password is managed by RDS in its own secret; the app never uses it)."
  type        = string
  default     = "clipcontest"
}

variable "db_app_username" {
  description = "The application's own database user (privileges on db_name only), created by clipcontest-db-bootstrap."
  type        = string
  default     = "clipcontest_app"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,31}$", var.db_app_username))
    error_message = "db_app_username: lowercase letters, digits and '_', at most 32 characters."
  }
}

variable "db_bootstrap_from_instances" {
  description = "Web instances create/update the app DB user at boot with the RDS-managed master secret (their role may read it). Set false once the user exists to remove that access (README.md, \"Database users\")."
  type        = bool
  default     = true
}

variable "db_password_version" {
  description = "Bump to generate a new app database password on the next apply (rotation: the instances are replaced and re-run the bootstrap, which keeps the old password valid until DISCARD OLD PASSWORD)."
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

variable "alarm_rds_connections" {
  description = "Database connections that raise an alarm (each process opens up to database.max_connections)."
  type        = number
  default     = 100
}

variable "alarm_ses_bounce_rate" {
  description = "SES bounce rate (fraction) that raises an alarm; SES reviews accounts at 0.05."
  type        = number
  default     = 0.04
}

variable "alarm_ses_complaint_rate" {
  description = "SES complaint rate (fraction) that raises an alarm; SES reviews accounts at 0.001."
  type        = number
  default     = 0.0008
}

variable "monthly_budget_usd" {
  description = "AWS Budgets monthly cost budget (USD) with alerts to alarm_emails at 80 % actual and 100 % forecast; 0 disables it."
  type        = number
  default     = 300
}

variable "alarm_rds_free_storage_gb" {
  description = "RDS free storage alarm threshold (GiB)."
  type        = number
  default     = 5
}
