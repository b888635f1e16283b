"""The desktop app's composition root and the ``sfa-desktop`` console script.

Everything is wired here and passed in as arguments (no global singletons): the task runner,
the database (opened on the runner's database thread), the preferences, the language switcher,
the workspaces, the main window and background sync (keyring, HTTP client, ``SyncController``
and the File-menu sync commands; see :mod:`sfa_desktop.ui.sync.controller` for where a sync runs).

    sfa-desktop [--demo | --data-dir DIR] [--lang es|en] [--view accounts] [--week]
                [--quote NUMBER] [--screenshot FILE] [--version]

``--week`` opens the Visits workspace on the week calendar rather than the day.

``--quote`` opens that quote in the quote editor too (with ``--screenshot``, the editor is
what is saved).
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from sfa_desktop.i18n import (
    SUPPORTED_LANGUAGES,
    _,
    format_count,
    ngettext,
    normalize_language,
    system_default_language,
)
from sfa_desktop.services.errors import StoreError
from sfa_desktop.services.preferences import Preferences, load_preferences, save_preferences
from sfa_desktop.services.profile import (
    DEMO_USERS,
    Database,
    DemoUser,
    OpenedProfile,
    open_profile,
    profile_exists,
    profile_folder,
)
from sfa_desktop.services.quotes import find_quote_id
from sfa_desktop.services.sync_session import AccountState, SyncSession
from sfa_desktop.services.sync_types import TokenStore
from sfa_desktop.services.today import StartPoint, route_settings
from sfa_desktop.services.visits import AgendaClock
from sfa_desktop.ui.error_text import describe_error
from sfa_desktop.ui.icons import icon
from sfa_desktop.ui.language import LanguageSwitcher
from sfa_desktop.ui.main_window import APP_NAME, MainWindow
from sfa_desktop.ui.profile import Profile
from sfa_desktop.ui.quote_editor import QuoteEditor
from sfa_desktop.ui.quotes.approvals import ApprovalsCounter
from sfa_desktop.ui.quotes.links import connect_quote_links
from sfa_desktop.ui.sync.commands import SyncCommands
from sfa_desktop.ui.sync.controller import SyncController, SyncSchedule
from sfa_desktop.ui.sync.status_bar_state import SyncCounts
from sfa_desktop.ui.tasks import ProgressRelay, TaskRunner
from sfa_desktop.ui.value_warmer import ValueWarmer, connect_value_warmer
from sfa_desktop.ui.version import app_version
from sfa_desktop.ui.visits.clock import system_agenda_clock
from sfa_desktop.ui.visits.links import connect_visit_links
from sfa_desktop.ui.workspaces import VIEW_IDS, create_workspaces
from sfa_desktop.ui.workspaces.conflicts import ConflictsWorkspace
from sfa_desktop.ui.workspaces.visits import VisitsWorkspace

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_STARTUP_ERROR = 2
SCREENSHOT_TIMEOUT_MS = 120_000
"""Safety net: give up on ``--screenshot`` if the data never arrives."""

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Options:
    """The command line, parsed."""

    demo: bool = False
    data_dir: str | None = None
    language: str | None = None
    view: str | None = None
    screenshot: Path | None = None
    quote: str | None = None
    #: with ``demo``: open the demo as its rep or their manager
    demo_user: str | None = None
    #: Visits opens on the week calendar
    week: bool = False


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sfa-desktop", description="SFA Desktop: offline-first sales-force automation."
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--demo", action="store_true", help="open the demo profile (created on first use)"
    )
    where.add_argument(
        "--data-dir", metavar="DIR", help="profile folder (default: $SFA_DATA_DIR or per-user)"
    )
    parser.add_argument(
        "--demo-user",
        choices=DEMO_USERS,
        help="with --demo: open it as the rep (the default) or as their manager",
    )
    parser.add_argument("--lang", choices=SUPPORTED_LANGUAGES, help="interface language")
    parser.add_argument("--view", choices=VIEW_IDS, help="workspace to open")
    parser.add_argument(
        "--week", action="store_true", help="Visits shows the week calendar (with --view visits)"
    )
    parser.add_argument(
        "--quote", metavar="NUMBER", help="open this quote (number or id) in the quote editor"
    )
    parser.add_argument(
        "--screenshot", metavar="FILE", type=Path, help="save the window as a PNG and exit"
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {app_version()}")
    return parser


def parse_options(argv: Sequence[str] | None) -> Options:
    """Parse ``argv``; raises ``SystemExit`` for ``--help``, ``--version`` and bad input."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.demo_user is not None and not args.demo:
        parser.error("--demo-user needs --demo")
    return Options(
        demo=args.demo,
        data_dir=args.data_dir,
        language=args.lang,
        view=args.view,
        screenshot=args.screenshot,
        quote=args.quote,
        demo_user=args.demo_user,
        week=args.week,
    )


