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

output "web_rollback_alarm_names" {
  description = "Alarms that roll a web instance refresh back."
  value       = [aws_cloudwatch_metric_alarm.target_5xx.alarm_name, aws_cloudwatch_metric_alarm.unhealthy_hosts.alarm_name]
}

output "worker_rollback_alarm_names" {
  description = "Alarms that roll a worker instance refresh back."
  value       = [aws_cloudwatch_metric_alarm.worker_stalled.alarm_name]
}

output "alarm_names" {
  description = "Every alarm by purpose."
  value       = { for k, a in local.alarms : k => a.alarm_name }
}

output "dashboard_name" {
  description = "CloudWatch dashboard."
  value       = aws_cloudwatch_dashboard.main.dashboard_name
}

output "dashboard_body" {
  description = "Dashboard JSON (for tests)."
  value       = aws_cloudwatch_dashboard.main.dashboard_body
}

output "budget" {
  description = "Monthly budget (null when disabled)."
  value       = length(aws_budgets_budget.monthly) == 0 ? null : { limit = aws_budgets_budget.monthly[0].limit_amount, notifications = length(aws_budgets_budget.monthly[0].notification) }
}

output "worker_stalled_expression" {
  description = "Metric math of the worker-stalled alarm."
  value       = [for q in aws_cloudwatch_metric_alarm.worker_stalled.metric_query : q.expression if q.return_data == true]
}
