variable "name" {
  description = "Name prefix (project-environment)."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key for log groups and the SNS topic."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the application log groups."
  type        = number
}

variable "alarm_emails" {
  description = "Addresses subscribed to the alarm topic (each must confirm)."
  type        = list(string)
}

variable "alb_arn_suffix" {
  description = "ALB ARN suffix."
  type        = string
}

variable "target_group_arn_suffix" {
  description = "Web target group ARN suffix."
  type        = string
}

variable "alb_5xx_threshold" {
  description = "5xx responses per 5 minutes that raise the alarm."
  type        = number
}

variable "queue_name" {
  description = "Jobs queue name."
  type        = string
}

variable "dlq_name" {
  description = "Dead-letter queue name."
  type        = string
}

variable "max_receive_count" {
  description = "maxReceiveCount of the redrive policy (for the alarm text)."
  type        = number
}

variable "oldest_message_age_seconds" {
  description = "Age of the oldest waiting job that raises the alarm."
  type        = number
}

variable "db_identifier" {
  description = "RDS instance identifier."
  type        = string
}

variable "rds_cpu_percent" {
  description = "RDS CPU alarm threshold."
  type        = number
}

variable "rds_free_storage_bytes" {
  description = "RDS free storage alarm threshold."
  type        = number
}

variable "web_asg_name" {
  description = "Web Auto Scaling group name (dashboard)."
  type        = string
}

variable "worker_asg_name" {
  description = "Worker Auto Scaling group name (dashboard)."
  type        = string
}

variable "stalled_periods" {
  description = "5-minute periods with a backlog and no completed job before the worker-stalled alarm."
  type        = number
  default     = 3
}

variable "ses_bounce_rate" {
  description = "SES bounce rate (fraction) that raises the alarm."
  type        = number
}

variable "ses_complaint_rate" {
  description = "SES complaint rate (fraction) that raises the alarm."
  type        = number
}

variable "rds_connections" {
  description = "Database connections that raise the alarm."
  type        = number
}

variable "monthly_budget_usd" {
  description = "Monthly cost budget in USD (0 disables it); alerts go to alarm_emails."
  type        = number
}
