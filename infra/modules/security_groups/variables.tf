variable "name" {
  description = "Name prefix (project-environment)."
  type        = string
}

variable "vpc_id" {
  description = "VPC id."
  type        = string
}

variable "app_port" {
  description = "Port the web binary listens on (APP_LISTEN)."
  type        = number
}
