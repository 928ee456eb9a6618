package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/config"
	"github.com/bar-organisatie/werkdiagnose/internal/demo"
	"github.com/bar-organisatie/werkdiagnose/internal/ics"
	"github.com/bar-organisatie/werkdiagnose/internal/jobs"
	"github.com/bar-organisatie/werkdiagnose/internal/letters"
	"github.com/bar-organisatie/werkdiagnose/internal/mailer"
	"github.com/bar-organisatie/werkdiagnose/internal/origin"
	"github.com/bar-organisatie/werkdiagnose/internal/pdf"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/server"
	"github.com/bar-organisatie/werkdiagnose/internal/settings"
	"github.com/bar-organisatie/werkdiagnose/internal/store"
	"github.com/bar-organisatie/werkdiagnose/internal/worker"
)

// DemoPassword is the password of every demo account. Demo data is for
// trying the system on a laptop, never for production.
const DemoPassword = "werkdiagnose-demo"

// common holds the flags every command shares.
type common struct {
	configPath string
	database   string
}

func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.configPath, "config", "", "JSON configuration file (or WERKDIAGNOSE_CONFIG)")
	fs.StringVar(&c.database, "database", "", "SQLite file path or postgres:// URL (or WERKDIAGNOSE_DATABASE)")
}

// app is an opened instance: configuration, store and service.
type app struct {
	cfg config.Config
	db  *store.DB
	def *process.Definition
	svc *casework.Service
	pdf *pdf.Renderer // nil: letters are not printed to PDF
}

// close stops the PDF renderer's browser and closes the database.
func (a *app) close() {
	if a.pdf != nil {
		a.pdf.Close()
	}
	a.db.Close()
}

// pdfRenderer is the PDF renderer the configuration asks for, or nil:
// "none", or no Chromium found (which is logged, and the pages say so).
func pdfRenderer(c settings.PDF, log *slog.Logger) *pdf.Renderer {
	if c.Renderer == settings.RendererNone {
		return nil
	}
	path, err := pdf.Find(c.Chromium)
	if err != nil {
		log.Warn("letters are kept as HTML: no PDF renderer", "err", err)
		return nil
	}
	// One render at a time: a render keeps a core busy for a second or
	// two, and the web server must stay responsive while the worker prints
	// the letters of a morning's mail.
	return pdf.New(path, c.TimeoutDuration(), 1)
}

func (c *common) open(ctx context.Context, log *slog.Logger, tweak func(*config.Config)) (*app, error) {
	cfg, err := config.Load(c.configPath)
	if err != nil {
		return nil, err
	}
	if c.database != "" {
		cfg.Database = c.database
	}
	if tweak != nil {
		tweak(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	pool, err := cfg.DatabasePool.Durations() // checked by Validate
	if err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, cfg.Database, store.WithJobs(jobs.Kinds{}),
		store.WithPool(cfg.DatabasePool.MaxConns, pool.AcquireTimeout), store.WithSlowQueryLog(log, pool.SlowQuery))
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	def, err := process.NewDefinition(cfg.Policy)
	if err != nil {
		db.Close()
		return nil, err
	}
	lt, err := letters.New(cfg.Casework.Letterhead.Logo)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("config: casework.letterhead: %w", err)
	}
	a := &app{cfg: cfg, db: db, def: def, pdf: pdfRenderer(cfg.PDF, log)}
	deps := casework.Deps{Store: db, Invitations: ics.Invitations{}, Letters: lt, Log: log}
	if a.pdf != nil {
		deps.PDF = a.pdf
	}
	if a.svc, err = casework.NewService(ctx, deps, def, cfg.Casework); err != nil {
		a.close()
		return nil, err
	}
	return a, nil
}

// withApp runs fn on the instance opened by a command whose only flags are
// the common ones, and closes it afterwards.
func withApp(ctx context.Context, name string, args []string, log *slog.Logger, fn func(*app) error) error {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	var c common
	c.register(fs)
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	a, err := c.open(ctx, log, nil)
	if err != nil {
		return err
	}
	defer a.close()
	return fn(a)
}

