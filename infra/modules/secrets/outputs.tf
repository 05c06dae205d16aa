output "secret_arn" {
  description = "Secret ARN (APP_AWS__SECRET_ID accepts it)."
  value       = aws_secretsmanager_secret.app.arn
}

output "secret_name" {
  description = "Secret name."
  value       = aws_secretsmanager_secret.app.name
}
