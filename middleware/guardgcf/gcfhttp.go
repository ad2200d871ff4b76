package guardgcf

import (
	"net/http"
	"os"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/internal/httpguard"
)

// HTTP protects a Cloud Functions HTTP function:
//
//	functions.HTTP("Hello", guardgcf.HTTP(g, hello))
//
// Every request is inspected (source guard.SourceGCFHTTP) exactly as
// guardhttp does (see its documentation for what is inspected, the client
// IP rules and the answers); blocked, rejected and failed requests are
// answered by fnguard (403, 400/413, 503 with a JSON body) and never reach
// fn. The request id is the Function-Execution-Id header; the execution id,
// K_SERVICE, K_REVISION and FUNCTION_TARGET are added to fnguard's log lines.
//
// A nil g answers every request 503 (guard.ErrNoGuard) and never calls fn;
// a nil fn answers every request 500.
func HTTP(g *guard.Guard, fn func(http.ResponseWriter, *http.Request)) func(http.ResponseWriter, *http.Request) {
	var next http.Handler
	if fn != nil {
		next = http.HandlerFunc(fn)
	}
	return httpguard.New(g, httpPlatform(), next).ServeHTTP
}

func httpPlatform() httpguard.Platform {
	return httpguard.Platform{
		Source:            guard.SourceGCFHTTP,
		Adapter:           "guardgcf",
		ExecutionIDHeader: "Function-Execution-Id",
		FunctionName:      functionName(),
		Attrs:             staticAttrs(),
	}
}

// functionName is FUNCTION_TARGET (the entry point), else K_SERVICE.
func functionName() string {
	if s := os.Getenv("FUNCTION_TARGET"); s != "" {
		return s
	}
	return os.Getenv("K_SERVICE")
}

// staticAttrs are the telemetry attributes of the process: the Cloud Run
// service and revision a function runs as, and its entry point.
func staticAttrs() []guard.Param {
	var attrs []guard.Param
	for _, kv := range [...][2]string{
		{"k_service", "K_SERVICE"},
		{"k_revision", "K_REVISION"},
		{"function_target", "FUNCTION_TARGET"},
	} {
		if v := os.Getenv(kv[1]); v != "" {
			attrs = append(attrs, guard.Param{Name: kv[0], Value: v})
		}
	}
	return attrs
}
