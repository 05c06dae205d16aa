variable "name" {
  description = "Name prefix (project-environment)."
  type        = string
}

variable "subnet_ids" {
  description = "Isolated database subnets (two AZs)."
  type        = list(string)
}

variable "security_group_id" {
  description = "RDS security group (ingress from web and worker only)."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key for storage and Performance Insights encryption."
  type        = string
}

variable "engine_version" {
  description = "MySQL engine version (major.minor, e.g. 8.4)."
  type        = string
}

variable "instance_class" {
  description = "RDS instance class."
  type        = string
}

variable "multi_az" {
  description = "Standby replica in the second AZ."
  type        = bool
}

variable "db_name" {
  description = "Schema name."
  type        = string
}

variable "username" {
  description = "Master user name."
  type        = string
}

variable "parameter_group_family" {
  description = "DB parameter group family matching engine_version (mysql8.4, mysql8.0)."
  type        = string
}

variable "allow_major_version_upgrade" {
  description = "Allow an in-place major upgrade (e.g. 8.0 -> 8.4) when engine_version changes."
  type        = bool
  default     = false
}

variable "allocated_storage_gb" {
  description = "Initial storage (GiB)."
  type        = number
}

variable "max_allocated_storage_gb" {
  description = "Storage autoscaling ceiling (GiB)."
  type        = number
}

variable "backup_retention_days" {
  description = "Automated backup retention (days)."
  type        = number
}

variable "deletion_protection" {
  description = "Block deletion of the instance."
  type        = bool
}

variable "performance_insights" {
  description = "Enable Performance Insights (not available on db.t3.micro/small)."
  type        = bool
}

