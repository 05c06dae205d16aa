output "asg_name" {
  description = "Worker Auto Scaling group name."
  value       = aws_autoscaling_group.this.name
}

output "lifecycle_hook_name" {
  description = "Termination lifecycle hook name."
  value       = var.lifecycle_hook_name
}
