output "asg_name" {
  description = "Web Auto Scaling group name."
  value       = aws_autoscaling_group.this.name
}