func cmdMigrate(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	return withApp(ctx, "migrate", args, log, func(a *app) error {
		fmt.Fprintf(stdout, "Database %s is bijgewerkt (process definition %s).\n", a.db.Engine(), a.def.Version)
		return nil
	})
}

func cmdDemo(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	return withApp(ctx, "demo", args, log, func(a *app) error { return loadDemo(ctx, a, stdout, log) })
}

func loadDemo(ctx context.Context, a *app, stdout io.Writer, log *slog.Logger) error {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	sum, err := demo.Load(ctx, a.db, a.def, a.cfg.Casework, quiet, time.Now(), DemoPassword)
	if err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	log.Info("demo data loaded", "clients", sum.Clients, "meldingen", sum.Meldingen, "users", len(sum.Users))
	printLogins(stdout, sum.Users)
	return nil
}

func printLogins(w io.Writer, users []casework.User) {
	fmt.Fprintf(w, "\nDemo-accounts (wachtwoord voor allemaal: %s):\n", DemoPassword)
	order := map[string]int{}
	for i, a := range demo.Accounts {
		order[a.Username] = i
	}
	users = slices.Clone(users)
	slices.SortStableFunc(users, func(a, b casework.User) int { return order[a.Username] - order[b.Username] })
	for _, u := range users {
		if u.System {
			continue
		}
		fmt.Fprintf(w, "  %-8s %-22s %s\n", u.Username, u.Name, u.RoleNames())
	}
	fmt.Fprintf(w, "\nDe functioneel beheerder logt in met een code uit een authenticator-app (TOTP, 6 cijfers, 30 s).\n"+
		"Voeg deze sleutel toe aan de app: %s\n  (%s)\n", demo.BeheerderTOTPSecret, casework.TOTPURL("bram", demo.BeheerderTOTPSecret))
}

func cmdUserAdd(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	var c common
	c.register(fs)
	var in casework.NewUser
	var roles string
	fs.StringVar(&in.Username, "username", "", "login name")
	fs.StringVar(&in.Name, "name", "", "full name")
	fs.StringVar(&in.Email, "email", "", "e-mail address")
	fs.StringVar(&roles, "roles", "", "comma-separated roles: "+roleKeys())
	fs.StringVar(&in.Password, "password", "", "password (at least 12 characters); empty with --system")
	fs.BoolVar(&in.System, "system", false, "a system account that acts only through API tokens")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	for _, r := range strings.Split(roles, ",") {
		if r = strings.TrimSpace(r); r != "" {
			in.Roles = append(in.Roles, r)
		}
	}
	a, err := c.open(ctx, log, nil)
	if err != nil {
		return err
	}
	defer a.close()
	u, err := a.svc.CreateUser(ctx, nil, in)
	if err != nil {
		if f := casework.FieldErrors(err); len(f) > 0 {
			var b strings.Builder
			for k, v := range f {
				fmt.Fprintf(&b, "\n  --%s: %s", k, v)
			}
			return fmt.Errorf("%s%s", casework.ErrorMessage(err), b.String())
		}
		return err
	}
	fmt.Fprintf(stdout, "Account %s (%s) aangemaakt met rollen: %s\n", u.Username, u.Name, u.RoleNames())
	return nil
}

func roleKeys() string {
	keys := make([]string, 0, len(process.AllRoles))
	for _, r := range process.AllRoles {
		keys = append(keys, string(r))
	}
	return strings.Join(keys, ",")
}

