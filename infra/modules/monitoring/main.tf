# Application log groups, the alarm topic, and alarms on the ALB, the queues
# and the database.

resource "aws_cloudwatch_log_group" "app" {
  for_each          = toset(["web", "worker"])
  name              = "/${var.name}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

resource "aws_sns_topic" "alarms" {
  name              = "${var.name}-alarms"
  kms_master_key_id = var.kms_key_arn
}

resource "aws_sns_topic_subscription" "email" {
  for_each  = toset(var.alarm_emails)
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = each.value
}

locals {
  actions = [aws_sns_topic.alarms.arn]
}

# --- ALB -----------------------------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "alb_5xx" {
  alarm_name          = "${var.name}-alb-5xx"
  alarm_description   = "ALB returned 5xx itself (no healthy target, timeouts)"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HTTPCode_ELB_5XX_Count"
  dimensions          = { LoadBalancer = var.alb_arn_suffix }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = var.alb_5xx_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
}

resource "aws_cloudwatch_metric_alarm" "target_5xx" {
  alarm_name          = "${var.name}-web-5xx"
  alarm_description   = "Web instances answered 5xx"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HTTPCode_Target_5XX_Count"
  dimensions          = { LoadBalancer = var.alb_arn_suffix, TargetGroup = var.target_group_arn_suffix }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = var.alb_5xx_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
}

resource "aws_cloudwatch_metric_alarm" "unhealthy_hosts" {
  alarm_name          = "${var.name}-web-unhealthy"
  alarm_description   = "A web instance fails the target group's liveness check (/livez) for 5 minutes"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "UnHealthyHostCount"
  dimensions          = { LoadBalancer = var.alb_arn_suffix, TargetGroup = var.target_group_arn_suffix }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
}

# --- queues --------------------------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "dlq_depth" {
  alarm_name          = "${var.name}-dlq-not-empty"
  alarm_description   = "Conversion jobs failed ${var.max_receive_count} times and landed in the DLQ"
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = var.dlq_name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
}

resource "aws_cloudwatch_metric_alarm" "oldest_job" {
  alarm_name          = "${var.name}-jobs-oldest-age"
  alarm_description   = "The oldest waiting conversion job is older than ${var.oldest_message_age_seconds} s (workers stuck or at max size)"
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateAgeOfOldestMessage"
  dimensions          = { QueueName = var.queue_name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 2
  threshold           = var.oldest_message_age_seconds
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
}

# --- database --------------------------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "rds_cpu" {
  alarm_name          = "${var.name}-rds-cpu"
  alarm_description   = "RDS CPU above ${var.rds_cpu_percent}% for 15 minutes"
  namespace           = "AWS/RDS"
  metric_name         = "CPUUtilization"
  dimensions          = { DBInstanceIdentifier = var.db_identifier }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  threshold           = var.rds_cpu_percent
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "missing"
  alarm_actions       = local.actions
  ok_actions          = local.actions
}

resource "aws_cloudwatch_metric_alarm" "rds_storage" {
  alarm_name          = "${var.name}-rds-free-storage"
  alarm_description   = "RDS free storage below ${var.rds_free_storage_bytes} bytes"
  namespace           = "AWS/RDS"
  metric_name         = "FreeStorageSpace"
  dimensions          = { DBInstanceIdentifier = var.db_identifier }
  statistic           = "Minimum"
  period              = 300
  evaluation_periods  = 1
  threshold           = var.rds_free_storage_bytes
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "missing"
  alarm_actions       = local.actions
  ok_actions          = local.actions
}

resource "aws_cloudwatch_metric_alarm" "no_healthy_web" {
  alarm_name          = "${var.name}-web-none-healthy"
  alarm_description   = "No healthy web instance behind the ALB: the site is down"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HealthyHostCount"
  dimensions          = { LoadBalancer = var.alb_arn_suffix, TargetGroup = var.target_group_arn_suffix }
  statistic           = "Minimum"
  period              = 60
  evaluation_periods  = 2
  threshold           = 1
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "breaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
}

