# The application's single configuration secret (APP_AWS__SECRET_ID). Its JSON
# keys are the contract documented in infra/README.md.

resource "aws_secretsmanager_secret" "app" {
  #checkov:skip=CKV2_AWS_57:The secret bundles the DB password with non-secret settings read at start-up; automatic rotation would need a rotation Lambda that also updates RDS and a restart of the fleet. Rotate by changing the random_password keeper and running terraform apply (see infra/README.md).
  name                    = "${var.name}/app"
  description             = "Clipcontest runtime configuration (DB credentials, bucket, queues, mail, URLs)"
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = var.recovery_window_days
}

resource "aws_secretsmanager_secret_version" "app" {
  secret_id     = aws_secretsmanager_secret.app.id
  secret_string = jsonencode(var.values)
}
