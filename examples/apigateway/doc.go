// Command apigateway is a deployable AWS Lambda function behind an API
// Gateway REST API, protected by fnguard. It is the smallest complete
// setup: the guard is configured by FNGUARD_* environment variables (see
// template.yaml), and a configuration error stops the cold start instead of
// serving requests unprotected.
//
// Build for Lambda (runtime provided.al2023, x86_64):
//
//	CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -tags lambda.norpc -trimpath -o examples/apigateway/build/bootstrap ./examples/apigateway
//
// The handler is a small orders API (GET /orders, GET /orders/{id},
// POST /orders) that answers JSON; fnguard answers 403
// {"message":"Forbidden","requestId":"..."} for requests carrying attacks,
// before the handler runs, and writes one redacted JSON log line per block
// to stdout (CloudWatch Logs).
package main
