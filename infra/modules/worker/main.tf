# Worker tier: Auto Scaling group scaled on the SQS backlog per instance, with
# a termination lifecycle hook so a worker can finish (or hand back) its job.
# No scale-in protection (see below).

locals {
  # systemd's TimeoutStopSec for the worker (written by cloud-init) must stay
  # above the worker's own grace period; the hook must outlast both.
  min_heartbeat = var.stop_timeout_seconds + 60
}

module "launch_template" {
  source                = "../launch_template"
  name                  = var.name
  role                  = "worker"
  ami_id                = var.ami_id
  instance_type         = var.instance_type
  security_group_id     = var.security_group_id
  instance_profile_name = var.instance_profile_name
  user_data             = var.user_data
  root_volume_gb        = var.root_volume_gb
}

resource "aws_autoscaling_group" "this" {
  name                      = var.name
  vpc_zone_identifier       = var.subnet_ids
  min_size                  = var.min_size
  max_size                  = var.max_size
  desired_capacity          = var.min_size
  health_check_type         = "EC2"
  health_check_grace_period = 180
  default_instance_warmup   = var.instance_warmup_seconds
  # No scale-in protection: a worker picked for termination finishes or
  # releases its job through the termination lifecycle hook below
  # (clipcontest-lifecycle-watch stops the unit, the worker drains for
  # shutdown_grace_secs, then the job's lease is released for another worker).
  protect_from_scale_in = false
  enabled_metrics = [
    "GroupDesiredCapacity",
    "GroupInServiceInstances",
    "GroupMinSize",
    "GroupMaxSize",
    "GroupTotalInstances",
  ]

  launch_template {
    id      = module.launch_template.id
    version = module.launch_template.latest_version
  }

  # New image or settings (launch template version): launch the new
  # instances first (up to twice the capacity), keep every old one in service
  # until its replacement is healthy and warmed up, and roll back on its own
  # when one of the rollback alarms fires during the refresh.
  instance_refresh {
    strategy = "Rolling"
    preferences {
      min_healthy_percentage = 100
      max_healthy_percentage = 200
      instance_warmup        = var.instance_warmup_seconds
      skip_matching          = true
      auto_rollback          = true
      dynamic "alarm_specification" {
        for_each = length(var.rollback_alarm_names) > 0 ? [1] : []
        content {
          alarms = var.rollback_alarm_names
        }
      }
    }
  }

  tag {
    key                 = "Name"
    value               = var.name
    propagate_at_launch = true
  }

  lifecycle {
    ignore_changes = [desired_capacity]
  }
}

# A separate resource (an ASG's initial_lifecycle_hook is applied at creation
# only, so later changes to it would never reach AWS). It exists before any
# instance is terminated: scale-in and instance refresh start after the
# group exists, and Terraform creates this right after the group.
resource "aws_autoscaling_lifecycle_hook" "drain" {
  name                   = var.lifecycle_hook_name
  autoscaling_group_name = aws_autoscaling_group.this.name
  lifecycle_transition   = "autoscaling:EC2_INSTANCE_TERMINATING"
  heartbeat_timeout      = var.lifecycle_heartbeat_seconds
  default_result         = "CONTINUE"

  lifecycle {
    precondition {
      condition     = var.lifecycle_heartbeat_seconds >= local.min_heartbeat
      error_message = "lifecycle_heartbeat_seconds must be at least the worker's TimeoutStopSec + 60 s."
    }
  }
}

# Target tracking on "jobs per in-service instance", where jobs = waiting
# (visible) + being converted (in flight, not visible). Counting in-flight
# jobs keeps the group from scaling in while its workers are busy and the
# queue looks empty.
resource "aws_autoscaling_policy" "backlog" {
  name                   = "sqs-backlog-per-instance"
  autoscaling_group_name = aws_autoscaling_group.this.name
  policy_type            = "TargetTrackingScaling"

  target_tracking_configuration {
    target_value = var.backlog_per_instance_target

    customized_metric_specification {
      metrics {
        id          = "visible"
        label       = "Jobs waiting"
        return_data = false
        metric_stat {
          stat = "Sum"
          metric {
            namespace   = "AWS/SQS"
            metric_name = "ApproximateNumberOfMessagesVisible"
            dimensions {
              name  = "QueueName"
              value = var.queue_name
            }
          }
        }
      }

      metrics {
        id          = "inflight"
        label       = "Jobs being converted"
        return_data = false
        metric_stat {
          stat = "Sum"
          metric {
            namespace   = "AWS/SQS"
            metric_name = "ApproximateNumberOfMessagesNotVisible"
            dimensions {
              name  = "QueueName"
              value = var.queue_name
            }
          }
        }
      }

      metrics {
        id          = "instances"
        label       = "Workers in service"
        return_data = false
        metric_stat {
          stat = "Average"
          metric {
            namespace   = "AWS/AutoScaling"
            metric_name = "GroupInServiceInstances"
            dimensions {
              name  = "AutoScalingGroupName"
              value = aws_autoscaling_group.this.name
            }
          }
        }
      }

      metrics {
        id          = "backlog"
        label       = "Jobs (waiting + in flight) per worker"
        expression  = "(visible + inflight) / instances"
        return_data = true
      }
    }
  }
}