func cmdServe(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var c common
	c.register(fs)
	addr := fs.String("addr", "", "listen address (default :8080, or WERKDIAGNOSE_ADDR)")
	withDemo := fs.Bool("demo", false, "load demo data when the database has no users yet")
	var withWorker optionalBool
	fs.Var(&withWorker, "worker", "run the background worker (mail, reminders, digests) in this process; default from worker.enabled (true)")
	tlsCert := fs.String("tls-cert", "", "PEM certificate: serve HTTPS (default server.tls_cert)")
	tlsKey := fs.String("tls-key", "", "PEM private key of --tls-cert (default server.tls_key)")
	adminAddr := fs.String("admin-addr", "", "second listener with the profiler under /debug/pprof/, e.g. 127.0.0.1:6060 (default server.admin_addr: off)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	// Listen before opening: with --addr :0 the port is known only then,
	// and links in mails need the real one.
	var (
		ln   net.Listener
		lerr error
	)
	a, err := c.open(ctx, log, func(cfg *config.Config) {
		if *addr != "" {
			cfg.Addr = *addr
		}
		if *tlsCert != "" || *tlsKey != "" {
			cfg.Server.TLSCert, cfg.Server.TLSKey = *tlsCert, *tlsKey
		}
		if *adminAddr != "" {
			cfg.Server.AdminAddr = *adminAddr
		}
		if ln, lerr = net.Listen("tcp", cfg.Addr); lerr != nil {
			return
		}
		if *addr != "" && strings.HasPrefix(cfg.BaseURL, "http://localhost:") {
			cfg.BaseURL = "http://localhost" + portOf(ln.Addr().String())
		}
	})
	if ln != nil {
		defer ln.Close()
	}
	if err != nil {
		return err
	}
	defer a.close()
	if lerr != nil {
		return fmt.Errorf("listen on %s: %w", a.cfg.Addr, lerr)
	}
	// The processing log's pseudonyms need a lasting secret key in
	// production (PostgreSQL); a laptop or the demo runs with a key for
	// the run only (see docs/security.md, "Processing log").
	if a.cfg.Processing.SubjectKey == "" && a.db.Engine() == "postgres" && !*withDemo {
		return fmt.Errorf("config: processing.subject_key is required on PostgreSQL: set %s to a random secret of at least %d characters",
			config.EnvSubjectKey, config.MinSubjectKeyLength)
	}
	if withWorker.set {
		a.cfg.Worker.Enabled = withWorker.v
	}
	log.Info("configuration", "config", a.cfg.Masked(), "engine", a.db.Engine(), "definition", a.def.Version)

	var printUsers []casework.User
	if *withDemo {
		users, err := a.svc.Users(ctx, casework.Actor{User: casework.User{Roles: process.Roles{process.RoleBeheerder}}})
		if err != nil {
			return err
		}
		if len(users) == 0 {
			if err := loadDemo(ctx, a, io.Discard, log); err != nil {
				return err
			}
		}
		if printUsers, err = a.svc.Users(ctx, casework.Actor{User: casework.User{Roles: process.Roles{process.RoleBeheerder}}}); err != nil {
			return err
		}
	}
	public, err := systemUser(ctx, a)
	if err != nil {
		return err
	}

	proxies, err := origin.ParseProxies(a.cfg.Server.TrustedProxies)
	if err != nil {
		return fmt.Errorf("config: server.trusted_proxies: %w", err)
	}
	opts := server.Options{SecureCookies: a.cfg.SecureCookies, Proxies: proxies, SSO: a.cfg.SSO,
		PublicFormPerHour: a.cfg.PublicFormLimit.MaxPerHour, PublicFormBurst: a.cfg.PublicFormLimit.Burst}
	if a.cfg.PublicForm {
		opts.PublicFormUser = public
	}
	if a.cfg.Server.ServerTiming || *withDemo {
		opts.QueryStats, opts.ServerTiming = queryStats, true
	}
	handler := server.Handler(a.svc, server.NewSessions(a.db.SessionStore(), a.cfg.SecureCookies), log, opts)

	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	go expireSessions(ctx, a.db, log)
	if a.cfg.Server.AdminAddr != "" {
		if _, err := startAdmin(ctx, a.cfg.Server.AdminAddr, log); err != nil {
			return err
		}
	}

	var w *worker.Worker
	if a.cfg.Worker.Enabled {
		if w, err = startWorker(ctx, a, log); err != nil {
			return err
		}
	}

	scheme := "http"
	if a.cfg.Server.TLSCert != "" {
		scheme = "https"
	}
	url := scheme + "://localhost" + portOf(ln.Addr().String())
	fmt.Fprintf(stdout, "\nWerkdiagnose draait op %s (database: %s)\n", url, a.db.Engine())
	if w != nil {
		fmt.Fprintf(stdout, "E-mail gaat via: %s\n", a.cfg.Mail.Describe())
	} else {
		fmt.Fprintln(stdout, "Achtergrondtaken (e-mail, herinneringen) staan uit in dit proces.")
	}
	if *withDemo {
		printLogins(stdout, printUsers)
	}
	fmt.Fprintln(stdout, "\nStoppen: Ctrl+C")

	errc := make(chan error, 1)
	go func() {
		if a.cfg.Server.TLSCert != "" {
			errc <- srv.ServeTLS(ln, a.cfg.Server.TLSCert, a.cfg.Server.TLSKey)
			return
		}
		errc <- srv.Serve(ln)
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	log.Info("shutting down")
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	if w != nil {
		if err := w.Stop(shutdown); err != nil {
			log.Warn("worker stop", "err", err)
		}
	}
	return nil
}

// startWorker starts the background worker with the configured mail.
func startWorker(ctx context.Context, a *app, log *slog.Logger) (*worker.Worker, error) {
	sender, err := mailer.New(a.cfg.Mail)
	if err != nil {
		return nil, err
	}
	return worker.Start(ctx, a.db, a.svc, sender, a.cfg.Worker, log)
}

// cmdWorker runs only the background worker, for instances that serve no
// web traffic (run serve with --worker=false elsewhere).
func cmdWorker(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	return withApp(ctx, "worker", args, log, func(a *app) error {
		w, err := startWorker(ctx, a, log)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Werkdiagnose-achtergrondtaken draaien (database: %s, e-mail via: %s). Stoppen: Ctrl+C\n", a.db.Engine(), a.cfg.Mail.Describe())
		<-ctx.Done()
		stop, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return w.Stop(stop)
	})
}

// optionalBool is a bool flag that knows whether it was given.
type optionalBool struct{ set, v bool }

func (b *optionalBool) String() string   { return strconv.FormatBool(b.v) }
func (b *optionalBool) IsBoolFlag() bool { return true }
func (b *optionalBool) Set(s string) error {
	v, err := strconv.ParseBool(s)
	b.set, b.v = true, v
	return err
}

// systemUser returns the account that public and e-form applications
// arrive as, creating it on first start.
func systemUser(ctx context.Context, a *app) (casework.User, error) {
	u, err := a.svc.UserByUsername(ctx, demo.SystemUsername)
	if err == nil {
		return u, nil
	}
	if casework.ErrorCode(err) != casework.CodeNotFound {
		return casework.User{}, err
	}
	return a.svc.CreateUser(ctx, nil, casework.NewUser{Username: demo.SystemUsername, Name: "E-formulieren (systeem)",
		Email: "eformulier@" + a.cfg.Casework.MailDomain, Roles: []string{string(process.RoleEFormulier)}, System: true})
}

func expireSessions(ctx context.Context, db *store.DB, log *slog.Logger) {
	t := time.NewTicker(15 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := db.DeleteExpiredSessions(ctx); err != nil {
				log.Warn("expire sessions", "err", err)
			}
		}
	}
}

func portOf(addr string) string {
	if i := strings.LastIndex(addr, ":"); i >= 0 {
		return addr[i:]
	}
	return ":8080"
}

// queryStats counts a request's statements for server.Options.QueryStats
// (the server does not import the store).
func queryStats(ctx context.Context) (context.Context, func() (int, time.Duration)) {
	ctx, s := store.WithQueryStats(ctx)
	return ctx, func() (int, time.Duration) { return s.Count(), s.Duration() }
}
