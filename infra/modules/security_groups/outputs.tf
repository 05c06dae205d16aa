output "alb_sg_id" {
  description = "ALB security group."
  value       = aws_security_group.alb.id
}

output "web_sg_id" {
  description = "Web instances security group."
  value       = aws_security_group.web.id
}

output "worker_sg_id" {
  description = "Worker instances security group."
  value       = aws_security_group.worker.id
}

output "db_sg_id" {
  description = "RDS security group."
  value       = aws_security_group.db.id
}
