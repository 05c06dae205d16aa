# Web tier: Auto Scaling group behind the ALB, scaled on CPU and on requests
# per target.

module "launch_template" {
  source                = "../launch_template"
  name                  = var.name
  role                  = "web"
  ami_id                = var.ami_id
  instance_type         = var.instance_type
  security_group_id     = var.security_group_id
  instance_profile_name = var.instance_profile_name
  user_data             = var.user_data
  root_volume_gb        = var.root_volume_gb
}

resource "aws_autoscaling_group" "this" {
  name                = var.name
  vpc_zone_identifier = var.subnet_ids
  min_size            = var.min_size
  max_size            = var.max_size
  desired_capacity    = var.min_size
  target_group_arns   = [var.target_group_arn]
  # ELB health = the target group's /livez check (shallow), so a database
  # failover does not replace instances. The grace period covers boot,
  # cloud-init, the secret read and migrations (~1-2 min) with margin.
  health_check_type         = "ELB"
  health_check_grace_period = var.health_check_grace_seconds
  default_instance_warmup   = var.instance_warmup_seconds
  wait_for_capacity_timeout = "15m"
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

  # New image or settings: replace instances gradually, keeping capacity.
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
    ignore_changes = [desired_capacity] # owned by the scaling policies
  }
}

resource "aws_autoscaling_policy" "cpu" {
  name                   = "cpu-target"
  autoscaling_group_name = aws_autoscaling_group.this.name
  policy_type            = "TargetTrackingScaling"

  target_tracking_configuration {
    predefined_metric_specification {
      predefined_metric_type = "ASGAverageCPUUtilization"
    }
    target_value = var.cpu_target_percent
  }
}

resource "aws_autoscaling_policy" "requests" {
  name                   = "alb-requests-per-target"
  autoscaling_group_name = aws_autoscaling_group.this.name
  policy_type            = "TargetTrackingScaling"

  target_tracking_configuration {
    predefined_metric_specification {
      predefined_metric_type = "ALBRequestCountPerTarget"
      resource_label         = "${var.alb_arn_suffix}/${var.target_group_arn_suffix}"
    }
    target_value = var.requests_per_target
  }
}
