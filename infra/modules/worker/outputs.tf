output "asg_name" {
  description = "Worker Auto Scaling group name."
  value       = aws_autoscaling_group.this.name
}

output "lifecycle_hook_name" {
  description = "Termination lifecycle hook name."
  value       = aws_autoscaling_lifecycle_hook.drain.name
}

output "instance_refresh" {
  description = "Instance refresh preferences (for review and tests)."
  value       = aws_autoscaling_group.this.instance_refresh[0].preferences[0]
}

output "health_check" {
  description = "Health check type and grace period of the group."
  value = {
    type                 = aws_autoscaling_group.this.health_check_type
    grace_period         = aws_autoscaling_group.this.health_check_grace_period
    default_warmup       = aws_autoscaling_group.this.default_instance_warmup
    protect_from_scalein = aws_autoscaling_group.this.protect_from_scale_in
  }
}

output "lifecycle_hook" {
  description = "Termination lifecycle hook settings."
  value = {
    transition        = aws_autoscaling_lifecycle_hook.drain.lifecycle_transition
    heartbeat_timeout = aws_autoscaling_lifecycle_hook.drain.heartbeat_timeout
    default_result    = aws_autoscaling_lifecycle_hook.drain.default_result
  }
}

output "backlog_expression" {
  description = "Metric math of the scaling policy (jobs per worker)."
  value       = [for m in aws_autoscaling_policy.backlog.target_tracking_configuration[0].customized_metric_specification[0].metrics : m.expression if m.return_data == true]
}
