package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

// Documents are inserted once; afterwards only a letter's rendered PDF
// (once, where none is stored) and its posting are written. Lists read
// neither the bytes nor the HTML: a client with many scans lists as fast
// as one without.

const documentListCols = `d.id, d.client_id, d.case_id, d.kind, d.title, d.file_name, d.content_type, d.size, d.sha256,
	d.content IS NOT NULL, d.channel, d.status, d.message_id, d.posted_at, d.posted_by, d.posted_by_name, d.created_by,
	d.created_by_name, d.created_at, d.rendered_at, COALESCE(c.code, ''), COALESCE(m.status, '')`

const documentFrom = ` FROM documents d LEFT JOIN cases c ON c.id = d.case_id LEFT JOIN messages m ON m.id = d.message_id`

func scanDocument(s scanner, extra ...any) (casework.Document, error) {
	var d casework.Document
	dest := []any{&d.ID, &d.ClientID, idCol{&d.CaseID}, &d.Kind, &d.Title, &d.FileName, &d.ContentType, &d.Size, &d.SHA256,
		&d.HasContent, &d.Channel, &d.Status, idCol{&d.MessageID}, timeCol{&d.PostedAt}, idCol{&d.PostedBy}, &d.PostedByName,
		idCol{&d.CreatedBy}, &d.CreatedByName, timeCol{&d.CreatedAt}, timeCol{&d.RenderedAt}, &d.CaseCode, &d.MessageStatus}
	err := s.Scan(append(dest, extra...)...)
	return d, err
}

func scanDocumentHTML(s scanner) (casework.Document, error) {
	var html string
	d, err := scanDocument(s, &html)
	d.HTML = html
	return d, err
}

// AddDocument stores d with its bytes (nil: none yet), sets its ID and,
// from content, its Size, SHA256 and HasContent (and CreatedAt when zero).
func (t *tx) AddDocument(ctx context.Context, d *casework.Document, content []byte) (err error) {
	defer wrap(&err, "AddDocument(client %d, case %d)", d.ClientID, d.CaseID)
	stamp(&d.CreatedAt)
	var body any
	if content != nil {
		d.Size, d.SHA256, d.HasContent = int64(len(content)), hexSHA256(content), true
		body = content
	}
	id, err := t.insert(ctx, `INSERT INTO documents (client_id, case_id, kind, title, file_name, content_type, size, sha256,
		content, html, channel, status, message_id, created_by, created_by_name, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		d.ClientID, idArg(d.CaseID), d.Kind, d.Title, d.FileName, d.ContentType, d.Size, d.SHA256, body, d.HTML,
		d.Channel, d.Status, idArg(d.MessageID), idArg(d.CreatedBy), d.CreatedByName, timeArg(d.CreatedAt))
	if err != nil {
		return err
	}
	d.ID = id
	return nil
}

// DocumentsByClient lists the client's documents, newest first, without
// their bytes or HTML.
func (t *tx) DocumentsByClient(ctx context.Context, clientID int64) (_ []casework.Document, err error) {
	defer wrap(&err, "DocumentsByClient(%d)", clientID)
	return queryAll(ctx, t, func(s scanner) (casework.Document, error) { return scanDocument(s) },
		`SELECT `+documentListCols+documentFrom+` WHERE d.client_id = ? ORDER BY d.created_at DESC, d.id DESC`, clientID)
}

// DocumentByID returns a document with its HTML, without its bytes.
func (t *tx) DocumentByID(ctx context.Context, id int64) (_ casework.Document, err error) {
	defer wrap(&err, "DocumentByID(%d)", id)
	return queryOne(ctx, t, scanDocumentHTML, `SELECT `+documentListCols+`, d.html`+documentFrom+` WHERE d.id = ?`, id)
}

// DocumentByMessage returns the document an outbox message carries.
func (t *tx) DocumentByMessage(ctx context.Context, messageID int64) (_ casework.Document, err error) {
	defer wrap(&err, "DocumentByMessage(%d)", messageID)
	return queryOne(ctx, t, scanDocumentHTML, `SELECT `+documentListCols+`, d.html`+documentFrom+` WHERE d.message_id = ?
		ORDER BY d.id LIMIT 1`, messageID)
}

// DocumentContent returns a document's bytes, or ErrNotFound when the
// document does not exist or has none.
func (t *tx) DocumentContent(ctx context.Context, id int64) (_ []byte, err error) {
	defer wrap(&err, "DocumentContent(%d)", id)
	return queryOne(ctx, t, func(s scanner) ([]byte, error) {
		var b []byte
		err := s.Scan(&b)
		return b, err
	}, `SELECT content FROM documents WHERE id = ? AND content IS NOT NULL`, id)
}

// SetDocumentPDF stores a letter's rendered PDF where none is stored yet
// and reports whether it did: a concurrent render may have been first.
func (t *tx) SetDocumentPDF(ctx context.Context, id int64, pdf []byte, at time.Time) (_ bool, err error) {
	defer wrap(&err, "SetDocumentPDF(%d)", id)
	n, err := t.exec(ctx, `UPDATE documents SET content = ?, content_type = ?, size = ?, sha256 = ?, rendered_at = ?
		WHERE id = ? AND content IS NULL`, pdf, casework.ContentPDF, len(pdf), hexSHA256(pdf), timeArg(at), id)
	return n == 1, err
}

// MarkDocumentsPosted records the client's letters waiting to be printed
// as printed and posted.
func (t *tx) MarkDocumentsPosted(ctx context.Context, clientID int64, at time.Time, by int64, byName string) (_ int, err error) {
	defer wrap(&err, "MarkDocumentsPosted(client %d)", clientID)
	n, err := t.exec(ctx, `UPDATE documents SET status = ?, posted_at = ?, posted_by = ?, posted_by_name = ?
		WHERE client_id = ? AND status = ?`, casework.DocumentPosted, timeArg(at), idArg(by), byName, clientID, casework.DocumentToPrint)
	return int(n), err
}

// hexSHA256 is the hex SHA-256 of b.
func hexSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
