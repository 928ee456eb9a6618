package store

import (
	"context"
)

// SaveDefinition stores the body of a process definition version. A
// version is stored once: saving it again keeps the first body, as a
// version names one content.
func (t *tx) SaveDefinition(ctx context.Context, version string, body []byte) (err error) {
	defer wrap(&err, "SaveDefinition(%s)", version)
	if body == nil {
		body = []byte{}
	}
	_, err = t.exec(ctx, `INSERT INTO process_definitions (version, body) VALUES (?, ?)
		ON CONFLICT (version) DO NOTHING`, version, body)
	return err
}

// DefinitionBody returns the stored body of a version or ErrNotFound.
func (t *tx) DefinitionBody(ctx context.Context, version string) (_ []byte, err error) {
	defer wrap(&err, "DefinitionBody(%s)", version)
	return queryOne(ctx, t, func(s scanner) ([]byte, error) {
		var b []byte
		err := s.Scan(&b)
		return b, err
	}, `SELECT body FROM process_definitions WHERE version = ?`, version)
}
