package leaks

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardhttp"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

type boomCore struct{ zapcore.LevelEnabler }

func (c boomCore) With([]zapcore.Field) zapcore.Core { return c }
func (c boomCore) Check(e zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	return ce.AddCore(e, c)
}
func (boomCore) Write(zapcore.Entry, []zapcore.Field) error { panic("log sink exploded") }
func (boomCore) Sync() error                                { panic("sync exploded") }

type boomMP struct{ metricnoop.MeterProvider }
type boomMeter struct{ metricnoop.Meter }
type boomCounter struct{ metricnoop.Int64Counter }
type boomHist struct{ metricnoop.Float64Histogram }

func (boomMP) Meter(string, ...metric.MeterOption) metric.Meter { return boomMeter{} }
func (boomMeter) Int64Counter(string, ...metric.Int64CounterOption) (metric.Int64Counter, error) {
	return boomCounter{}, nil
}
func (boomMeter) Float64Histogram(string, ...metric.Float64HistogramOption) (metric.Float64Histogram, error) {
	return boomHist{}, nil
}
func (boomCounter) Add(context.Context, int64, ...metric.AddOption)      { panic("meter exploded") }
func (boomHist) Record(context.Context, float64, ...metric.RecordOption) { panic("histogram exploded") }

type onTP struct{ tracenoop.TracerProvider }
type boomSpan struct{ tracenoop.Span }

func (boomSpan) IsRecording() bool                     { return true }
func (boomSpan) AddEvent(string, ...trace.EventOption) { panic("span exploded") }

// Telemetry that panics changes no decision and escapes no adapter, in
// either fail mode: the attack is still blocked, the clean request still
// served.
func TestTelemetryFaultsThroughAdapters(t *testing.T) {
	for _, fail := range []guard.FailMode{guard.FailClosed, guard.FailOpen} {
		g, err := guard.New(guard.WithoutEnv(), guard.WithFailMode(fail), guard.WithLogger(zap.New(boomCore{zapcore.DebugLevel})),
			guard.WithMeterProvider(boomMP{}), guard.WithTracerProvider(onTP{}), guard.WithLogRate(-1, 0))
		if err != nil {
			t.Fatal(err)
		}
		ctx := trace.ContextWithSpan(lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "r1"}), boomSpan{})

		// Engine.
		if d := g.Inspect(ctx, &guard.Invocation{Source: guard.SourceHTTP, Query: []guard.Param{{Name: "q", Value: "' OR 1=1 --"}}}); d.Action != guard.ActionBlock {
			t.Errorf("fail=%v: Inspect = %v, want block", fail, d.Action)
		}

		// guardlambda behind aws-lambda-go's handler.
		h := guardlambda.WrapHandler(g, lambda.NewHandler(func(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
			return events.APIGatewayProxyResponse{StatusCode: 200, Body: "ok"}, nil
		}))
		for q, want := range map[string]int{"' OR 1=1 --": 403, "blue shoes": 200} {
			ev, _ := json.Marshal(events.APIGatewayProxyRequest{HTTPMethod: "GET", Path: "/s",
				QueryStringParameters: map[string]string{"q": q}, MultiValueQueryStringParameters: map[string][]string{"q": {q}},
				RequestContext: events.APIGatewayProxyRequestContext{RequestID: "r1"}})
			out, err := h.Invoke(ctx, ev)
			var resp events.APIGatewayProxyResponse
			_ = json.Unmarshal(out, &resp)
			if err != nil || resp.StatusCode != want {
				t.Errorf("fail=%v guardlambda q=%q: %d %v, want %d", fail, q, resp.StatusCode, err, want)
			}
		}

		// guardhttp behind net/http on 127.0.0.1.
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			guardhttp.Handler(g, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) })).
				ServeHTTP(w, r.WithContext(trace.ContextWithSpan(r.Context(), boomSpan{})))
		}))
		for q, want := range map[string]int{"' OR 1=1 --": 403, "blue shoes": 200} {
			resp, err := srv.Client().Get(srv.URL + "/s?q=" + url.QueryEscape(q))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != want {
				t.Errorf("fail=%v guardhttp q=%q: %d, want %d", fail, q, resp.StatusCode, want)
			}
		}
		srv.Close()
	}
}
