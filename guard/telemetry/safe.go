package telemetry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// Telemetry must never change a decision nor escape the engine or a
// middleware: a panicking or failing zap core, meter, span or exporter is
// contained here, and a blocked log sink cannot hold an invocation past
// its deadline.

// guardCall runs fn, turning a panic into a count and, when possible, an
// error line on stderr (never through the logger that may be the culprit).
func (r *Recorder) guardCall(stage string, fn func()) {
	defer func() {
		if p := recover(); p != nil {
			r.faults.Add(1)
			reportFault(stage, p)
		}
	}()
	fn()
}

// faultOut is where contained telemetry faults are reported: stderr,
// written with a deadline so that a blocked stderr cannot block either.
var faultOut = sync.OnceValue(func() *deadlineWriter { return newDeadlineWriter(stderrSyncer{}) })

// reportFault writes one short plain line to stderr; it never panics.
func reportFault(stage string, p any) {
	defer func() { _ = recover() }()
	msg := fmt.Sprintf("fnguard telemetry: %s failed and was contained: %v\n", stage, p)
	_, _ = faultOut().writeBy([]byte(msg), time.Now().Add(defaultWriteWait))
}

// Faults returns how many telemetry faults (panics in a log core, meter,
// span or exporter) the Recorder has contained since it was built.
func (r *Recorder) Faults() int64 { return r.faults.Load() }

// safeCore wraps a core so that a panic in it (or in the cores it writes
// through) is contained: the entry is dropped and counted.
type safeCore struct {
	zapcore.Core
	faults *atomic.Int64
}

func (c safeCore) contain(stage string) {
	if p := recover(); p != nil {
		c.faults.Add(1)
		reportFault(stage, p)
	}
}

func (c safeCore) Enabled(l zapcore.Level) (ok bool) {
	defer c.contain("log core Enabled")
	return c.Core.Enabled(l)
}

func (c safeCore) With(fs []zapcore.Field) (out zapcore.Core) {
	out = c
	defer c.contain("log core With")
	return safeCore{Core: c.Core.With(fs), faults: c.faults}
}

// Check asks the wrapped core on a private CheckedEntry, and adds a
// one-shot writer for it: the wrapped core's Write then runs inside a
// recover, whatever it does.
func (c safeCore) Check(ent zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	var inner *zapcore.CheckedEntry
	func() {
		defer c.contain("log core Check")
		inner = c.Core.Check(ent, nil)
	}()
	if inner == nil {
		return ce
	}
	return ce.AddCore(ent, checkedWriter{inner: inner, faults: c.faults})
}

func (c safeCore) Write(ent zapcore.Entry, fs []zapcore.Field) (err error) {
	defer func() {
		if p := recover(); p != nil {
			c.faults.Add(1)
			reportFault("log core Write", p)
			err = fmt.Errorf("fnguard telemetry: log core panicked: %v", p)
		}
	}()
	return c.Core.Write(ent, fs)
}

func (c safeCore) Sync() (err error) {
	defer func() {
		if p := recover(); p != nil {
			c.faults.Add(1)
			err = fmt.Errorf("fnguard telemetry: log core Sync panicked: %v", p)
		}
	}()
	return c.Core.Sync()
}

// checkedWriter writes one entry the wrapped core accepted.
type checkedWriter struct {
	inner  *zapcore.CheckedEntry
	faults *atomic.Int64
}

func (w checkedWriter) Enabled(zapcore.Level) bool        { return true }
func (w checkedWriter) With([]zapcore.Field) zapcore.Core { return w }
func (w checkedWriter) Sync() error                       { return nil }
func (w checkedWriter) Check(_ zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	return ce
}

func (w checkedWriter) Write(_ zapcore.Entry, fs []zapcore.Field) (err error) {
	defer func() {
		if p := recover(); p != nil {
			w.faults.Add(1)
			reportFault("log core Write", p)
			err = fmt.Errorf("fnguard telemetry: log core panicked: %v", p)
		}
	}()
	w.inner.Write(fs...)
	return nil
}

// defaultWriteWait is how long a log write may wait for a blocked sink
// when the invocation's context has no sooner deadline.
const defaultWriteWait = 500 * time.Millisecond

// writeDeadlineMargin is kept before the invocation's deadline: a log write
// gives up that long before it, so that the function can still answer.
const writeDeadlineMargin = 50 * time.Millisecond

// ErrSinkBlocked is returned by a log write that gave up waiting for a
// blocked sink; the line stays queued and is written when the sink
// unblocks, unless the queue is full, in which case it is dropped (and
// counted in the next line's fnguard.log_dropped).
var ErrSinkBlocked = errors.New("fnguard telemetry: log sink blocked past the write deadline")

