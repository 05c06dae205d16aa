variable "name" {
  description = "Name prefix (project-environment). Bucket names append the account id."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key for SSE-KMS on the media bucket."
  type        = string
}

variable "cloudfront_distribution_arn" {
  description = "Distribution allowed to read media/ and banners/ (origin access control)."
  type        = string
}

variable "originals_ia_days" {
  description = "Days after upload before originals/ move to STANDARD_IA (min 30)."
  type        = number
}

variable "originals_glacier_ir_days" {
  description = "Days after upload before originals/ move to GLACIER_IR."
  type        = number
}

variable "originals_expire_days" {
  description = "Days after upload before originals/ are deleted; 0 keeps them forever."
  type        = number
}

variable "noncurrent_version_days" {
  description = "Days to keep overwritten/deleted object versions."
  type        = number
}

variable "access_log_retention_days" {
  description = "Days to keep ALB/S3/CloudFront access logs."
  type        = number
}

variable "key_prefix" {
  description = "Key prefix of the deployment inside the bucket: \"\" or \"path/\" (normalized by the root module, same as the app)."
  type        = string
  default     = ""
}
