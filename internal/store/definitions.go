package store

import (
	"context"
	"fmt"
)

// SaveDefinition stores the body of a process definition version. A
// version is stored once: saving it again keeps the first body, as a
// version names one content.
func (t *tx) SaveDefinition(ctx context.Context, version string, body []byte) error {
	if body == nil {
		body = []byte{}
	}
	_, err := t.exec(ctx, `INSERT INTO process_definitions (version, body) VALUES (?, ?)
		ON CONFLICT (version) DO NOTHING`, version, body)
	if err != nil {
		return fmt.Errorf("save definition %s: %w", version, err)
	}
	return nil
}

// DefinitionBody returns the stored body of a version or ErrNotFound.
func (t *tx) DefinitionBody(ctx context.Context, version string) ([]byte, error) {
	return queryOne(ctx, t, "definition "+version, func(s scanner) ([]byte, error) {
		var b []byte
		err := s.Scan(&b)
		return b, err
	}, `SELECT body FROM process_definitions WHERE version = ?`, version)
}
