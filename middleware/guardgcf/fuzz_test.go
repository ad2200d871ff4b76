package guardgcf_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/cloudevents/sdk-go/v2/event"
	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardgcf"
)

// FuzzCloudEvent maps arbitrary CloudEvents: the adapter must never panic,
// and must either run the function with the event unchanged or return a
// *guard.BlockedError without running it.
func FuzzCloudEvent(f *testing.F) {
	f.Add(guardgcf.TypePubSub, topicSource, "", "application/json", pubsubData(`{"sku":"A1","qty":2}`, map[string]string{"k": "v"}))
	f.Add(guardgcf.TypePubSub, topicSource, "", "application/json", pubsubData(`' OR 1=1--`, nil))
	f.Add(guardgcf.TypePubSub, topicSource, "", "application/json", []byte(`{"message":{"data":"!!"}}`))
	f.Add(guardgcf.TypePubSub, topicSource, "", "application/json", []byte(`{"message":{"data":"e30=","attributes":{"a":"b"}},"subscription":"s"}`))
	f.Add(guardgcf.TypePubSub, topicSource, "", "", []byte(`[1,2]`))
	f.Add("google.cloud.storage.object.v1.finalized", bucketSource, "objects/a.png", "application/json", []byte(`{"bucket":"uploads-eu","name":"a.png"}`))
	f.Add("google.cloud.storage.object.v1.deleted", bucketSource, "objects/../x", "application/json", []byte(`{"bucket":"x","name":"../../etc/passwd"}`))
	f.Add("com.example.thing", "//example", "s", "text/plain", []byte("hello <b>world</b>"))
	f.Add("com.example.thing", "//example", "", "application/protobuf", []byte{0x0a, 0x01, 0xff})
	f.Add("", "", "", "", []byte(nil))
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, name := range files {
		e := loadEvent(f, filepath.Base(name))
		f.Add(e.Type(), e.Source(), e.Subject(), e.DataContentType(), e.Data())
	}
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()), guard.WithMaxBodyBytes(4096))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, ceType, source, subject, ct string, data []byte) {
		ran := false
		fn := guardgcf.CloudEvent(g, func(_ context.Context, e event.Event) error {
			ran = true
			if string(e.Data()) != string(data) {
				t.Fatalf("the function got different data")
			}
			return nil
		})
		e := event.New()
		e.SetID("fuzz-1")
		e.SetType(ceType)
		e.SetSource(source)
		if subject != "" {
			e.SetSubject(subject)
		}
		if data != nil {
			e.DataEncoded = data
			e.SetDataContentType(ct)
		}
		err := fn(context.Background(), e)
		var be *guard.BlockedError
		switch {
		case err == nil:
			if !ran {
				t.Fatal("nil error but the function did not run")
			}
		case errors.As(err, &be):
			if ran {
				t.Fatal("the function ran for a blocked event")
			}
		default:
			t.Fatalf("unexpected error %v", err)
		}
	})
}
