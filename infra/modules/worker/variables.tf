variable "name" {
  description = "Name of the group (project-environment-worker); the IAM module builds the ASG ARN from it."
  type        = string
}

variable "ami_id" {
  description = "Image built by ami/."
  type        = string
}

variable "instance_type" {
  description = "Worker instance type (compute optimized; 1 libx264 encode per 2 vCPUs)."
  type        = string
}

variable "security_group_id" {
  description = "Worker security group."
  type        = string
}

variable "instance_profile_name" {
  description = "Worker instance profile."
  type        = string
}

variable "user_data" {
  description = "cloud-init user data selecting the worker role."
  type        = string
}

variable "root_volume_gb" {
  description = "Root volume (GiB); originals and outputs are staged in /var/lib/clipcontest."
  type        = number
}

variable "subnet_ids" {
  description = "Private subnets."
  type        = list(string)
}

variable "min_size" {
  description = "Minimum workers (>= 1: the backlog metric divides by in-service instances)."
  type        = number
}

variable "max_size" {
  description = "Maximum workers."
  type        = number
}

variable "queue_name" {
  description = "Jobs queue name."
  type        = string
}

variable "backlog_per_instance_target" {
  description = "Visible jobs per in-service worker the group is scaled to hold."
  type        = number
}

variable "stop_timeout_seconds" {
  description = "systemd TimeoutStopSec of the worker unit."
  type        = number
}

variable "lifecycle_heartbeat_seconds" {
  description = "Termination lifecycle hook timeout; must exceed stop_timeout_seconds."
  type        = number
}

variable "lifecycle_hook_name" {
  description = "Name of the termination lifecycle hook (also given to the instances)."
  type        = string
}

variable "rollback_alarm_names" {
  description = "CloudWatch alarms that roll an instance refresh back when they fire."
  type        = list(string)
  default     = []
}

variable "instance_warmup_seconds" {
  description = "Time a new instance needs after boot before it counts (metrics, refresh)."
  type        = number
  default     = 120
}
