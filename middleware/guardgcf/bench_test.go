package guardgcf_test

import (
	"context"
	"testing"

	"github.com/cloudevents/sdk-go/v2/event"
	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardgcf"
)

// BenchmarkCloudEvent compares a bare CloudEvent function with the same
// function behind guardgcf, on a Pub/Sub message and a Cloud Storage event
// from testdata.
func BenchmarkCloudEvent(b *testing.B) {
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
	if err != nil {
		b.Fatal(err)
	}
	fn := func(context.Context, event.Event) error { return nil }
	for _, file := range []string{"pubsub_benign.json", "storage_finalized.json"} {
		e := loadEvent(b, file)
		for _, bc := range []struct {
			name string
			fn   func(context.Context, event.Event) error
		}{
			{"bare", fn},
			{"guarded", guardgcf.CloudEvent(g, fn)},
		} {
			b.Run(file+"/"+bc.name, func(b *testing.B) {
				ctx := context.Background()
				b.ReportAllocs()
				b.SetBytes(int64(len(e.Data())))
				for b.Loop() {
					if err := bc.fn(ctx, e); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
