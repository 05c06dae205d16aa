output "dns_name" {
  description = "ALB DNS name (CNAME/alias target)."
  value       = aws_lb.this.dns_name
}

output "arn_suffix" {
  description = "ALB ARN suffix (CloudWatch dimension)."
  value       = aws_lb.this.arn_suffix
}

output "target_group_arn" {
  description = "Web target group ARN."
  value       = aws_lb_target_group.web.arn
}

output "target_group_arn_suffix" {
  description = "Web target group ARN suffix (CloudWatch dimension)."
  value       = aws_lb_target_group.web.arn_suffix
}
