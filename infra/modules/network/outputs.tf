output "vpc_id" {
  description = "VPC id."
  value       = aws_vpc.this.id
}

output "vpc_cidr_block" {
  description = "VPC CIDR."
  value       = aws_vpc.this.cidr_block
}

output "public_subnet_ids" {
  description = "Public subnets (ALB, NAT)."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "Private subnets (web and worker instances)."
  value       = aws_subnet.private[*].id
}

output "database_subnet_ids" {
  description = "Isolated subnets (RDS)."
  value       = aws_subnet.database[*].id
}

output "s3_prefix_list_id" {
  description = "Prefix list of the S3 gateway endpoint (for security group egress)."
  value       = aws_vpc_endpoint.s3.prefix_list_id
}

output "private_egress_route_ids" {
  description = "Default routes of the private subnets through NAT (instances need them before they boot: packages, AWS APIs)."
  value       = aws_route.private_nat[*].id
}
