package benchmarks

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"io"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

// Decoding workload names: bodies the engine parses as what they are
// (issue 16). Each bare handler decodes its body the way a real one would,
// so the ratio is the cost of fnguard over a handler doing its own work.
const (
	WGraphQL = "apigw-v1-graphql-1kb"     // a GraphQL query with variables, as JSON
	WSOAP    = "apigw-v1-soap-xml-2kb"    // a namespaced SOAP request
	WGzip    = "apigw-v1-gzip-json-16kb"  // Content-Encoding: gzip, base64 by API Gateway
	WPlain16 = "apigw-v1-plain-json-16kb" // the same 16 KB JSON, not compressed
)

// GraphQLBody is a GraphQL request: a query that selects id fields on
// their own lines, a fragment, a directive and variables.
const GraphQLBody = `{"operationName":"CustomerOrders","query":"query CustomerOrders($customerId: ID!, $first: Int = 20, $after: String) {\n  customer(id: $customerId) {\n    id\n    email\n    orders(first: $first, after: $after, orderBy: {field: CREATED_AT, direction: DESC}) {\n      edges {\n        cursor\n        node {\n          ...OrderParts\n          lines(first: 50) @include(if: true) {\n            id\n            sku\n            quantity\n          }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n}\n\nfragment OrderParts on Order {\n  id\n  number\n  createdAt\n  note(format: \"plain\")\n  total { amount currency }\n}\n","variables":{"customerId":"Q3VzdG9tZXI6NDI=","first":20,"after":"YXJyYXljb25uZWN0aW9uOjE5"}}`

// SOAPBody is a namespaced SOAP 1.1 request with a WS-Security header.
const SOAPBody = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ord="http://shop.example.com/orders/2024" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <soapenv:Header>
    <wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" soapenv:mustUnderstand="1">
      <wsse:UsernameToken><wsse:Username>integration-user</wsse:Username><wsse:Nonce>bm9uY2UtMTIzNDU2Nzg5MA==</wsse:Nonce></wsse:UsernameToken>
    </wsse:Security>
  </soapenv:Header>
  <soapenv:Body>
    <ord:PlaceOrder>
      <ord:Customer id="42"><ord:Name>Siobhan O'Brien</ord:Name><ord:Email>siobhan@example.org</ord:Email></ord:Customer>
      <ord:Lines>
        <ord:Line sku="A-1" qty="2"><ord:Note>gift wrap</ord:Note></ord:Line>
        <ord:Line sku="B-7" qty="1"><ord:Note><![CDATA[Deliver to the back door & ring twice]]></ord:Note></ord:Line>
        <ord:Line sku="C-3" qty="4"/>
      </ord:Lines>
      <ord:Shipping method="express"><ord:Street>12 Harbour Road</ord:Street><ord:City>Cork</ord:City><ord:Postcode>T12 X8F2</ord:Postcode></ord:Shipping>
    </ord:PlaceOrder>
  </soapenv:Body>
</soapenv:Envelope>`

// GraphQLHandler decodes a GraphQL-over-HTTP request.
func GraphQLHandler(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	var q struct {
		OperationName string         `json:"operationName"`
		Query         string         `json:"query"`
		Variables     map[string]any `json:"variables"`
	}
	if err := json.Unmarshal([]byte(req.Body), &q); err != nil || q.Query == "" {
		return events.APIGatewayProxyResponse{StatusCode: 400}, nil
	}
	return events.APIGatewayProxyResponse{StatusCode: 200, Body: okBody}, nil
}

type soapEnvelope struct {
	Body struct {
		PlaceOrder struct {
			Customer struct {
				ID   string `xml:"id,attr"`
				Name string `xml:"Name"`
			} `xml:"Customer"`
			Lines []struct {
				SKU  string `xml:"sku,attr"`
				Qty  int    `xml:"qty,attr"`
				Note string `xml:"Note"`
			} `xml:"Lines>Line"`
		} `xml:"PlaceOrder"`
	} `xml:"Body"`
}

// SOAPHandler decodes the SOAP request with encoding/xml.
func SOAPHandler(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	var env soapEnvelope
	if err := xml.Unmarshal([]byte(req.Body), &env); err != nil || env.Body.PlaceOrder.Customer.ID == "" {
		return events.APIGatewayProxyResponse{StatusCode: 400}, nil
	}
	return events.APIGatewayProxyResponse{StatusCode: 200, Body: okBody}, nil
}

// GzipHandler undoes API Gateway's base64 and the client's gzip, then
// decodes the JSON order.
func GzipHandler(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	body := []byte(req.Body)
	if req.IsBase64Encoded {
		b, err := base64.StdEncoding.DecodeString(req.Body)
		if err != nil {
			return events.APIGatewayProxyResponse{StatusCode: 400}, nil
		}
		body = b
	}
	if strings.EqualFold(req.Headers["Content-Encoding"], "gzip") {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return events.APIGatewayProxyResponse{StatusCode: 400}, nil
		}
		if body, err = io.ReadAll(io.LimitReader(zr, 6<<20)); err != nil {
			return events.APIGatewayProxyResponse{StatusCode: 400}, nil
		}
	}
	var o Order
	if err := json.Unmarshal(body, &o); err != nil {
		return events.APIGatewayProxyResponse{StatusCode: 400}, nil
	}
	return events.APIGatewayProxyResponse{StatusCode: 200, Body: okBody}, nil
}

// gzipEvent is a REST event whose body is order JSON, gzip-compressed by
// the client (Content-Encoding: gzip) and base64-encoded by API Gateway;
// with plain false, the same JSON sent as is.
func gzipEvent(order []byte, compressed bool) []byte {
	var e events.APIGatewayProxyRequest
	if err := json.Unmarshal(APIGatewayV1(RESTRequest{Body: order}), &e); err != nil {
		panic("benchmarks: " + err.Error())
	}
	if compressed {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(order)
		zw.Close()
		e.Body = base64.StdEncoding.EncodeToString(buf.Bytes())
		e.IsBase64Encoded = true
		e.Headers["Content-Encoding"] = "gzip"
		e.MultiValueHeaders["Content-Encoding"] = []string{"gzip"}
	}
	return mustJSON(e)
}

// DecodingWorkloads returns the workloads of bodies that fnguard parses as
// what they are: GraphQL, namespaced XML, gzip JSON (and the same JSON not
// compressed, for comparison), built with g.
func DecodingWorkloads(g *guard.Guard) []Workload {
	pair := func(h func(context.Context, events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error)) (lambda.Handler, lambda.Handler) {
		return lambda.NewHandler(h), guardlambda.WrapHandler(g, lambda.NewHandler(h))
	}
	bg, wg := pair(GraphQLHandler)
	bx, wx := pair(SOAPHandler)
	bz, wz := pair(GzipHandler)
	order := OrderBody(16 << 10)
	return []Workload{
		lambdaWorkload(WGraphQL, APIGatewayV1(RESTRequest{Body: []byte(GraphQLBody)}), bg, wg, true, false),
		lambdaWorkload(WSOAP, APIGatewayV1(RESTRequest{Body: []byte(SOAPBody), ContentType: "text/xml; charset=utf-8"}), bx, wx, true, false),
		lambdaWorkload(WGzip, gzipEvent(order, true), bz, wz, true, false),
		lambdaWorkload(WPlain16, gzipEvent(order, false), bz, wz, true, false),
	}
}
