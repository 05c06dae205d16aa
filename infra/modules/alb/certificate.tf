# The HTTPS listener's certificate: var.certificate_arn when given; otherwise,
# with a Route 53 zone, an ACM certificate for domain_name in this region,
# validated by DNS in the same apply (the listener waits for the validation).

locals {
  create_certificate = var.certificate_arn == null && var.route53_zone_id != null
  certificate_arn    = local.create_certificate ? aws_acm_certificate_validation.site[0].certificate_arn : var.certificate_arn
}

resource "aws_acm_certificate" "site" {
  count             = local.create_certificate ? 1 : 0
  domain_name       = var.domain_name
  validation_method = "DNS"
  lifecycle { create_before_destroy = true }
}

resource "aws_route53_record" "site_validation" {
  count           = local.create_certificate ? 1 : 0
  zone_id         = var.route53_zone_id
  name            = tolist(aws_acm_certificate.site[0].domain_validation_options)[0].resource_record_name
  type            = tolist(aws_acm_certificate.site[0].domain_validation_options)[0].resource_record_type
  records         = [tolist(aws_acm_certificate.site[0].domain_validation_options)[0].resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "site" {
  count                   = local.create_certificate ? 1 : 0
  certificate_arn         = aws_acm_certificate.site[0].arn
  validation_record_fqdns = aws_route53_record.site_validation[*].fqdn
}
