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

output "events_topic_arn" {
  description = "SNS topic receiving the configuration set's BOUNCE and COMPLAINT events."
  value       = aws_sns_topic.events.arn
}

output "events_queue_url" {
  description = "Queue of SES bounce/complaint events (secret key ses_events_queue_url)."
  value       = aws_sqs_queue.events.id
}

output "events_queue_arn" {
  description = "Queue of SES bounce/complaint events."
  value       = aws_sqs_queue.events.arn
}

output "events_queue_name" {
  description = "Queue of SES bounce/complaint events (CloudWatch dimension)."
  value       = aws_sqs_queue.events.name
}

output "events_policies" {
  description = "Topic and queue policy JSON (for review and tests)."
  value       = { topic = local.events_topic_policy, queue = local.events_queue_policy }
}

output "event_types" {
  description = "Event types published to the topic."
  value       = aws_sesv2_configuration_set_event_destination.bounces.event_destination[0].matching_event_types
}
