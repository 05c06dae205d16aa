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
