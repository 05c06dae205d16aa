# Security groups of every tier and the rules between them. Rules are separate
# resources so that groups can reference each other without cycles.
#
#   internet --80/443--> alb --8080--> web --3306--> db <--3306-- worker
#   web, worker --443--> AWS APIs (via NAT / S3 gateway endpoint)
# No port 22 anywhere: shell access is SSM Session Manager (outbound 443 only).

resource "aws_security_group" "alb" {
  #checkov:skip=CKV2_AWS_5:Attached to the ALB (modules/alb); checkov does not follow the id across module boundaries.
  name_prefix = "${var.name}-alb-"
  description = "Clipcontest ALB: HTTP(S) from the internet"
  vpc_id      = var.vpc_id
  lifecycle { create_before_destroy = true }
}

resource "aws_security_group" "web" {
  #checkov:skip=CKV2_AWS_5:Attached to the web launch template (modules/launch_template via modules/web); checkov does not follow the id across module boundaries.
  name_prefix = "${var.name}-web-"
  description = "Clipcontest web instances"
  vpc_id      = var.vpc_id
  lifecycle { create_before_destroy = true }
}

resource "aws_security_group" "worker" {
  #checkov:skip=CKV2_AWS_5:Attached to the worker launch template (modules/launch_template via modules/worker); checkov does not follow the id across module boundaries.
  name_prefix = "${var.name}-worker-"
  description = "Clipcontest worker instances (no inbound)"
  vpc_id      = var.vpc_id
  lifecycle { create_before_destroy = true }
}

resource "aws_security_group" "db" {
  #checkov:skip=CKV2_AWS_5:Attached to the RDS instance (modules/database); checkov does not follow the id across module boundaries.
  name_prefix = "${var.name}-db-"
  description = "Clipcontest RDS MySQL: only from web and worker"
  vpc_id      = var.vpc_id
  lifecycle { create_before_destroy = true }
}

# --- ALB ---------------------------------------------------------------------

resource "aws_vpc_security_group_ingress_rule" "alb_https" {
  security_group_id = aws_security_group.alb.id
  description       = "HTTPS from the internet"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_ingress_rule" "alb_http" {
  #checkov:skip=CKV_AWS_260:Port 80 is open only so the ALB listener can answer with a 301 redirect to HTTPS; nothing is served over HTTP.
  security_group_id = aws_security_group.alb.id
  description       = "HTTP from the internet (redirected to HTTPS)"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
}

resource "aws_vpc_security_group_egress_rule" "alb_to_web" {
  security_group_id            = aws_security_group.alb.id
  description                  = "To web instances (app port)"
  referenced_security_group_id = aws_security_group.web.id
  ip_protocol                  = "tcp"
  from_port                    = var.app_port
  to_port                      = var.app_port
}

# --- web -----------------------------------------------------------------------

resource "aws_vpc_security_group_ingress_rule" "web_from_alb" {
  security_group_id            = aws_security_group.web.id
  description                  = "App port from the ALB (traffic and /healthz)"
  referenced_security_group_id = aws_security_group.alb.id
  ip_protocol                  = "tcp"
  from_port                    = var.app_port
  to_port                      = var.app_port
}

resource "aws_vpc_security_group_egress_rule" "web_https" {
  security_group_id = aws_security_group.web.id
  description       = "HTTPS to AWS APIs (S3, SQS, Secrets Manager, SSM, CloudWatch) via NAT or endpoint"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_egress_rule" "web_db" {
  security_group_id            = aws_security_group.web.id
  description                  = "MySQL"
  referenced_security_group_id = aws_security_group.db.id
  ip_protocol                  = "tcp"
  from_port                    = 3306
  to_port                      = 3306
}

# --- worker ----------------------------------------------------------------------

resource "aws_vpc_security_group_egress_rule" "worker_https" {
  security_group_id = aws_security_group.worker.id
  description       = "HTTPS to AWS APIs (S3, SQS, SES, Secrets Manager, SSM, CloudWatch, Auto Scaling) via NAT or endpoint"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_egress_rule" "worker_db" {
  security_group_id            = aws_security_group.worker.id
  description                  = "MySQL"
  referenced_security_group_id = aws_security_group.db.id
  ip_protocol                  = "tcp"
  from_port                    = 3306
  to_port                      = 3306
}

# --- database ----------------------------------------------------------------------

resource "aws_vpc_security_group_ingress_rule" "db_from_web" {
  security_group_id            = aws_security_group.db.id
  description                  = "MySQL from web instances"
  referenced_security_group_id = aws_security_group.web.id
  ip_protocol                  = "tcp"
  from_port                    = 3306
  to_port                      = 3306
}

resource "aws_vpc_security_group_ingress_rule" "db_from_worker" {
  security_group_id            = aws_security_group.db.id
  description                  = "MySQL from worker instances"
  referenced_security_group_id = aws_security_group.worker.id
  ip_protocol                  = "tcp"
  from_port                    = 3306
  to_port                      = 3306
}
