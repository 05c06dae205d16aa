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
  description = "ACM certificate in us-east-1 for the aliases; null creates one when route53_zone_id is set, else uses *.cloudfront.net (no aliases)."
  type        = string
  default     = null
}

variable "signed_urls" {
  description = "Require CloudFront signed URLs/cookies for {key_prefix}media/*."
  type        = bool
  default     = false
}

variable "signing_public_key_pem" {
  description = "PEM public key for signed URLs (used when signed_urls = true)."
  type        = string
  default     = ""
}

variable "key_prefix" {
  description = "Key prefix of the deployment inside the bucket: \"\" or \"path/\"; the app's media URLs carry it."
  type        = string
  default     = ""
}

variable "route53_zone_id" {
  description = "Route 53 zone for the aliases' records and certificate validation; null to manage DNS elsewhere."
  type        = string
  default     = null
}

variable "waf_rate_limit" {
  description = "Requests per client IP per 5 minutes before the web ACL blocks it."
  type        = number
}
