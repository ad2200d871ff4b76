package guardlambda_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

// An API Gateway handler behind fnguard: a search passes, an injection is
// answered with a 403 before the handler runs. In a real function the last
// line of main would be lambda.Start(h).
func ExampleWrap() {
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
	if err != nil {
		panic(err) // a misconfiguration must fail the cold start
	}
	h := guardlambda.Wrap(g, func(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		return events.APIGatewayProxyResponse{StatusCode: 200, Body: "results for " + req.QueryStringParameters["q"]}, nil
	})

	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "8f2d0c1e"})
	for _, q := range []string{"blue shoes", "' OR 1=1--"} {
		ev, _ := json.Marshal(events.APIGatewayProxyRequest{
			HTTPMethod:                      "GET",
			Path:                            "/search",
			QueryStringParameters:           map[string]string{"q": q},
			MultiValueQueryStringParameters: map[string][]string{"q": {q}},
			RequestContext:                  events.APIGatewayProxyRequestContext{RequestID: "c6af9ac6"},
		})
		out, _ := h.Invoke(ctx, ev)
		var resp events.APIGatewayProxyResponse
		_ = json.Unmarshal(out, &resp)
		fmt.Println(resp.StatusCode, resp.Body)
	}
	// Output:
	// 200 results for blue shoes
	// 403 {"message":"Forbidden","requestId":"8f2d0c1e"}
}

// For SNS, S3, EventBridge and other asynchronous sources a blocked event
// fails the invocation with a *guard.BlockedError, so that Lambda's retries
// and dead-letter queue keep it.
func ExampleWrapHandler() {
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
	if err != nil {
		panic(err)
	}
	h := guardlambda.Wrap(g, func(ctx context.Context, ev events.SNSEvent) (struct{}, error) {
		fmt.Println("handled:", ev.Records[0].SNS.Message)
		return struct{}{}, nil
	})
	for _, msg := range []string{`{"order":7}`, `{"callback":"http://169.254.169.254/latest/meta-data/"}`} {
		ev, _ := json.Marshal(events.SNSEvent{Records: []events.SNSEventRecord{{
			EventSource: "aws:sns",
			SNS:         events.SNSEntity{MessageID: "m-1", TopicArn: "arn:aws:sns:eu-west-1:123456789012:orders", Type: "Notification", Message: msg},
		}}})
		_, err := h.Invoke(context.Background(), ev)
		var be *guard.BlockedError
		if errors.As(err, &be) {
			f := be.Decision.Findings[0]
			fmt.Println("blocked:", f.Category, "at", f.Location, errors.Is(err, guard.ErrBlocked))
		}
	}
	// Output:
	// handled: {"order":7}
	// blocked: ssrf at records[0].Sns.Message.callback true
}

// An event whose members do not fit aws-lambda-go's struct is refused by
// name before the handler runs, rather than failing in the decoder: a 400
// for HTTP sources, a *guard.BlockedError matching guard.ErrRejected for the
// others.
func Example_typeMismatch() {
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
	if err != nil {
		panic(err)
	}
	api := guardlambda.Wrap(g, func(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		return events.APIGatewayProxyResponse{StatusCode: 200}, nil
	})
	out, _ := api.Invoke(context.Background(), []byte(`{"httpMethod":"GET","path":"/","requestContext":{"requestTimeEpoch":1.5}}`))
	var resp events.APIGatewayProxyResponse
	_ = json.Unmarshal(out, &resp)
	fmt.Println(resp.StatusCode)

	// In a batch, a record its struct cannot hold fails alone: the handler
	// gets the others and the record is reported as a batch item failure.
	queue := guardlambda.Wrap(g, func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
		fmt.Println("handler got", len(ev.Records), "record(s):", ev.Records[0].MessageId)
		return events.SQSEventResponse{}, nil
	})
	out, err = queue.Invoke(context.Background(), []byte(`{"Records":[`+
		`{"eventSource":"aws:sqs","messageId":"m-1","body":"{}","attributes":{"ApproximateReceiveCount":2}},`+
		`{"eventSource":"aws:sqs","messageId":"m-2","body":"{}","attributes":{"ApproximateReceiveCount":"1"}}]}`))
	fmt.Println(string(out), err)
	// Output:
	// 400
	// handler got 1 record(s): m-2
	// {"batchItemFailures":[{"itemIdentifier":"m-1"}]} <nil>
}

// A Lambda authorizer behind fnguard: a token carrying an injection is
// answered with a Deny policy on the method, as API Gateway expects from an
// authorizer (an error would become a 500, a proxy response is not read),
// and the authorizer itself never runs.
func Example_authorizer() {
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
	if err != nil {
		panic(err)
	}
	h := guardlambda.Wrap(g, func(ctx context.Context, req events.APIGatewayCustomAuthorizerRequest) (events.APIGatewayCustomAuthorizerResponse, error) {
		fmt.Println("authorizer ran for", req.AuthorizationToken)
		return events.APIGatewayCustomAuthorizerResponse{PrincipalID: "user-1", PolicyDocument: events.APIGatewayCustomAuthorizerPolicy{
			Version:   "2012-10-17",
			Statement: []events.IAMPolicyStatement{{Action: []string{"execute-api:Invoke"}, Effect: "Allow", Resource: []string{req.MethodArn}}},
		}}, nil
	})
	for _, tok := range []string{"Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig", "Bearer ' OR '1'='1' --"} {
		ev, _ := json.Marshal(events.APIGatewayCustomAuthorizerRequest{
			Type: "TOKEN", AuthorizationToken: tok, MethodArn: "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/orders",
		})
		out, err := h.Invoke(context.Background(), ev)
		var resp events.APIGatewayCustomAuthorizerResponse
		_ = json.Unmarshal(out, &resp)
		fmt.Println(err, resp.PrincipalID, resp.PolicyDocument.Statement[0].Effect, resp.PolicyDocument.Statement[0].Resource[0])
	}
	// Output:
	// authorizer ran for Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig
	// <nil> user-1 Allow arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/orders
	// <nil> fnguard Deny arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/orders
}
