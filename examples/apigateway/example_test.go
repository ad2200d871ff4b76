package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

// The function's handler behind fnguard, invoked with the benign and the XSS
// fixtures as the Lambda runtime would: the first reaches the handler, the
// second is answered 403 by fnguard.
func Example() {
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
	if err != nil {
		fmt.Println(err)
		return
	}
	h := guardlambda.Wrap(g, handler)
	for _, name := range []string{"benign", "xss"} {
		payload, err := os.ReadFile("testdata/" + name + ".json")
		if err != nil {
			fmt.Println(err)
			return
		}
		ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "example-" + name})
		out, err := h.Invoke(ctx, payload)
		if err != nil {
			fmt.Println(name, "error:", err)
			continue
		}
		var resp events.APIGatewayProxyResponse
		if err := json.Unmarshal(out, &resp); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(name, resp.StatusCode, resp.Body)
	}
	// Output:
	// benign 200 {"id":"ord-1001","customer":"Siobhán O'Brien","status":"shipped","items":[{"sku":"LAMP-01","qty":1,"note":"select the best one from the list"}]}
	// xss 403 {"message":"Forbidden","requestId":"example-xss"}
}
