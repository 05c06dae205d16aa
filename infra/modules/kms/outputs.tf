output "key_arn" {
  description = "ARN of the customer managed key."
  value       = aws_kms_key.this.arn
}

output "key_id" {
  description = "Key id of the customer managed key."
  value       = aws_kms_key.this.key_id
}

output "key_policy" {
  description = "Key policy JSON (for review and tests)."
  value       = aws_kms_key.this.policy
}
