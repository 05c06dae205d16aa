output "log_group_arns" {
  description = "Application log group ARNs by role."
  value       = { for r, g in aws_cloudwatch_log_group.app : r => g.arn }
}

output "log_group_names" {
  description = "Application log group names by role."
  value       = { for r, g in aws_cloudwatch_log_group.app : r => g.name }
}

output "alarm_topic_arn" {
  description = "SNS topic receiving all alarms."
  value       = aws_sns_topic.alarms.arn
}
