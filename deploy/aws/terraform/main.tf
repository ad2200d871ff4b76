# fnguard on Terraform: a Go function on provided.al2023 (arm64 or x86_64)
# consuming an SQS queue. fnguard reports poisoned messages in
# batchItemFailures, which Lambda reads only when the event source mapping
# has function_response_types = ["ReportBatchItemFailures"]: without it, a
# successful invocation deletes the whole batch.
#
# Build (from deploy/aws; GOARCH must match var.architecture):
#   CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build -tags lambda.norpc -trimpath -o build/bootstrap ./function
#   CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -tags lambda.norpc -trimpath -o build/bootstrap ./function   # architecture=x86_64
# Deploy:
#   terraform -chdir=terraform init && terraform -chdir=terraform apply

terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
    archive = {
      source  = "hashicorp/archive"
      version = ">= 2.4"
    }
  }
}

variable "architecture" {
  type        = string
  default     = "arm64"
  description = "CPU architecture of the bootstrap (GOARCH=arm64 or GOARCH=amd64 for x86_64)"
  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "The architecture must be arm64 or x86_64."
  }
}

data "archive_file" "function" {
  type        = "zip"
  source_file = "${path.module}/../build/bootstrap"
  output_path = "${path.module}/function.zip"
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "function" {
  name_prefix        = "orders-"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy_attachment" "sqs" {
  role       = aws_iam_role.function.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"
}

resource "aws_sqs_queue" "dead_letters" {
  name_prefix               = "orders-dlq-"
  message_retention_seconds = 1209600
}

resource "aws_sqs_queue" "orders" {
  name_prefix                = "orders-"
  visibility_timeout_seconds = 60 # at least 6x the function timeout
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dead_letters.arn
    maxReceiveCount     = 3
  })
}

resource "aws_lambda_function" "orders" {
  function_name                  = "orders"
  role                           = aws_iam_role.function.arn
  runtime                        = "provided.al2023"
  handler                        = "bootstrap"
  architectures                  = [var.architecture]
  filename                       = data.archive_file.function.output_path
  source_code_hash               = data.archive_file.function.output_base64sha256
  memory_size                    = 256
  timeout                        = 10
  reserved_concurrent_executions = 10 # a flood of messages cannot take the account's whole concurrency

  environment {
    variables = {
      FNGUARD_MODE                = "block"
      FNGUARD_FAIL                = "closed"
      FNGUARD_ALLOW_EVENT_SOURCES = aws_sqs_queue.orders.arn
      FNGUARD_MAX_BODY_BYTES      = "262144"
    }
  }
}

resource "aws_lambda_event_source_mapping" "orders" {
  event_source_arn        = aws_sqs_queue.orders.arn
  function_name           = aws_lambda_function.orders.arn
  batch_size              = 10
  function_response_types = ["ReportBatchItemFailures"]
}
