variable "name" {
  description = "Name prefix (project-environment)."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key for SQS server-side encryption."
  type        = string
}

variable "visibility_timeout_seconds" {
  description = "How long a received job stays hidden; must exceed the longest transcode (the worker may extend it with ChangeMessageVisibility)."
  type        = number
}

variable "message_retention_seconds" {
  description = "Retention of unprocessed jobs in the main queue."
  type        = number
}

variable "max_receive_count" {
  description = "Receives before a job moves to the DLQ."
  type        = number
}
