output "secret_arn" {
  description = "Secret ARN (APP_AWS__SECRET_ID accepts it)."
  value       = aws_secretsmanager_secret.app.arn
}

output "secret_name" {
  description = "Secret name."
  value       = aws_secretsmanager_secret.app.name
}

output "document" {
  description = "The secret's JSON document (sensitive; for tests)."
  value       = aws_secretsmanager_secret_version.app.secret_string
  sensitive   = true
}

output "version_id" {
  description = "Current secret version (instances must not boot before it exists)."
  value       = aws_secretsmanager_secret_version.app.version_id
}
