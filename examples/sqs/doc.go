// Command sqs is an AWS Lambda function that processes orders from an SQS
// queue, protected by fnguard.
//
// SQS delivers messages in batches. When one message of a batch carries an
// attack, fnguard does not fail the whole batch: the handler receives only
// the clean messages, and the poisoned one is reported back to Lambda in
// the response's batchItemFailures, merged with the failures the handler
// reports itself. SQS then redelivers only those messages and, after
// maxReceiveCount attempts, moves them to the dead-letter queue, where they
// can be inspected.
//
// This requires ReportBatchItemFailures on the event source mapping
// (FunctionResponseTypes in template.yaml). Without it Lambda ignores
// batchItemFailures and deletes the whole batch on a successful response,
// poisoned messages included (they would be dropped, not processed).
//
// Build for Lambda (runtime provided.al2023):
//
//	CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -tags lambda.norpc -trimpath -o examples/sqs/build/bootstrap ./examples/sqs
package main
