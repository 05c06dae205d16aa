# SES v2 domain identity with Easy DKIM, and a configuration set that requires
# TLS to receiving servers and suppresses bounced/complained addresses.

resource "aws_sesv2_configuration_set" "this" {
  configuration_set_name = "${var.name}-mail"

  delivery_options {
    tls_policy = "REQUIRE"
  }

  reputation_options {
    reputation_metrics_enabled = true
  }

  sending_options {
    sending_enabled = true
  }

  suppression_options {
    suppressed_reasons = ["BOUNCE", "COMPLAINT"]
  }
}

resource "aws_sesv2_email_identity" "domain" {
  email_identity         = var.domain
  configuration_set_name = aws_sesv2_configuration_set.this.configuration_set_name

  dkim_signing_attributes {
    next_signing_key_length = "RSA_2048_BIT"
  }
}

# Optional: publish the three DKIM CNAMEs when the zone is in Route 53.
resource "aws_route53_record" "dkim" {
  count   = var.route53_zone_id == null ? 0 : 3
  zone_id = var.route53_zone_id
  name    = "${aws_sesv2_email_identity.domain.dkim_signing_attributes[0].tokens[count.index]}._domainkey.${var.domain}"
  type    = "CNAME"
  ttl     = 1800
  records = ["${aws_sesv2_email_identity.domain.dkim_signing_attributes[0].tokens[count.index]}.dkim.amazonses.com"]
}

# --- bounce and complaint notifications ---------------------------------------
# The configuration set publishes BOUNCE and COMPLAINT events to an SNS topic;
# the "<name>-ses-events" queue is subscribed to it (raw delivery: each message
# body is the SES event JSON, no SNS envelope). The worker consumes the queue
# and marks the addresses as not to be mailed again (secret key
# ses_events_queue_url). Account-level suppression (suppression_options above)
# stays on as a second line.

resource "aws_sns_topic" "events" {
  name              = "${var.name}-ses-events"
  kms_master_key_id = var.kms_key_arn
}

resource "aws_sesv2_configuration_set_event_destination" "bounces" {
  configuration_set_name = aws_sesv2_configuration_set.this.configuration_set_name
  event_destination_name = "bounces-and-complaints"

  event_destination {
    enabled              = true
    matching_event_types = ["BOUNCE", "COMPLAINT"]
    sns_destination {
      topic_arn = aws_sns_topic.events.arn
    }
  }

  depends_on = [aws_sns_topic_policy.events]
}

locals {
  account_id = data.aws_caller_identity.current.account_id

  events_topic_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "SesPublishFromThisAccount"
      Effect    = "Allow"
      Principal = { Service = "ses.amazonaws.com" }
      Action    = "SNS:Publish"
      Resource  = aws_sns_topic.events.arn
      Condition = {
        StringEquals = { "AWS:SourceAccount" = local.account_id }
        StringLike   = { "AWS:SourceArn" = "${aws_sesv2_configuration_set.this.arn}*" }
      }
    }]
  })

  events_queue_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "FromSesEventsTopic"
      Effect    = "Allow"
      Principal = { Service = "sns.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.events.arn
      Condition = { ArnEquals = { "aws:SourceArn" = aws_sns_topic.events.arn } }
    }]
  })
}

data "aws_caller_identity" "current" {}

resource "aws_sns_topic_policy" "events" {
  arn    = aws_sns_topic.events.arn
  policy = local.events_topic_policy
}

resource "aws_sqs_queue" "events" {
  name                              = "${var.name}-ses-events"
  message_retention_seconds         = 1209600 # 14 days: the worker may be down for a while
  receive_wait_time_seconds         = 20
  visibility_timeout_seconds        = 60
  kms_master_key_id                 = var.kms_key_arn
  kms_data_key_reuse_period_seconds = 300
}

resource "aws_sqs_queue_policy" "events" {
  queue_url = aws_sqs_queue.events.id
  policy    = local.events_queue_policy
}

resource "aws_sns_topic_subscription" "events_queue" {
  topic_arn            = aws_sns_topic.events.arn
  protocol             = "sqs"
  endpoint             = aws_sqs_queue.events.arn
  raw_message_delivery = true
  depends_on           = [aws_sqs_queue_policy.events]
}