// deadlineWriter writes through one background goroutine, so that a
// writer that blocks (a full pipe, a stalled collector) cannot hold the
// caller past a deadline. In the normal case a write returns once its
// bytes are written, so lines are neither lost nor delayed nor reordered;
// only when the sink blocks does the caller return early, leaving the line
// queued (at most queueLen lines; beyond that new lines are dropped and
// counted).
type deadlineWriter struct {
	w       zapcore.WriteSyncer
	once    sync.Once
	queue   chan *pending
	dropped atomic.Int64
}

type pending struct {
	p    []byte
	sync bool
	done chan error
}

const queueLen = 256

func newDeadlineWriter(w zapcore.WriteSyncer) *deadlineWriter {
	return &deadlineWriter{w: w, queue: make(chan *pending, queueLen)}
}

func (d *deadlineWriter) loop() {
	for l := range d.queue {
		var err error
		func() {
			defer func() {
				if p := recover(); p != nil {
					err = fmt.Errorf("fnguard telemetry: log sink panicked: %v", p)
				}
			}()
			if l.sync {
				err = d.w.Sync()
			} else {
				_, err = d.w.Write(l.p)
			}
		}()
		l.done <- err // buffered: never blocks
	}
}

// writeBy writes p, waiting at most until deadline.
func (d *deadlineWriter) writeBy(p []byte, deadline time.Time) (int, error) {
	l := &pending{p: append([]byte(nil), p...), done: make(chan error, 1)}
	if err := d.submit(l, deadline); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (d *deadlineWriter) submit(l *pending, deadline time.Time) error {
	d.once.Do(func() { go d.loop() })
	wait := time.Until(deadline)
	if wait <= 0 {
		wait = time.Millisecond
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case d.queue <- l:
	case <-t.C:
		d.dropped.Add(1)
		return ErrSinkBlocked
	}
	select {
	case err := <-l.done:
		return err
	case <-t.C:
		return ErrSinkBlocked
	}
}

// Write implements io.Writer with the default wait.
func (d *deadlineWriter) Write(p []byte) (int, error) {
	return d.writeBy(p, time.Now().Add(defaultWriteWait))
}

// Sync flushes the sink, with the default wait.
func (d *deadlineWriter) Sync() error {
	return d.submit(&pending{sync: true, done: make(chan error, 1)}, time.Now().Add(defaultWriteWait))
}

// stderrSyncer writes to the current os.Stderr.
type stderrSyncer struct{}

func (stderrSyncer) Write(p []byte) (int, error) { return stderrWriter().Write(p) }
func (stderrSyncer) Sync() error                 { return nil }

// writeDeadline is the deadline of a log write made while recording an
// invocation whose context is ctx.
func writeDeadline(ctx context.Context) time.Time {
	d := time.Now().Add(defaultWriteWait)
	if dl, ok := ctx.Deadline(); ok {
		if dl = dl.Add(-writeDeadlineMargin); dl.Before(d) {
			d = dl
		}
	}
	return d
}

// deadlineKey carries a write deadline from Record to the sink core, as a
// field that every encoder skips.
type deadlineMarker struct{ t time.Time }

func deadlineField(t time.Time) zap.Field {
	return zap.Field{Key: "", Type: zapcore.SkipType, Interface: deadlineMarker{t}}
}

// sinkCore encodes entries like zapcore.NewCore and writes them through a
// deadlineWriter, with the deadline Record passed in a deadlineField (the
// default wait otherwise).
type sinkCore struct {
	zapcore.LevelEnabler
	enc zapcore.Encoder
	out *deadlineWriter
}

func (c *sinkCore) With(fs []zapcore.Field) zapcore.Core {
	enc := c.enc.Clone()
	for i := range fs {
		fs[i].AddTo(enc)
	}
	return &sinkCore{LevelEnabler: c.LevelEnabler, enc: enc, out: c.out}
}

func (c *sinkCore) Check(ent zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if c.Enabled(ent.Level) {
		return ce.AddCore(ent, c)
	}
	return ce
}

func (c *sinkCore) Write(ent zapcore.Entry, fs []zapcore.Field) error {
	deadline := time.Time{}
	for _, f := range fs {
		if m, ok := f.Interface.(deadlineMarker); ok && f.Type == zapcore.SkipType {
			deadline = m.t
		}
	}
	if deadline.IsZero() {
		deadline = time.Now().Add(defaultWriteWait)
	}
	if n := c.out.dropped.Swap(0); n > 0 {
		fs = append(fs[:len(fs):len(fs)], zap.Int64("fnguard.log_dropped", n))
	}
	buf, err := c.enc.EncodeEntry(ent, fs)
	if err != nil {
		return err
	}
	_, err = c.out.writeBy(buf.Bytes(), deadline)
	buf.Free()
	return err
}

func (c *sinkCore) Sync() error { return c.out.Sync() }

var _ io.Writer = (*deadlineWriter)(nil)

// stderrWriter is the process's current stderr.
func stderrWriter() io.Writer { return os.Stderr }
