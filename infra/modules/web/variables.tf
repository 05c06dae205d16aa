variable "name" {
  description = "Name of the group (project-environment-web)."
  type        = string
}

variable "ami_id" {
  description = "Image built by ami/."
  type        = string
}

variable "instance_type" {
  description = "Web instance type."
  type        = string
}

variable "security_group_id" {
  description = "Web security group."
  type        = string
}

variable "instance_profile_name" {
  description = "Web instance profile."
  type        = string
}

variable "user_data" {
  description = "cloud-init user data selecting the web role."
  type        = string
}

variable "root_volume_gb" {
  description = "Root volume (GiB); uploads are staged under /var/lib/clipcontest."
  type        = number
}

variable "subnet_ids" {
  description = "Private subnets."
  type        = list(string)
}

variable "min_size" {
  description = "Minimum web instances."
  type        = number
}

variable "max_size" {
  description = "Maximum web instances."
  type        = number
}

variable "target_group_arn" {
  description = "ALB target group."
  type        = string
}

variable "alb_arn_suffix" {
  description = "ALB ARN suffix (request-count metric label)."
  type        = string
}

variable "target_group_arn_suffix" {
  description = "Target group ARN suffix (request-count metric label)."
  type        = string
}

variable "cpu_target_percent" {
  description = "Average CPU the group is scaled to hold."
  type        = number
}

variable "requests_per_target" {
  description = "ALB requests per target per minute the group is scaled to hold."
  type        = number
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

variable "health_check_grace_seconds" {
  description = "Seconds after launch before failed ELB health checks count."
  type        = number
  default     = 300
}
