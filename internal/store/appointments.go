package store

import (
	"context"
	"fmt"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

const appointmentCols = `a.id, a.case_id, a.client_id, a.kind, a.start_at, a.end_at, a.room, a.klantmanager_id,
	a.cancelled, a.created_by, a.created_at, a.uid, a.sequence, a.status, COALESCE(u.name, '')`

const appointmentFrom = ` FROM appointments a LEFT JOIN users u ON u.id = a.klantmanager_id`

func scanAppointment(s scanner) (casework.Appointment, error) {
	var a casework.Appointment
	err := s.Scan(&a.ID, idCol{&a.CaseID}, &a.ClientID, &a.Kind, timeCol{&a.StartAt}, timeCol{&a.EndAt}, &a.Room,
		idCol{&a.KlantmanagerID}, &a.Cancelled, idCol{&a.CreatedBy}, timeCol{&a.CreatedAt}, &a.UID, &a.Sequence,
		&a.Status, &a.KlantmanagerName)
	return a, err
}

// CreateAppointment stores the appointment and reserves its room (unless
// a.Room is empty) and its klantmanager (unless 0) for each of slots, and
// sets its ID (and CreatedAt when zero, Status planned when empty). The
// caller cuts the slots; a slot already taken fails with
// ErrDuplicate("room") or ErrDuplicate("person") and stores nothing, also
// when another transaction booked it at the same moment.
func (t *tx) CreateAppointment(ctx context.Context, a *casework.Appointment, slots []time.Time) (err error) {
	defer wrap(&err, "CreateAppointment(client %d, case %d)", a.ClientID, a.CaseID)
	stamp(&a.CreatedAt)
	if a.Status == "" {
		a.Status = process.AppointmentPlanned
	}
	return t.atomic(ctx, func() error {
		id, err := t.insert(ctx, `INSERT INTO appointments (case_id, client_id, kind, start_at, end_at, room,
			klantmanager_id, cancelled, created_by, created_at, uid, sequence, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			idArg(a.CaseID), a.ClientID, a.Kind, timeArg(a.StartAt), timeArg(a.EndAt), a.Room,
			idArg(a.KlantmanagerID), a.Cancelled, idArg(a.CreatedBy), timeArg(a.CreatedAt), a.UID, a.Sequence, a.Status)
		if err != nil {
			return err
		}
		if err := t.reserve(ctx, id, a.Room, a.KlantmanagerID, slots); err != nil {
			return err
		}
		a.ID = id
		return nil
	})
}

// CancelAppointment marks the appointment cancelled and frees its room and
// klantmanager slots. It fails with ErrNotFound.
func (t *tx) CancelAppointment(ctx context.Context, id int64) (err error) {
	defer wrap(&err, "CancelAppointment(%d)", id)
	return t.atomic(ctx, func() error {
		n, err := t.exec(ctx, `UPDATE appointments SET cancelled = ?, sequence = sequence + 1 WHERE id = ?`, true, id)
		if err := mustTouch(n, err); err != nil {
			return err
		}
		return t.release(ctx, id)
	})
}

// SetAppointmentStatus records that a planned appointment was held or
// missed. It fails with ErrNotFound, and with ErrStale when the
// appointment is no longer planned (cancelled, or recorded meanwhile).
func (t *tx) SetAppointmentStatus(ctx context.Context, id int64, status string) (err error) {
	defer wrap(&err, "SetAppointmentStatus(%d, %s)", id, status)
	n, err := t.exec(ctx, `UPDATE appointments SET status = ? WHERE id = ? AND status = ? AND cancelled = ?`, status, id, process.AppointmentPlanned, false)
	return t.versioned(ctx, n, err, "appointments", id)
}

// AppointmentByID returns the appointment or ErrNotFound.
func (t *tx) AppointmentByID(ctx context.Context, id int64) (_ casework.Appointment, err error) {
	defer wrap(&err, "AppointmentByID(%d)", id)
	return queryOne(ctx, t, scanAppointment,
		`SELECT `+appointmentCols+appointmentFrom+` WHERE a.id = ?`, id)
}

// AppointmentsByClient returns the client's appointments, cancelled ones
// included, by start time.
func (t *tx) AppointmentsByClient(ctx context.Context, clientID int64) (_ []casework.Appointment, err error) {
	defer wrap(&err, "AppointmentsByClient(%d)", clientID)
	return queryAll(ctx, t, scanAppointment,
		`SELECT `+appointmentCols+appointmentFrom+` WHERE a.client_id = ? ORDER BY a.start_at, a.id`, clientID)
}

// MoveAppointment writes a's time, room, klantmanager and sequence and
// moves its reservations to slots. A slot taken by another appointment
// fails with ErrDuplicate("room") or ErrDuplicate("person") and changes
// nothing.
func (t *tx) MoveAppointment(ctx context.Context, a *casework.Appointment, slots []time.Time) (err error) {
	defer wrap(&err, "MoveAppointment(%d)", a.ID)
	return t.atomic(ctx, func() error {
		n, err := t.exec(ctx, `UPDATE appointments SET start_at = ?, end_at = ?, room = ?, klantmanager_id = ?,
			sequence = ? WHERE id = ? AND cancelled = ?`,
			timeArg(a.StartAt), timeArg(a.EndAt), a.Room, idArg(a.KlantmanagerID), a.Sequence, a.ID, false)
		if err := mustTouch(n, err); err != nil {
			return err
		}
		if err := t.release(ctx, a.ID); err != nil {
			return err
		}
		return t.reserve(ctx, a.ID, a.Room, a.KlantmanagerID, slots)
	})
}

// reserve books room (unless empty) and klantmanager (unless 0) for each
// slot. The primary keys of room_slots and person_slots refuse a slot
// that is taken, also by a transaction committing at the same moment.
func (t *tx) reserve(ctx context.Context, id int64, room string, km int64, slots []time.Time) error {
	seen := make(map[time.Time]bool, len(slots))
	for _, s := range slots {
		slot := timeArg(s)
		if slot == nil || seen[slot.(time.Time)] {
			continue
		}
		seen[slot.(time.Time)] = true
		if room != "" {
			if _, err := t.exec(ctx, `INSERT INTO room_slots (room, slot, appointment_id) VALUES (?, ?, ?)`,
				room, slot, id); err != nil {
				return err
			}
		}
		if km != 0 {
			if _, err := t.exec(ctx, `INSERT INTO person_slots (user_id, slot, appointment_id) VALUES (?, ?, ?)`,
				km, slot, id); err != nil {
				return err
			}
		}
	}
	return nil
}

// release frees the appointment's room and klantmanager slots.
func (t *tx) release(ctx context.Context, id int64) error {
	if _, err := t.exec(ctx, `DELETE FROM room_slots WHERE appointment_id = ?`, id); err != nil {
		return fmt.Errorf("free room slots: %w", err)
	}
	if _, err := t.exec(ctx, `DELETE FROM person_slots WHERE appointment_id = ?`, id); err != nil {
		return fmt.Errorf("free person slots: %w", err)
	}
	return nil
}
