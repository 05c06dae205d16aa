variable "name" {
  description = "Name prefix (project-environment)."
  type        = string
}

variable "domain" {
  description = "Sending domain (the address in ses_from must be on it)."
  type        = string
}

variable "route53_zone_id" {
  description = "Route 53 zone of the domain for DKIM records; null to publish them by hand."
  type        = string
  default     = null
}

variable "kms_key_arn" {
  description = "KMS key for the events topic and queue."
  type        = string
}
