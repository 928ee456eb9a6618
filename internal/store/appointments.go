package store

import (
	"context"
	"fmt"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

const appointmentCols = `a.id, a.case_id, a.client_id, a.kind, a.start_at, a.end_at, a.room, a.klantmanager_id,
	a.cancelled, a.created_by, a.created_at, COALESCE(u.name, '')`

const appointmentFrom = ` FROM appointments a LEFT JOIN users u ON u.id = a.klantmanager_id`

func scanAppointment(s scanner) (casework.Appointment, error) {
	var a casework.Appointment
	err := s.Scan(&a.ID, idCol{&a.CaseID}, &a.ClientID, &a.Kind, timeCol{&a.StartAt}, timeCol{&a.EndAt}, &a.Room,
		idCol{&a.KlantmanagerID}, &a.Cancelled, idCol{&a.CreatedBy}, timeCol{&a.CreatedAt}, &a.KlantmanagerName)
	return a, err
}

// CreateAppointment stores the appointment and reserves its room (unless
// a.Room is empty) and its klantmanager (unless 0) for each of slots, and
// sets its ID (and CreatedAt when zero). The caller cuts the slots; a slot
// already taken fails with ErrDuplicate("room") or ErrDuplicate("person")
// and stores nothing, also when another transaction booked it at the same
// moment.
func (t *tx) CreateAppointment(ctx context.Context, a *casework.Appointment, slots []time.Time) error {
	stamp(&a.CreatedAt)
	return t.atomic(ctx, func() error {
		id, err := t.insert(ctx, `INSERT INTO appointments (case_id, client_id, kind, start_at, end_at, room,
			klantmanager_id, cancelled, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			idArg(a.CaseID), a.ClientID, a.Kind, timeArg(a.StartAt), timeArg(a.EndAt), a.Room,
			idArg(a.KlantmanagerID), a.Cancelled, idArg(a.CreatedBy), timeArg(a.CreatedAt))
		if err != nil {
			return fmt.Errorf("create appointment: %w", err)
		}
		seen := make(map[time.Time]bool, len(slots))
		for _, s := range slots {
			slot := timeArg(s)
			if slot == nil || seen[slot.(time.Time)] {
				continue
			}
			seen[slot.(time.Time)] = true
			if a.Room != "" {
				if _, err := t.exec(ctx, `INSERT INTO room_slots (room, slot, appointment_id) VALUES (?, ?, ?)`,
					a.Room, slot, id); err != nil {
					return err
				}
			}
			if a.KlantmanagerID != 0 {
				if _, err := t.exec(ctx, `INSERT INTO person_slots (user_id, slot, appointment_id) VALUES (?, ?, ?)`,
					a.KlantmanagerID, slot, id); err != nil {
					return err
				}
			}
		}
		a.ID = id
		return nil
	})
}

// CancelAppointment marks the appointment cancelled and frees its room and
// klantmanager slots. It fails with ErrNotFound.
func (t *tx) CancelAppointment(ctx context.Context, id int64) error {
	return t.atomic(ctx, func() error {
		n, err := t.exec(ctx, `UPDATE appointments SET cancelled = ? WHERE id = ?`, true, id)
		if err := mustTouch(n, err, "appointment", id); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `DELETE FROM room_slots WHERE appointment_id = ?`, id); err != nil {
			return fmt.Errorf("cancel appointment %d: %w", id, err)
		}
		if _, err := t.exec(ctx, `DELETE FROM person_slots WHERE appointment_id = ?`, id); err != nil {
			return fmt.Errorf("cancel appointment %d: %w", id, err)
		}
		return nil
	})
}

// AppointmentByID returns the appointment or ErrNotFound.
func (t *tx) AppointmentByID(ctx context.Context, id int64) (casework.Appointment, error) {
	return queryOne(ctx, t, fmt.Sprintf("appointment %d", id), scanAppointment,
		`SELECT `+appointmentCols+appointmentFrom+` WHERE a.id = ?`, id)
}

// AppointmentsByClient returns the client's appointments, cancelled ones
// included, by start time.
func (t *tx) AppointmentsByClient(ctx context.Context, clientID int64) ([]casework.Appointment, error) {
	return queryAll(ctx, t, scanAppointment,
		`SELECT `+appointmentCols+appointmentFrom+` WHERE a.client_id = ? ORDER BY a.start_at, a.id`, clientID)
}
