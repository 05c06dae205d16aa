variable "name" {
  description = "Name prefix (project-environment)."
  type        = string
}

variable "bucket_arn" {
  description = "Media bucket ARN."
  type        = string
}

variable "queue_arn" {
  description = "Jobs queue ARN."
  type        = string
}

variable "dlq_arn" {
  description = "Dead-letter queue ARN."
  type        = string
}

variable "secret_arn" {
  description = "Application secret ARN."
  type        = string
}

variable "ses_identity_arn" {
  description = "SES domain identity ARN."
  type        = string
}

variable "ses_configuration_set_arn" {
  description = "SES configuration set ARN."
  type        = string
}

variable "worker_asg_name" {
  description = "Name of the worker Auto Scaling group (ARN built from it to avoid a dependency cycle)."
  type        = string
}

variable "log_group_arns" {
  description = "Application log group ARNs by role."
  type        = object({ web = string, worker = string })
}

variable "kms_key_arn" {
  description = "CMK used by the bucket, queues and secret."
  type        = string
}

variable "ses_events_queue_arn" {
  description = "Queue of SES bounce/complaint notifications (the worker receives and deletes on it); null when absent."
  type        = string
  default     = null
}

variable "db_master_secret_arn" {
  description = "RDS-managed master user secret, readable by the web role only while instances bootstrap the app's DB user (db_bootstrap_from_instances); null otherwise."
  type        = string
  default     = null
}
