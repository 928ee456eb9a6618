package casework

import (
	"context"
	"sync"
)

// batcher runs small write transactions of many callers together: each
// caller's work joins the others waiting at the time and they commit as
// one transaction, so that a burst of them costs one commit and takes a
// contended lock (the audit chain's head) once. The first caller to find
// no batch running runs the batches until its own work is done; work that
// is still waiting then is run by a goroutine that ends when the queue is
// empty. When a batch fails, each of its works runs again on its own, so
// one failing work fails only its caller. Order is kept: works commit in
// the order they came.
type batcher[T any] struct {
	store   Transactor[T]
	max     int // works per transaction at most
	mu      sync.Mutex
	pending []*batchWork[T]
	running bool
}

type batchWork[T any] struct {
	fn   func(T) error
	done chan error
}

// do runs fn in a transaction shared with other callers' work and returns
// its result once that transaction has committed or failed.
func (b *batcher[T]) do(ctx context.Context, fn func(T) error) error {
	w := &batchWork[T]{fn: fn, done: make(chan error, 1)}
	b.mu.Lock()
	b.pending = append(b.pending, w)
	lead := !b.running
	b.running = true
	b.mu.Unlock()
	if !lead {
		return <-w.done
	}
	for {
		select {
		case err := <-w.done:
			// Done; whatever came meanwhile is run on, without this caller.
			if b.waiting() {
				go b.drain(context.WithoutCancel(ctx))
			}
			return err
		default:
		}
		batch := b.next()
		if batch == nil {
			return <-w.done // unreachable: w is done before the queue is empty
		}
		b.run(ctx, batch)
	}
}

// next takes the next batch off the queue; nil, and running cleared, when
// the queue is empty.
func (b *batcher[T]) next() []*batchWork[T] {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.pending) == 0 {
		b.running = false
		return nil
	}
	n := min(len(b.pending), b.max)
	batch := b.pending[:n:n]
	b.pending = b.pending[n:]
	return batch
}

// waiting reports whether work is waiting (running stays set for whoever
// runs it); when none is, running is cleared.
func (b *batcher[T]) waiting() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.pending) == 0 {
		b.running = false
		return false
	}
	return true
}

func (b *batcher[T]) drain(ctx context.Context) {
	for batch := b.next(); batch != nil; batch = b.next() {
		b.run(ctx, batch)
	}
}

// run commits batch as one transaction, or each work alone when that fails.
func (b *batcher[T]) run(ctx context.Context, batch []*batchWork[T]) {
	err := b.store.Update(ctx, func(tx T) error {
		for _, w := range batch {
			if err := w.fn(tx); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil || len(batch) == 1 {
		for _, w := range batch {
			w.done <- err
		}
		return
	}
	for _, w := range batch {
		w.done <- b.store.Update(ctx, w.fn)
	}
}
