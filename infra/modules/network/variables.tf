variable "name" {
  description = "Name prefix (project-environment)."
  type        = string
}

variable "cidr_block" {
  description = "VPC CIDR; /16 recommended (subnets are carved with cidrsubnet)."
  type        = string
}

variable "single_nat_gateway" {
  description = "One NAT gateway for both AZs (cheaper, not AZ-redundant)."
  type        = bool
}

variable "kms_key_arn" {
  description = "KMS key for the flow-log log group."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the flow-log log group."
  type        = number
}
