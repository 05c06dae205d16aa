output "identity_arn" {
  description = "SES domain identity ARN."
  value       = aws_sesv2_email_identity.domain.arn
}

output "configuration_set_name" {
  description = "SES configuration set name."
  value       = aws_sesv2_configuration_set.this.configuration_set_name
}

output "configuration_set_arn" {
  description = "SES configuration set ARN."
  value       = aws_sesv2_configuration_set.this.arn
}

output "dkim_records" {
  description = "DKIM CNAME records to publish (name -> value)."
  value = {
    for t in aws_sesv2_email_identity.domain.dkim_signing_attributes[0].tokens :
    "${t}._domainkey.${var.domain}" => "${t}.dkim.amazonses.com"
  }
}
