package casework

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// logStore is a Transactor whose transactions append to a log: a
// transaction's lines are kept when it commits (fn returns nil) and
// dropped when it fails. gate, when set, holds the first transaction until
// it is closed.
type logStore struct {
	mu        sync.Mutex
	committed []string
	txs       int
	gate      chan struct{}
	atGate    chan struct{} // closed when the first transaction waits at gate
	gated     sync.Once
}

func newLogStore() *logStore {
	return &logStore{gate: make(chan struct{}), atGate: make(chan struct{})}
}

type logTx struct{ lines []string }

func (s *logStore) Update(_ context.Context, fn func(*logTx) error) error {
	if s.gate != nil {
		first := false
		s.gated.Do(func() { first = true })
		if first {
			close(s.atGate)
			<-s.gate
		}
	}
	tx := &logTx{}
	if err := fn(tx); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.txs++
	s.committed = append(s.committed, tx.lines...)
	return nil
}

func (s *logStore) View(ctx context.Context, fn func(*logTx) error) error { return s.Update(ctx, fn) }

// TestBatcher: works that arrive while a transaction runs commit together
// in the next one, in the order they came; a work that fails fails only its
// own caller, the others of its batch commit without it.
func TestBatcher(t *testing.T) {
	ctx := context.Background()
	s := newLogStore()
	b := &batcher[*logTx]{store: s, max: 64}
	bad := errors.New("this work fails")
	results := make([]error, 10)
	var wg sync.WaitGroup
	work := func(i int) {
		results[i] = b.do(ctx, func(tx *logTx) error {
			if i == 5 {
				tx.lines = append(tx.lines, "half of 5")
				return bad
			}
			tx.lines = append(tx.lines, fmt.Sprint(i))
			return nil
		})
	}
	wg.Go(func() { work(0) }) // leads; its transaction waits at the gate
	<-s.atGate
	for i := 1; i < 10; i++ {
		wg.Go(func() { work(i) })
		waitQueued(t, b, i) // one after the other: their order is known
	}
	close(s.gate)
	wg.Wait()
	for i, err := range results {
		if want := error(nil); i == 5 {
			want = bad
			if !errors.Is(err, want) {
				t.Errorf("work 5: %v, want %v", err, want)
			}
		} else if err != nil {
			t.Errorf("work %d: %v", i, err)
		}
	}
	want := []string{"0", "1", "2", "3", "4", "6", "7", "8", "9"}
	if !slices.Equal(s.committed, want) {
		t.Errorf("committed %v, want %v", s.committed, want)
	}
	// 0 alone; 1–9 together, which failed on 5; then each of 1–9 alone
	// but 5: 1 + 8 transactions, not 9 + 1.
	if s.txs != 9 {
		t.Errorf("%d transactions committed, want 9", s.txs)
	}

	// Without a failure, the nine that waited commit in one transaction.
	s2 := newLogStore()
	b2 := &batcher[*logTx]{store: s2, max: 64}
	var wg2 sync.WaitGroup
	for i := range 10 {
		wg2.Go(func() {
			if err := b2.do(ctx, func(tx *logTx) error { tx.lines = append(tx.lines, fmt.Sprint(i)); return nil }); err != nil {
				t.Error(err)
			}
		})
		if i == 0 {
			<-s2.atGate
		} else {
			waitQueued(t, b2, i)
		}
	}
	close(s2.gate)
	wg2.Wait()
	if s2.txs != 2 || len(s2.committed) != 10 {
		t.Errorf("%d transactions, %d lines; want 2 transactions (the first alone, then the nine that waited), 10 lines", s2.txs, len(s2.committed))
	}
}

// waitQueued polls until n works wait in b's queue (at most 10 s).
func waitQueued(t *testing.T, b *batcher[*logTx], n int) {
	t.Helper()
	until := time.Now().Add(10 * time.Second)
	for {
		b.mu.Lock()
		got := len(b.pending)
		b.mu.Unlock()
		if got == n {
			return
		}
		if time.Now().After(until) {
			t.Fatalf("%d works queued after 10 s, want %d", got, n)
		}
		time.Sleep(time.Millisecond)
	}
}
