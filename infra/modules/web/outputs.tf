output "asg_name" {
  description = "Web Auto Scaling group name."
  value       = aws_autoscaling_group.this.name
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
