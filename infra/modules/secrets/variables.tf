variable "name" {
  description = "Name prefix (project-environment); the secret is <name>/app."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key for the secret."
  type        = string
}

variable "recovery_window_days" {
  description = "Days a deleted secret can be restored."
  type        = number
  default     = 7
}

variable "values" {
  description = "Secret JSON document (object; encoded with jsonencode)."
  type        = any
  sensitive   = true
}