# --- the running app ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SyncSetup:
    """What background sync talks to (tests pass the in-process server and a memory keyring)."""

    tokens: TokenStore | None = None
    #: None: one ``httpx.Client`` for the run, made by the sync session
    http: httpx.Client | None = None
    schedule: SyncSchedule | None = None


def _demo_user(options: Options) -> DemoUser | None:
    """Whom to open the demo as: the rep by default, the manager when asked."""
    if not options.demo:
        return None
    return "manager" if options.demo_user == "manager" else "rep"


class DesktopApp:
    """One run of the GUI: opens the profile off the UI thread, then shows the window."""

    def __init__(
        self, options: Options, *, sync: SyncSetup | None = None, clock: AgendaClock | None = None
    ) -> None:
        """Needs a ``QApplication`` to exist (see :func:`main`); ``clock`` fixes "now" for the
        agenda and a new demo (tests, screenshots), the system clock by default."""
        self._options = options
        self._sync_setup = sync or SyncSetup()
        self._clock = clock
        self._sync: SyncController | None = None
        self._warmer: ValueWarmer | None = None
        self._language = LanguageSwitcher()
        self._runner = TaskRunner()
        self._progress_relay = ProgressRelay()
        self._progress_dialog: QProgressDialog | None = None
        self._demo_rows: dict[str, int] = {}
        #: Written and read on the database thread only.
        self._opened_databases: list[Database] = []
        self._window: MainWindow | None = None
        self._data_dir: Path | None = None
        self._preferences = Preferences()
        self._exit_code = EXIT_OK
        # Our own loop rather than QApplication.exec(): ending it leaves the application
        # usable afterwards (tests run several sessions in one process).
        self._loop = QEventLoop()
        self._watchdog = QTimer()
        self._watchdog.setSingleShot(True)

    @property
    def window(self) -> MainWindow | None:
        return self._window

    @property
    def sync(self) -> SyncController | None:
        return self._sync

    @property
    def value_warmer(self) -> ValueWarmer | None:
        return self._warmer

    def run(self) -> int:
        """Start, run the event loop, shut down; returns the process exit code."""
        try:
            return self._run()
        finally:
            self._watchdog.stop()
            if self._sync is not None:  # a running sync stops before the database closes
                self._sync.shutdown()
            self._runner.shutdown(final_db_call=self._close_databases)
            self._language.uninstall()
            if self._window is not None:
                self._window.deleteLater()
            if self._progress_dialog is not None:
                self._progress_dialog.deleteLater()

    def _close_databases(self) -> None:
        """Runs last on the database thread."""
        for database in self._opened_databases:
            database.close()

    def _run(self) -> int:
        options = self._options
        self._language.apply(options.language or system_default_language())
        try:
            self._data_dir = profile_folder(options.data_dir, demo=options.demo)
        except StoreError as error:
            self._report_startup_error(describe_error(error))
            return EXIT_STARTUP_ERROR
        self._preferences = load_preferences(self._data_dir)
        remembered = normalize_language(self._preferences.language)
        self._language.apply(options.language or remembered or system_default_language())

        create_demo = options.demo and not profile_exists(self._data_dir)
        if create_demo and options.screenshot is None:
            self._show_demo_progress()
        data_dir = self._data_dir
        relay = self._progress_relay.report if create_demo else None
        today = self._clock.today() if self._clock else None
        demo_user = _demo_user(options)

        def open_on_db_thread() -> OpenedProfile:
            opened = open_profile(
                data_dir,
                create_demo=create_demo,
                progress=relay,
                today=today,
                demo_user=demo_user,
            )
            self._opened_databases.append(opened.database)  # closed at exit even if unused
            return opened

        self._runner.run_db_call(
            open_on_db_thread, on_done=self._profile_opened, on_error=self._profile_failed
        )
        if options.screenshot is not None:
            self._watchdog.timeout.connect(self._screenshot_timed_out)
            self._watchdog.start(SCREENSHOT_TIMEOUT_MS)
        self._loop.exec()
        return self._exit_code

    # --- startup -------------------------------------------------------------------------------

    def _show_demo_progress(self) -> None:
        dialog = QProgressDialog()
        dialog.setWindowTitle(APP_NAME)
        dialog.setWindowIcon(icon("app"))
        dialog.setLabelText(_("Creating the demo data. This takes a few seconds…"))
        dialog.setCancelButton(None)
        dialog.setRange(0, 0)
        dialog.setMinimumDuration(0)
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        self._progress_relay.progressed.connect(
            self._on_demo_progress, Qt.ConnectionType.QueuedConnection
        )
        dialog.show()
        self._progress_dialog = dialog

    def _on_demo_progress(self, report: object) -> None:
        """``(entity, rows of it written so far)`` from the demo loader."""
        if not (isinstance(report, tuple) and len(report) == 2 and isinstance(report[1], int)):
            return
        self._demo_rows[str(report[0])] = report[1]
        if self._progress_dialog is not None:
            written = sum(self._demo_rows.values())
            self._progress_dialog.setLabelText(
                _("Creating the demo data. This takes a few seconds…")
                + "\n"
                + ngettext("{count} record written", "{count} records written", written).format(
                    count=format_count(written)
                )
            )

    def _close_progress(self) -> None:
        if self._progress_dialog is not None:
            self._progress_dialog.hide()

    def _profile_failed(self, error: BaseException) -> None:
        self._close_progress()
        self._report_startup_error(describe_error(error))
        self._finish(EXIT_STARTUP_ERROR)

    def _report_startup_error(self, message: str) -> None:
        if self._options.screenshot is not None:
            print(f"sfa-desktop: {message}", file=sys.stderr)
            return
        box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, _("SFA Desktop cannot start"))
        box.setInformativeText(message)
        box.setWindowIcon(icon("app"))
        box.exec()

    def _profile_opened(self, opened: OpenedProfile) -> None:
        self._close_progress()
        self._runner.attach_database(opened.database)
        try:
            self._show_window(opened)
        except Exception as error:  # a bug must end the run, not leave a windowless process
            _log.exception("cannot show the main window")
            self._profile_failed(error)

    def _show_window(self, opened: OpenedProfile) -> None:
        assert self._data_dir is not None
        profile = Profile(self._data_dir, is_demo=self._options.demo, user_name=opened.user_name)
        window = MainWindow(
            workspaces=create_workspaces(
                self._runner,
                clock=self._clock or system_agenda_clock(),
                start_point=StartPoint.from_preference(self._preferences.route_start),
                route_settings=route_settings(self._preferences),
                remember_start_point=self._remember_start_point,
            ),
            profile=profile,
            language=self._language,
        )
        self._window = window
        if self._options.week:
            visits = window.workspace("visits")
            assert isinstance(visits, VisitsWorkspace)
            visits.show_week(True)
        connect_visit_links(window)
        clock = self._clock or system_agenda_clock()
        approvals = connect_quote_links(window, self._runner, today=clock.today)
        start_view = self._options.view or self._preferences.last_view
        window.show_view(start_view if start_view in VIEW_IDS else VIEW_IDS[0])
        window.language_chosen.connect(self._remember_language)
        window.closing.connect(self._remember_view)
        window.closing.connect(lambda: self._finish(EXIT_OK))
        self._runner.task_failed.connect(lambda error: window.show_error(describe_error(error)))
        if self._options.quote is not None:
            self._open_quote(window, self._options.quote)
        if self._options.screenshot is None:
            self._start_sync(window, opened.database, profile, approvals)
            window.show()
            return
        window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        if self._options.quote is not None:
            window.show()
            return  # the editor is the screenshot
        window.show()
        workspace = window.current_workspace()
        if workspace.is_ready():
            QTimer.singleShot(0, self._take_screenshot)
        else:
            workspace.ready.connect(lambda: QTimer.singleShot(0, self._take_screenshot))

    def _start_sync(
        self, window: MainWindow, database: Database, profile: Profile, approvals: ApprovalsCounter
    ) -> None:
        """Background sync: the controller, the File-menu commands and the status bar."""
        setup = self._sync_setup
        session = SyncSession(database, tokens=setup.tokens or TokenStore(), http=setup.http)
        controller = SyncController(self._runner, session, schedule=setup.schedule, parent=window)
        commands = SyncCommands(controller, window, is_demo=profile.is_demo)
        self._sync = controller
        window.add_file_actions(commands.actions())
        window.status.set_sync_action(commands.sync_now_action)
        self._language.language_changed.connect(lambda _language: commands.retranslate())
        commands.notice.connect(window.status.show_notice)
        controller.state_changed.connect(window.status.set_sync_state)

        def show_counts(counts: SyncCounts) -> None:
            window.status.set_counts(pending=counts.pending, conflicts=counts.conflicts)

        def show_user(account: AccountState) -> None:
            name = account.identity.user_name if account.identity else None
            if name and name != window.profile.user_name:
                window.set_profile(replace(window.profile, user_name=name))

        controller.counts_changed.connect(show_counts)
        controller.account_changed.connect(show_user)
        controller.data_changed.connect(window.refresh_workspaces)
        controller.data_changed.connect(approvals.refresh)
        # the value table, warmed now and after each sync (figures on the account page)
        clock = self._clock or system_agenda_clock()
        self._warmer = warmer = connect_value_warmer(window, self._runner, today=clock.today)
        controller.data_changed.connect(warmer.warm)
        warmer.warm()
        if "conflicts" in window.view_ids:
            conflicts = window.workspace("conflicts")
            assert isinstance(conflicts, ConflictsWorkspace)
            conflicts.sync_requested.connect(controller.sync_soon)
            conflicts.records_changed.connect(window.refresh_workspaces)
            conflicts.records_changed.connect(controller.recount)
        controller.start()

    def _finish(self, exit_code: int) -> None:
        """End the run with ``exit_code``."""
        self._exit_code = exit_code
        self._loop.exit(exit_code)

    def _open_quote(self, window: MainWindow, text: str) -> None:
        """``--quote``: find the quote (database thread), then open it in the editor."""

        def opened(quote_id: str | None) -> None:
            if quote_id is None:
                message = _("There is no quote “{quote}”.").format(quote=text)
                if self._options.screenshot is not None:
                    print(f"sfa-desktop: {message}", file=sys.stderr)
                    self._finish(EXIT_FAILURE)
                else:
                    window.show_error(message)
                return
            editor = QuoteEditor(self._runner, window, quote_id=quote_id, now=self._now())
            editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            if self._options.screenshot is not None:
                editor.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
                editor.resize(1280, 800)
                editor.loaded.connect(lambda: QTimer.singleShot(0, lambda: self._grab(editor)))
            editor.show()

        self._runner.run_db(lambda session: find_quote_id(session, text), on_done=opened)

    def _now(self) -> Callable[[], dt.datetime]:
        return (self._clock or system_agenda_clock()).now

    # --- screenshot --------------------------------------------------------------------------

    def _grab(self, widget: QWidget) -> None:
        """Save ``widget`` (the quote editor) as the screenshot and end the run."""
        target = self._options.screenshot
        assert target is not None
        target = target.expanduser().absolute()
        saved = target.parent.is_dir() and widget.grab().save(str(target), "PNG")
        if not saved:
            print(f"sfa-desktop: cannot write the screenshot {target}", file=sys.stderr)
        widget.hide()
        self._finish(EXIT_OK if saved else EXIT_FAILURE)

    def _take_screenshot(self) -> None:
        window, target = self._window, self._options.screenshot
        assert window is not None and target is not None
        target = target.expanduser().absolute()
        saved = target.parent.is_dir() and window.grab().save(str(target), "PNG")
        if not saved:
            print(f"sfa-desktop: cannot write the screenshot {target}", file=sys.stderr)
        window.hide()
        self._finish(EXIT_OK if saved else EXIT_FAILURE)

    def _screenshot_timed_out(self) -> None:
        print("sfa-desktop: the data did not load in time for --screenshot", file=sys.stderr)
        self._finish(EXIT_FAILURE)

    # --- preferences -------------------------------------------------------------------------

    def _remember_language(self, language: str) -> None:
        self._save_preferences(self._preferences.with_changes(language=language))

    def _remember_view(self) -> None:
        if self._window is not None and self._options.screenshot is None:
            self._save_preferences(
                self._preferences.with_changes(last_view=self._window.current_view())
            )

    def _remember_start_point(self, point: StartPoint | None) -> None:
        text = point.to_preference() if point is not None else None
        self._save_preferences(self._preferences.with_changes(route_start=text))

    def _save_preferences(self, preferences: Preferences) -> None:
        self._preferences = preferences
        if self._data_dir is None:
            return
        try:
            save_preferences(self._data_dir, preferences)
        except OSError as error:
            _log.warning("cannot save the preferences: %s", error)


def _qt_application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(app_version())
    app.setOrganizationName("SFA")
    app.setDesktopFileName("sfa-desktop")  # the installed .desktop entry: its icon in the dock
    app.setWindowIcon(icon("app"))
    return app


def main(argv: Sequence[str] | None = None, *, clock: AgendaClock | None = None) -> int:
    """Entry point of ``sfa-desktop``; returns the exit code (``clock``: see :class:`DesktopApp`)."""
    try:
        options = parse_options(argv)
    except SystemExit as exit_request:  # --help, --version or a usage error (already printed)
        return exit_request.code if isinstance(exit_request.code, int) else EXIT_FAILURE
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    _qt_application()
    return DesktopApp(options, clock=clock).run()


if __name__ == "__main__":
    sys.exit(main())
