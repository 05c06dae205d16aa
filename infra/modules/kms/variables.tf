variable "name" {
  description = "Name prefix (project-environment)."
  type        = string
}