# Backlog (waiting + in flight) above zero while no job completes (deleted)
# for var.stalled_periods x 5 minutes: workers are down, crash-looping, or
# stuck. The oldest-job alarm above also fires when workers are merely at max.
resource "aws_cloudwatch_metric_alarm" "worker_stalled" {
  alarm_name          = "${var.name}-worker-stalled"
  alarm_description   = "Jobs are queued or in flight but none completed for ${var.stalled_periods * 5} minutes"
  evaluation_periods  = var.stalled_periods
  datapoints_to_alarm = var.stalled_periods
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions

  metric_query {
    id          = "stalled"
    expression  = "IF((visible + inflight) > 0 AND deleted == 0, 1, 0)"
    label       = "Backlog with nothing completing"
    return_data = true
  }

  dynamic "metric_query" {
    for_each = {
      visible  = { metric = "ApproximateNumberOfMessagesVisible", stat = "Maximum" }
      inflight = { metric = "ApproximateNumberOfMessagesNotVisible", stat = "Maximum" }
      deleted  = { metric = "NumberOfMessagesDeleted", stat = "Sum" }
    }
    content {
      id = metric_query.key
      metric {
        namespace   = "AWS/SQS"
        metric_name = metric_query.value.metric
        dimensions  = { QueueName = var.queue_name }
        stat        = metric_query.value.stat
        period      = 300
      }
    }
  }
}

# --- mail -----------------------------------------------------------------------
# Account-level reputation metrics (SES reviews an account at 5 % bounces or
# 0.1 % complaints and may pause sending at 10 % / 0.5 %).

resource "aws_cloudwatch_metric_alarm" "ses_bounce_rate" {
  alarm_name          = "${var.name}-ses-bounce-rate"
  alarm_description   = "SES bounce rate above ${var.ses_bounce_rate * 100} %"
  namespace           = "AWS/SES"
  metric_name         = "Reputation.BounceRate"
  statistic           = "Maximum"
  period              = 3600
  evaluation_periods  = 1
  threshold           = var.ses_bounce_rate
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
}

resource "aws_cloudwatch_metric_alarm" "ses_complaint_rate" {
  alarm_name          = "${var.name}-ses-complaint-rate"
  alarm_description   = "SES complaint rate above ${var.ses_complaint_rate * 100} %"
  namespace           = "AWS/SES"
  metric_name         = "Reputation.ComplaintRate"
  statistic           = "Maximum"
  period              = 3600
  evaluation_periods  = 1
  threshold           = var.ses_complaint_rate
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
}

resource "aws_cloudwatch_metric_alarm" "rds_connections" {
  alarm_name          = "${var.name}-rds-connections"
  alarm_description   = "More than ${var.rds_connections} database connections for 10 minutes"
  namespace           = "AWS/RDS"
  metric_name         = "DatabaseConnections"
  dimensions          = { DBInstanceIdentifier = var.db_identifier }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 2
  threshold           = var.rds_connections
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "missing"
  alarm_actions       = local.actions
  ok_actions          = local.actions
}

# --- dashboard --------------------------------------------------------------------

