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

output "web_acl_arn" {
  description = "Regional WAF web ACL on the ALB."
  value       = aws_wafv2_web_acl.alb.arn
}


output "certificate_arn" {
  description = "Certificate of the HTTPS listener."
  value       = local.certificate_arn
}

output "xff_header_processing_mode" {
  description = "How the ALB treats X-Forwarded-For."
  value       = aws_lb.this.xff_header_processing_mode
}

output "metrics_rule" {
  description = "Listener rule answering /metrics without forwarding."
  value = {
    paths       = sort(flatten([for c in aws_lb_listener_rule.metrics_not_public.condition : [for pp in c.path_pattern : pp.values]]))
    type        = aws_lb_listener_rule.metrics_not_public.action[0].type
    status_code = aws_lb_listener_rule.metrics_not_public.action[0].fixed_response[0].status_code
  }
}

output "health_check" {
  description = "Target group health check (for review and tests)."
  value       = aws_lb_target_group.web.health_check[0]
}

output "web_acl" {
  description = "Regional web ACL summary (for review and tests)."
  value = {
    scope             = aws_wafv2_web_acl.alb.scope
    rules             = { for r in aws_wafv2_web_acl.alb.rule : r.name => r.priority }
    rate_limit        = one([for r in aws_wafv2_web_acl.alb.rule : r.statement[0].rate_based_statement[0].limit if length(r.statement[0].rate_based_statement) > 0])
    upload_path_regex = var.upload_path_regex
  }
}
