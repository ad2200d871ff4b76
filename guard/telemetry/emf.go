package telemetry

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/otel"
)

// Metrics says where a Recorder's metrics go ([Config.Metrics],
// FNGUARD_METRICS).
type Metrics string

// The metrics destinations.
const (
	// MetricsAuto (the default): OpenTelemetry when the application
	// installed a MeterProvider (in Config or with otel.SetMeterProvider),
	// otherwise CloudWatch Embedded Metric Format on AWS Lambda
	// (AWS_LAMBDA_FUNCTION_NAME set), otherwise none.
	MetricsAuto Metrics = "auto"
	// MetricsEMF writes one CloudWatch Embedded Metric Format line to
	// stdout per invocation that has a finding; OpenTelemetry instruments
	// are not used.
	MetricsEMF Metrics = "emf"
	// MetricsOTel records with the OpenTelemetry MeterProvider only.
	MetricsOTel Metrics = "otel"
	// MetricsOff records no metrics.
	MetricsOff Metrics = "off"
)

// ParseMetrics parses auto, emf, otel or off (any case, spaces trimmed).
func ParseMetrics(s string) (Metrics, error) {
	switch m := Metrics(strings.ToLower(strings.TrimSpace(s))); m {
	case MetricsAuto, MetricsEMF, MetricsOTel, MetricsOff:
		return m, nil
	}
	return "", fmt.Errorf("telemetry: metrics destination %q: want auto, emf, otel or off", s)
}

// DefaultNamespace is the CloudWatch namespace of EMF metrics when
// POWERTOOLS_METRICS_NAMESPACE is not set.
const DefaultNamespace = "fnguard"

// initialMeterProvider is the global MeterProvider before the application
// installed one: OpenTelemetry's delegating default, which records nothing
// until otel.SetMeterProvider is called. Package initialisation runs before
// any code of the application that imports fnguard.
var initialMeterProvider = otel.GetMeterProvider()

// meterProviderInstalled reports whether the application installed a
// global MeterProvider.
func meterProviderInstalled() bool { return otel.GetMeterProvider() != initialMeterProvider }

// resolveMetrics turns auto into a destination.
func resolveMetrics(m Metrics, explicitProvider bool) Metrics {
	if m != MetricsAuto && m != "" {
		return m
	}
	switch {
	case explicitProvider || meterProviderInstalled():
		return MetricsOTel
	case os.Getenv("AWS_LAMBDA_FUNCTION_NAME") != "":
		return MetricsEMF
	}
	return MetricsOff
}

// emfMetric names of the CloudWatch metrics.
const (
	emfDecisions  = "Decisions"
	emfFindings   = "Findings"
	emfInspection = "InspectionTime"
)

// emf writes CloudWatch Embedded Metric Format lines
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html):
//
//	{"_aws":{"Timestamp":<ms>,"CloudWatchMetrics":[{"Namespace":"fnguard",
//	  "Dimensions":[["service","action"],["service","action","category"]],
//	  "Metrics":[{"Name":"Decisions","Unit":"Count"},{"Name":"Findings","Unit":"Count"},
//	    {"Name":"InspectionTime","Unit":"Milliseconds"}]}]},
//	 "service":"orders","action":"block","category":"sqli","source":"aws:sqs",
//	 "Decisions":1,"Findings":2,"InspectionTime":0.21,"function_request_id":"..."}
//
// The dimension values are bounded (the service, the action and the
// category labels), so that the number of CloudWatch metrics stays small;
// source and request id are properties (searchable in Logs Insights, not
// dimensions).
type emf struct {
	head    []byte // {"_aws":{"Timestamp":
	tail    []byte // ,"CloudWatchMetrics":[...]},"service":"..."
	service bool
	out     *deadlineWriter
}

func newEMF(namespace, service string, out *deadlineWriter) *emf {
	ns, _ := json.Marshal(namespace)
	dims := `[["action"],["action","category"]]`
	var svc []byte
	if service != "" {
		dims = `[["service","action"],["service","action","category"]]`
		s, _ := json.Marshal(service)
		svc = append([]byte(`,"service":`), s...)
	}
	tail := []byte(`,"CloudWatchMetrics":[{"Namespace":` + string(ns) + `,"Dimensions":` + dims +
		`,"Metrics":[{"Name":"` + emfDecisions + `","Unit":"Count"},{"Name":"` + emfFindings + `","Unit":"Count"},{"Name":"` + emfInspection + `","Unit":"Milliseconds"}]}]}`)
	tail = append(tail, svc...)
	return &emf{head: []byte(`{"_aws":{"Timestamp":`), tail: tail, service: service != "", out: out}
}

// line appends the EMF line of one decision to b.
func (e *emf) line(b []byte, now time.Time, action, category, source, requestID string, findings int, d time.Duration) []byte {
	b = append(b, e.head...)
	b = strconv.AppendInt(b, now.UnixMilli(), 10)
	b = append(b, e.tail...)
	b = append(b, `,"action":`...)
	b = strconv.AppendQuote(b, action) // labels: [a-z0-9:._-] only, so Go and JSON quoting agree
	b = append(b, `,"category":`...)
	b = strconv.AppendQuote(b, category)
	b = append(b, `,"source":`...)
	b = strconv.AppendQuote(b, source)
	b = append(b, `,"`+emfDecisions+`":1,"`+emfFindings+`":`...)
	b = strconv.AppendInt(b, int64(findings), 10)
	b = append(b, `,"`+emfInspection+`":`...)
	b = strconv.AppendFloat(b, durationMS(d), 'f', -1, 64)
	if requestID != "" {
		id, _ := json.Marshal(requestID)
		b = append(b, `,"function_request_id":`...)
		b = append(b, id...)
	}
	return append(b, "}\n"...)
}
