output "queue_url" {
  description = "Jobs queue URL."
  value       = aws_sqs_queue.jobs.id
}

output "queue_arn" {
  description = "Jobs queue ARN."
  value       = aws_sqs_queue.jobs.arn
}

output "queue_name" {
  description = "Jobs queue name (CloudWatch dimension)."
  value       = aws_sqs_queue.jobs.name
}

output "dlq_url" {
  description = "Dead-letter queue URL."
  value       = aws_sqs_queue.dlq.id
}

output "dlq_arn" {
  description = "Dead-letter queue ARN."
  value       = aws_sqs_queue.dlq.arn
}

output "dlq_name" {
  description = "Dead-letter queue name (CloudWatch dimension)."
  value       = aws_sqs_queue.dlq.name
}

output "settings" {
  description = "Jobs queue visibility timeout and redrive policy (for review and tests)."
  value = {
    visibility_timeout_seconds = aws_sqs_queue.jobs.visibility_timeout_seconds
    redrive_policy             = jsondecode(aws_sqs_queue.jobs.redrive_policy)
    dlq_arn                    = aws_sqs_queue.dlq.arn
  }
}
