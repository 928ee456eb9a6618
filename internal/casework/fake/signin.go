package fake

import (
	"context"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

// SignInFns are the second-factor and SSO methods of AccountService. Unset,
// NeedsTOTP answers false (no second step), the others fail.
type SignInFns struct {
	NeedsTOTPFn          func(u casework.User) bool
	NewTOTPFn            func(u casework.User) (casework.TOTPKey, error)
	ConfirmTOTPFn        func(ctx context.Context, userID int64, secret, code string) ([]string, error)
	VerifySecondFactorFn func(ctx context.Context, userID int64, code, address string) (casework.User, error)
	DisableTOTPFn        func(ctx context.Context, a casework.Actor) error
	ResetTOTPFn          func(ctx context.Context, a casework.Actor, userID int64) error
	RecoveryCodesLeftFn  func(ctx context.Context, a casework.Actor) (int, error)
	SignInSSOFn          func(ctx context.Context, id casework.SSOIdentity) (casework.User, error)
}

func (s *SignInFns) NeedsTOTP(u casework.User) bool {
	if s.NeedsTOTPFn == nil {
		return false
	}
	return s.NeedsTOTPFn(u)
}

func (s *SignInFns) NewTOTP(u casework.User) (casework.TOTPKey, error) {
	if s.NewTOTPFn == nil {
		return casework.TOTPKey{}, notSet("NewTOTP")
	}
	return s.NewTOTPFn(u)
}

func (s *SignInFns) ConfirmTOTP(ctx context.Context, userID int64, secret, code string) ([]string, error) {
	if s.ConfirmTOTPFn == nil {
		return nil, notSet("ConfirmTOTP")
	}
	return s.ConfirmTOTPFn(ctx, userID, secret, code)
}

func (s *SignInFns) VerifySecondFactor(ctx context.Context, userID int64, code, address string) (casework.User, error) {
	if s.VerifySecondFactorFn == nil {
		return casework.User{}, notSet("VerifySecondFactor")
	}
	return s.VerifySecondFactorFn(ctx, userID, code, address)
}

func (s *SignInFns) DisableTOTP(ctx context.Context, a casework.Actor) error {
	if s.DisableTOTPFn == nil {
		return notSet("DisableTOTP")
	}
	return s.DisableTOTPFn(ctx, a)
}

func (s *SignInFns) RecoveryCodesLeft(ctx context.Context, a casework.Actor) (int, error) {
	if s.RecoveryCodesLeftFn == nil {
		return 0, notSet("RecoveryCodesLeft")
	}
	return s.RecoveryCodesLeftFn(ctx, a)
}

func (s *SignInFns) SignInSSO(ctx context.Context, id casework.SSOIdentity) (casework.User, error) {
	if s.SignInSSOFn == nil {
		return casework.User{}, notSet("SignInSSO")
	}
	return s.SignInSSOFn(ctx, id)
}

func (s *SignInFns) ResetTOTP(ctx context.Context, a casework.Actor, userID int64) error {
	if s.ResetTOTPFn == nil {
		return notSet("ResetTOTP")
	}
	return s.ResetTOTPFn(ctx, a, userID)
}
