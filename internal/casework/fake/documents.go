package fake

import (
	"context"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// DocumentFns are the functions of the DocumentService, embedded in Service.
type DocumentFns struct {
	ClientDocumentsFn   func(ctx context.Context, a casework.Actor, clientID int64) ([]casework.Document, error)
	DocumentOptionsFn   func(ctx context.Context, a casework.Actor, clientID int64) (map[string][]process.Option, error)
	DownloadFn          func(ctx context.Context, a casework.Actor, clientID, id int64) (casework.DocumentFile, error)
	UploadFn            func(ctx context.Context, a casework.Actor, clientID int64, up casework.Upload) (casework.Document, error)
	RequestLetterFn     func(ctx context.Context, a casework.Actor, clientID int64, v casework.Values) (casework.Document, error)
	PreviewLetterFn     func(ctx context.Context, a casework.Actor, key process.LetterKey, pdf bool) (casework.LetterPreview, error)
	PreviewStepLetterFn func(ctx context.Context, a casework.Actor, taskID int64, v casework.Values) (string, error)
	PDFAvailableFn      func() bool
	UploadLimitFn       func() int64
	UploadTooLargeFn    func(size int64) error
}

func (s *DocumentFns) ClientDocuments(ctx context.Context, a casework.Actor, clientID int64) ([]casework.Document, error) {
	if s.ClientDocumentsFn == nil {
		return nil, notSet("ClientDocuments")
	}
	return s.ClientDocumentsFn(ctx, a, clientID)
}

func (s *DocumentFns) DocumentOptions(ctx context.Context, a casework.Actor, clientID int64) (map[string][]process.Option, error) {
	if s.DocumentOptionsFn == nil {
		return nil, notSet("DocumentOptions")
	}
	return s.DocumentOptionsFn(ctx, a, clientID)
}

func (s *DocumentFns) Download(ctx context.Context, a casework.Actor, clientID, id int64) (casework.DocumentFile, error) {
	if s.DownloadFn == nil {
		return casework.DocumentFile{}, notSet("Download")
	}
	return s.DownloadFn(ctx, a, clientID, id)
}

func (s *DocumentFns) Upload(ctx context.Context, a casework.Actor, clientID int64, up casework.Upload) (casework.Document, error) {
	if s.UploadFn == nil {
		return casework.Document{}, notSet("Upload")
	}
	return s.UploadFn(ctx, a, clientID, up)
}

func (s *DocumentFns) RequestLetter(ctx context.Context, a casework.Actor, clientID int64, v casework.Values) (casework.Document, error) {
	if s.RequestLetterFn == nil {
		return casework.Document{}, notSet("RequestLetter")
	}
	return s.RequestLetterFn(ctx, a, clientID, v)
}

func (s *DocumentFns) PreviewLetter(ctx context.Context, a casework.Actor, key process.LetterKey, pdf bool) (casework.LetterPreview, error) {
	if s.PreviewLetterFn == nil {
		return casework.LetterPreview{}, notSet("PreviewLetter")
	}
	return s.PreviewLetterFn(ctx, a, key, pdf)
}

func (s *DocumentFns) PreviewStepLetter(ctx context.Context, a casework.Actor, taskID int64, v casework.Values) (string, error) {
	if s.PreviewStepLetterFn == nil {
		return "", notSet("PreviewStepLetter")
	}
	return s.PreviewStepLetterFn(ctx, a, taskID, v)
}

func (s *DocumentFns) PDFAvailable() bool {
	mustSet(s.PDFAvailableFn != nil, "PDFAvailable")
	return s.PDFAvailableFn()
}

func (s *DocumentFns) UploadLimit() int64 {
	mustSet(s.UploadLimitFn != nil, "UploadLimit")
	return s.UploadLimitFn()
}

func (s *DocumentFns) UploadTooLarge(size int64) error {
	mustSet(s.UploadTooLargeFn != nil, "UploadTooLarge")
	return s.UploadTooLargeFn(size)
}

// pilotDocuments answers a client without documents or cases to upload to,
// no PDF renderer and the default upload limit.
func pilotDocuments() DocumentFns {
	return DocumentFns{
		ClientDocumentsFn: func(context.Context, casework.Actor, int64) ([]casework.Document, error) { return nil, nil },
		DocumentOptionsFn: func(context.Context, casework.Actor, int64) (map[string][]process.Option, error) {
			return map[string][]process.Option{}, nil
		},
		PDFAvailableFn: func() bool { return false },
		UploadLimitFn:  func() int64 { return casework.DefaultUploadLimit },
	}
}
