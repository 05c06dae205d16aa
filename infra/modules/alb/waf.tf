# Regional web ACL on the ALB:
#   1. rate limit per client IP (var.waf_rate_limit requests / 5 min),
#   2. AWS managed common rule set, scoped down to everything except the
#      multipart forms that legitimately carry files (video upload
#      POST /c/{slug}/videos, contest banner POST /contests and
#      /c/{slug}/edit; var.upload_path_regex), whose size the app limits
#      itself (upload.max_bytes, upload.max_banner_bytes),
#   3. AWS managed known-bad-inputs rule set (Log4j/Java deserialization),
#      for every request.

resource "aws_wafv2_web_acl" "alb" {
  #checkov:skip=CKV2_AWS_31:WAF full request logging is billed per GB of logs; CloudWatch metrics and sampled requests are enabled on every rule, and the ALB access logs record every request.
  name        = "${var.name}-alb"
  description = "Clipcontest site: rate limit + AWS managed rules (uploads exempt from the body-size rule)"
  scope       = "REGIONAL"

  default_action {
    allow {}
  }

  rule {
    name     = "rate-limit-per-ip"
    priority = 0
    action {
      block {}
    }
    statement {
      rate_based_statement {
        limit              = var.waf_rate_limit
        aggregate_key_type = "IP"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-alb-rate-limit"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "aws-common"
    priority = 1
    override_action {
      none {}
    }
    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesCommonRuleSet"
        # Bodies that carry files are not inspected by this group: its
        # SizeRestrictions_BODY rule blocks any body over 8 KB and its *_BODY
        # pattern rules would read binary video bytes as text.
        scope_down_statement {
          not_statement {
            statement {
              and_statement {
                statement {
                  byte_match_statement {
                    positional_constraint = "EXACTLY"
                    search_string         = "POST"
                    field_to_match {
                      method {}
                    }
                    text_transformation {
                      priority = 0
                      type     = "NONE"
                    }
                  }
                }
                statement {
                  regex_match_statement {
                    regex_string = var.upload_path_regex
                    field_to_match {
                      uri_path {}
                    }
                    text_transformation {
                      priority = 0
                      type     = "NONE"
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-alb-common"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "aws-known-bad-inputs"
    priority = 2
    override_action {
      none {}
    }
    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesKnownBadInputsRuleSet"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-alb-bad-inputs"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "${var.name}-alb"
    sampled_requests_enabled   = true
  }
}

resource "aws_wafv2_web_acl_association" "alb" {
  resource_arn = aws_lb.this.arn
  web_acl_arn  = aws_wafv2_web_acl.alb.arn
}
