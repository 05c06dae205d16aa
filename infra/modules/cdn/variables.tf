variable "name" {
  description = "Name prefix (project-environment)."
  type        = string
}

variable "bucket_regional_domain_name" {
  description = "Media bucket regional domain name."
  type        = string
}

variable "logs_bucket_domain_name" {
  description = "Bucket for CloudFront standard logs."
  type        = string
}

variable "price_class" {
  description = "CloudFront price class."
  type        = string
}

variable "aliases" {
  description = "Custom host names (need certificate_arn)."
  type        = list(string)
  default     = []
}

variable "certificate_arn" {
  description = "ACM certificate in us-east-1 for the aliases; null uses *.cloudfront.net."
  type        = string
  default     = null
}

variable "signed_urls" {
  description = "Require CloudFront signed URLs/cookies for media/*."
  type        = bool
  default     = false
}

variable "signing_public_key_pem" {
  description = "PEM public key for signed URLs (used when signed_urls = true)."
  type        = string
  default     = ""
}