locals {
  region = data.aws_region.current.name
  widgets = [
    { title = "ALB requests and 5xx", metrics = [
      ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", var.alb_arn_suffix, { stat = "Sum" }],
      ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "LoadBalancer", var.alb_arn_suffix, "TargetGroup", var.target_group_arn_suffix, { stat = "Sum" }],
      ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "LoadBalancer", var.alb_arn_suffix, { stat = "Sum" }],
    ] },
    { title = "Web targets", metrics = [
      ["AWS/ApplicationELB", "HealthyHostCount", "LoadBalancer", var.alb_arn_suffix, "TargetGroup", var.target_group_arn_suffix, { stat = "Minimum" }],
      ["AWS/ApplicationELB", "UnHealthyHostCount", "LoadBalancer", var.alb_arn_suffix, "TargetGroup", var.target_group_arn_suffix, { stat = "Maximum" }],
      ["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", var.alb_arn_suffix, { stat = "p95" }],
    ] },
    { title = "Jobs", metrics = [
      ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", var.queue_name, { stat = "Maximum" }],
      ["AWS/SQS", "ApproximateNumberOfMessagesNotVisible", "QueueName", var.queue_name, { stat = "Maximum" }],
      ["AWS/SQS", "NumberOfMessagesDeleted", "QueueName", var.queue_name, { stat = "Sum" }],
      ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", var.dlq_name, { stat = "Maximum" }],
    ] },
    { title = "Instances in service", metrics = [
      ["AWS/AutoScaling", "GroupInServiceInstances", "AutoScalingGroupName", var.web_asg_name, { stat = "Average" }],
      ["AWS/AutoScaling", "GroupInServiceInstances", "AutoScalingGroupName", var.worker_asg_name, { stat = "Average" }],
    ] },
    { title = "Database", metrics = [
      ["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", var.db_identifier, { stat = "Average" }],
      ["AWS/RDS", "DatabaseConnections", "DBInstanceIdentifier", var.db_identifier, { stat = "Maximum" }],
      ["AWS/RDS", "FreeStorageSpace", "DBInstanceIdentifier", var.db_identifier, { stat = "Minimum", yAxis = "right" }],
    ] },
    { title = "Mail reputation", metrics = [
      ["AWS/SES", "Reputation.BounceRate", { stat = "Maximum" }],
      ["AWS/SES", "Reputation.ComplaintRate", { stat = "Maximum" }],
    ] },
  ]
}

data "aws_region" "current" {}

resource "aws_cloudwatch_dashboard" "main" {
  dashboard_name = var.name
  dashboard_body = jsonencode({
    widgets = [
      for i, w in local.widgets : {
        type   = "metric"
        x      = (i % 2) * 12
        y      = floor(i / 2) * 6
        width  = 12
        height = 6
        properties = {
          title   = w.title
          region  = local.region
          period  = 300
          view    = "timeSeries"
          metrics = w.metrics
        }
      }
    ]
  })
}

# --- budget ----------------------------------------------------------------------
# Account-wide (a deployment usually has its own account). To count only this
# deployment, activate the Project tag as a cost allocation tag and add a
# cost_filter { name = "TagKeyValue", values = ["user:Project$<project>"] }.

resource "aws_budgets_budget" "monthly" {
  count        = var.monthly_budget_usd > 0 && length(var.alarm_emails) > 0 ? 1 : 0
  name         = "${var.name}-monthly"
  budget_type  = "COST"
  limit_amount = tostring(var.monthly_budget_usd)
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  notification {
    comparison_operator        = "GREATER_THAN"
    threshold                  = 80
    threshold_type             = "PERCENTAGE"
    notification_type          = "ACTUAL"
    subscriber_email_addresses = var.alarm_emails
  }

  notification {
    comparison_operator        = "GREATER_THAN"
    threshold                  = 100
    threshold_type             = "PERCENTAGE"
    notification_type          = "FORECASTED"
    subscriber_email_addresses = var.alarm_emails
  }
}

locals {
  alarms = {
    alb_5xx            = aws_cloudwatch_metric_alarm.alb_5xx
    web_5xx            = aws_cloudwatch_metric_alarm.target_5xx
    web_unhealthy      = aws_cloudwatch_metric_alarm.unhealthy_hosts
    web_none_healthy   = aws_cloudwatch_metric_alarm.no_healthy_web
    dlq                = aws_cloudwatch_metric_alarm.dlq_depth
    oldest_job         = aws_cloudwatch_metric_alarm.oldest_job
    worker_stalled     = aws_cloudwatch_metric_alarm.worker_stalled
    ses_bounce_rate    = aws_cloudwatch_metric_alarm.ses_bounce_rate
    ses_complaint_rate = aws_cloudwatch_metric_alarm.ses_complaint_rate
    rds_cpu            = aws_cloudwatch_metric_alarm.rds_cpu
    rds_storage        = aws_cloudwatch_metric_alarm.rds_storage
    rds_connections    = aws_cloudwatch_metric_alarm.rds_connections
  }
}
