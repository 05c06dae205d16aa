variable "name" {
  description = "Name prefix (project-environment)."
  type        = string
}

variable "vpc_id" {
  description = "VPC id."
  type        = string
}

variable "subnet_ids" {
  description = "Public subnets."
  type        = list(string)
}

variable "security_group_id" {
  description = "ALB security group."
  type        = string
}

variable "app_port" {
  description = "Web instances' port."
  type        = number
}

variable "certificate_arn" {
  description = "ACM certificate (same region) for the HTTPS listener; null creates one (needs route53_zone_id)."
  type        = string
  default     = null
}

variable "idle_timeout_seconds" {
  description = "ALB idle timeout; must cover the slowest upload's idle gaps."
  type        = number
}

variable "deregistration_delay_seconds" {
  description = "Connection draining time when a web instance leaves."
  type        = number
}

variable "deletion_protection" {
  description = "ALB deletion protection."
  type        = bool
}

variable "access_logs_bucket" {
  description = "Bucket for ALB access logs (prefix alb/)."
  type        = string
}

variable "domain_name" {
  description = "Public host name of the site."
  type        = string
}

variable "route53_zone_id" {
  description = "Route 53 zone for the alias record; null to manage DNS elsewhere."
  type        = string
  default     = null
}

variable "health_check_path" {
  description = "Shallow liveness path of the web binary for the target group health check."
  type        = string
  default     = "/livez"
}

variable "waf_rate_limit" {
  description = "Requests per client IP per 5 minutes before the web ACL blocks it."
  type        = number
}

variable "upload_path_regex" {
  description = "Regex of the video upload path (excluded from the managed rules' body-size check)."
  type        = string
}
