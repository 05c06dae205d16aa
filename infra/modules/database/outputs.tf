output "address" {
  description = "DNS name of the instance."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "MySQL port."
  value       = aws_db_instance.this.port
}

output "identifier" {
  description = "Instance identifier (CloudWatch dimension)."
  value       = aws_db_instance.this.identifier
}

output "db_name" {
  description = "Schema name."
  value       = aws_db_instance.this.db_name
}

output "username" {
  description = "Master user name."
  value       = aws_db_instance.this.username
}

output "master_user_secret_arn" {
  description = "RDS-managed secret with the master user's credentials (username, password)."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}

output "parameter_group_family" {
  description = "Parameter group family in use."
  value       = aws_db_parameter_group.this.family
}

output "engine" {
  description = "Engine settings (for review and tests)."
  value = {
    engine_version              = aws_db_instance.this.engine_version
    manage_master_user_password = aws_db_instance.this.manage_master_user_password
    ca_cert_identifier          = aws_db_instance.this.ca_cert_identifier
    parameters                  = { for p in aws_db_parameter_group.this.parameter : p.name => p.value }
  }
}
