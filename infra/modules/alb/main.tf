# Internet-facing ALB: HTTP redirects to HTTPS, HTTPS forwards to the web
# instances' app port; long idle timeout for large uploads. /metrics is
# answered 404 by the listener (Prometheus scrapes the instances inside the
# VPC); a WAF web ACL (modules/alb/waf.tf) sits in front.

resource "aws_lb" "this" {
  #checkov:skip=CKV2_AWS_76:The attached web ACL (waf.tf) has the Log4j AMR (AWSManagedRulesKnownBadInputsRuleSet); this check also demands AWSManagedRulesAnonymousIpList, which would block every participant on a VPN or behind a hosting-provider address.
  name                       = substr("${var.name}-alb", 0, 32)
  load_balancer_type         = "application"
  internal                   = false
  subnets                    = var.subnet_ids
  security_groups            = [var.security_group_id]
  idle_timeout               = var.idle_timeout_seconds
  drop_invalid_header_fields = true
  desync_mitigation_mode     = "defensive"
  enable_deletion_protection = var.deletion_protection
  enable_http2               = true
  # The ALB appends the address it received the connection from as the
  # right-most X-Forwarded-For entry; the app (trust_forwarded_for) keys its
  # rate limits on exactly that entry, so a client-sent header cannot forge it.
  xff_header_processing_mode = "append"

  access_logs {
    bucket  = var.access_logs_bucket
    prefix  = "alb"
    enabled = true
  }
}

resource "aws_lb_target_group" "web" {
  #checkov:skip=CKV_AWS_378:TLS terminates at the ALB; the hop to the web instances stays inside the VPC (private subnets, SG-restricted to the ALB).
  name_prefix          = "web-"
  port                 = var.app_port
  protocol             = "HTTP"
  target_type          = "instance"
  vpc_id               = var.vpc_id
  deregistration_delay = var.deregistration_delay_seconds

  # Liveness only (/livez: the process answers, no DB/S3 call), so a 45 s
  # RDS failover or an S3 hiccup never takes targets out of service or makes
  # the ASG replace instances. /healthz (with dependencies) feeds alarms.
  # A dead process is out of rotation after interval x unhealthy_threshold
  # = 30 s.
  health_check {
    enabled             = true
    path                = var.health_check_path
    port                = "traffic-port"
    protocol            = "HTTP"
    matcher             = "200"
    interval            = 10
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

  lifecycle { create_before_destroy = true }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"
    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = local.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}

# Prometheus metrics are for the inside of the VPC only: the public listener
# answers 404 without forwarding (scrape the instances on the app port, see
# infra/README.md, "Metrics").
resource "aws_lb_listener_rule" "metrics_not_public" {
  listener_arn = aws_lb_listener.https.arn
  priority     = 1

  condition {
    path_pattern {
      values = ["/metrics", "/metrics/*"]
    }
  }

  action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      message_body = "Not Found"
      status_code  = "404"
    }
  }
}

# Optional: alias record for the site's domain when the zone is in Route 53.
resource "aws_route53_record" "site" {
  count   = var.route53_zone_id == null ? 0 : 1
  zone_id = var.route53_zone_id
  name    = var.domain_name
  type    = "A"

  alias {
    name                   = aws_lb.this.dns_name
    zone_id                = aws_lb.this.zone_id
    evaluate_target_health = true
  }
}
