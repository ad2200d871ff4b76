module github.com/fnguard/fnguard/deploy/gcf

go 1.25.0

require (
	github.com/GoogleCloudPlatform/functions-framework-go v1.9.2
	github.com/fnguard/fnguard v0.0.0
)

require (
	cloud.google.com/go/functions v1.19.3 // indirect
	github.com/aws/aws-lambda-go v1.54.0 // indirect
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/cloudevents/sdk-go/v2 v2.16.2 // indirect
	github.com/go-logr/logr v1.4.4 // indirect
	github.com/go-logr/stdr v1.2.2 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/json-iterator/go v1.1.12 // indirect
	github.com/modern-go/concurrent v0.0.0-20180306012644-bacd9c7ef1dd // indirect
	github.com/modern-go/reflect2 v1.0.2 // indirect
	go.opentelemetry.io/auto/sdk v1.2.1 // indirect
	go.opentelemetry.io/otel v1.46.0 // indirect
	go.opentelemetry.io/otel/metric v1.46.0 // indirect
	go.opentelemetry.io/otel/trace v1.46.0 // indirect
	go.uber.org/multierr v1.11.0 // indirect
	go.uber.org/zap v1.28.0 // indirect
	golang.org/x/net v0.41.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
)

replace github.com/fnguard/fnguard => ../../
