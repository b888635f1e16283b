"""File → Sign in…: the dialog signs in off the UI thread and explains every failure."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton
from pytestqt.qtbot import QtBot
from server.helpers import PASSWORD

from sfa_desktop.i18n import set_language
from sfa_desktop.services.sync_account import load_identity
from sfa_desktop.services.sync_session import SyncSession
from sfa_desktop.store.database import Database
from sfa_desktop.sync.tokens import SERVICE, TokenStore
from sfa_desktop.ui.language import LanguageSwitcher
from sfa_desktop.ui.sync.controller import SyncController
from sfa_desktop.ui.sync.sign_in_dialog import SignInDialog
from sfa_desktop.ui.sync.status_bar_state import SyncStateKind

from .conftest import WAIT_MS
from .desktop_sync import SERVER_URL, GatedClient, SyncServer, desktop_session

ANA = "ana.rep@example.com"


def open_dialog(qtbot: QtBot, controller: SyncController, **defaults: str) -> SignInDialog:
    dialog = SignInDialog(
        controller, keyring_available=controller.account.keyring_available, **defaults
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


#: ``open_sign_in(on, http=None, **defaults)``: the controller and its dialog, shown
OpenSignIn = Callable[..., tuple[SyncController, SignInDialog]]


@pytest.fixture
def open_sign_in(
    qtbot: QtBot,
    desktop_database: Database,
    make_controller: Callable[[SyncSession], SyncController],
) -> OpenSignIn:
    """Opens the dialog on a new controller whose session talks to the server ``on`` through ``http``."""

    def open_(
        on: SyncServer, http: GatedClient | None = None, **defaults: str
    ) -> tuple[SyncController, SignInDialog]:
        controller = make_controller(desktop_session(on, desktop_database, http=http))
        return controller, open_dialog(qtbot, controller, **defaults)

    return open_


def fill(qtbot: QtBot, dialog: SignInDialog, server: str, email: str, password: str) -> None:
    for field, text in (
        (dialog.server_field, server),
        (dialog.email_field, email),
        (dialog.password_field, password),
    ):
        field.clear()
        qtbot.keyClicks(field, text)


def submit_and_wait_for_error(qtbot: QtBot, dialog: SignInDialog) -> str:
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.error_text()) and not dialog.is_busy(), timeout=WAIT_MS)
    return dialog.error_text()


def test_signing_in_stores_the_identity_and_starts_the_first_sync(
    qtbot: QtBot, sync_server: SyncServer, desktop_database: Database, open_sign_in: OpenSignIn
) -> None:
    http = sync_server.client()
    controller, dialog = open_sign_in(sync_server, http)
    fill(qtbot, dialog, "sfa.example.com", ANA, PASSWORD)
    http.hold("/auth/login")
    qtbot.keyClick(dialog.password_field, Qt.Key.Key_Return)
    # the server has not answered yet, and the window is still alive and responsive
    qtbot.waitUntil(http.waiting.is_set, timeout=WAIT_MS)
    assert dialog.is_busy() and dialog.isVisible()
    assert dialog.findChild(QProgressBar, "signInBusy").isVisible()
    assert not dialog.password_field.isEnabled() and not dialog.sign_in_button.isEnabled()
    with qtbot.waitSignal(dialog.signed_in, timeout=WAIT_MS) as signed_in:
        http.release()
    assert not dialog.isVisible()
    result = signed_in.args[0]
    assert result.identity.server_url == SERVER_URL and result.token_saved
    assert dialog.server_field.text() == SERVER_URL
    assert dialog.password_field.text() == ""
    with desktop_database.session() as session:
        identity = load_identity(session)
    assert identity is not None and (identity.email, identity.user_name) == (ANA, "Ana Rep")
    assert [key for (service, key) in sync_server.keyring.entries if service == SERVICE] == [
        f"{SERVER_URL} {ANA}"
    ]
    assert controller.account.signed_in
    qtbot.waitUntil(lambda: controller.state.kind is SyncStateKind.UP_TO_DATE, timeout=WAIT_MS)


def test_the_dialog_remembers_the_server_and_email(
    sync_server: SyncServer, open_sign_in: OpenSignIn
) -> None:
    _, dialog = open_sign_in(sync_server, server=SERVER_URL, email=ANA)
    assert (dialog.server_field.text(), dialog.email_field.text()) == (SERVER_URL, ANA)
    assert dialog.focusWidget() is dialog.password_field
    assert dialog.password_field.echoMode() == dialog.password_field.EchoMode.Password


def test_a_wrong_password_is_explained_in_english_and_spanish(
    qtbot: QtBot, sync_server: SyncServer, desktop_database: Database, open_sign_in: OpenSignIn
) -> None:
    controller, dialog = open_sign_in(sync_server)
    fill(qtbot, dialog, SERVER_URL, ANA, "not my password")
    assert submit_and_wait_for_error(qtbot, dialog) == "Wrong email or password."
    assert dialog.isVisible() and dialog.focusWidget() is dialog.password_field
    assert dialog.password_field.selectedText() == "not my password"
    assert not controller.account.signed_in
    with desktop_database.session() as session:
        assert load_identity(session) is None

    set_language("es")
    dialog.retranslate()
    assert dialog.windowTitle() == "Iniciar sesión"
    assert submit_and_wait_for_error(qtbot, dialog) == (
        "El correo electrónico o la contraseña no son correctos."
    )


def test_an_unreachable_server_is_explained(
    qtbot: QtBot, sync_server: SyncServer, open_sign_in: OpenSignIn
) -> None:
    http = sync_server.client()
    http.offline = True
    _, dialog = open_sign_in(sync_server, http)
    fill(qtbot, dialog, "sfa.example.com", ANA, PASSWORD)
    assert submit_and_wait_for_error(qtbot, dialog) == (
        "Cannot reach the server at https://sfa.example.com. Check the address and your connection."
    )
    assert dialog.focusWidget() is dialog.server_field


def test_rate_limiting_and_an_outdated_client_are_explained(
    qtbot: QtBot, make_sync_server: Callable[..., SyncServer], open_sign_in: OpenSignIn
) -> None:
    server = make_sync_server(login_max_failures_per_account=1)
    http = server.client()
    _, dialog = open_sign_in(server, http)
    fill(qtbot, dialog, SERVER_URL, ANA, "wrong")
    assert submit_and_wait_for_error(qtbot, dialog) == "Wrong email or password."
    # at once, with the server's Retry-After (15 min + 1 s, rounded up), and no retry
    sent = len(http.requests)
    assert submit_and_wait_for_error(qtbot, dialog) == "Too many attempts. Try again in 16 minutes."
    assert len(http.requests) == sent + 1
    http.answer_next_with = [426]
    assert submit_and_wait_for_error(qtbot, dialog) == (
        "This version of SFA Desktop is too old for the server. Please update it."
    )


def test_the_form_is_checked_before_asking_the_server(
    qtbot: QtBot, sync_server: SyncServer, open_sign_in: OpenSignIn
) -> None:
    http = sync_server.client()
    _, dialog = open_sign_in(sync_server, http)
    fill(qtbot, dialog, "ftp://sfa.example.com", ANA, PASSWORD)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert dialog.error_text() == (
        "“ftp://sfa.example.com” is not a valid server address. "
        "Use an http:// or https:// address, such as https://sfa.example.com."
    )
    assert dialog.focusWidget() is dialog.server_field
    fill(qtbot, dialog, SERVER_URL, "ana", PASSWORD)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert dialog.error_text() == "“ana” is not a valid email address."
    fill(qtbot, dialog, SERVER_URL, ANA, "")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert dialog.error_text() == "Enter your password."
    qtbot.keyClicks(dialog.password_field, "x")
    assert dialog.error_text() == ""  # typing clears the message
    assert http.requests == []  # nothing was sent


def test_without_a_keyring_the_dialog_says_the_sign_in_lasts_this_session(
    qtbot: QtBot,
    sync_server: SyncServer,
    desktop_database: Database,
    make_controller: Callable[[SyncSession], SyncController],
) -> None:
    tokens = TokenStore(fail.Keyring())
    session = desktop_session(sync_server, desktop_database, tokens=tokens)
    controller = make_controller(session)
    with qtbot.waitSignal(controller.account_changed, timeout=WAIT_MS, raising=False):
        controller.start()
    qtbot.waitUntil(lambda: not controller.account.keyring_available, timeout=WAIT_MS)
    dialog = open_dialog(qtbot, controller)
    notice = dialog.findChild(QLabel, "keyringNotice")
    assert notice.isVisible() and "no keyring" in notice.text()
    fill(qtbot, dialog, SERVER_URL, ANA, PASSWORD)
    with qtbot.waitSignal(dialog.signed_in, timeout=WAIT_MS) as signed_in:
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert not signed_in.args[0].token_saved
    assert sync_server.keyring.entries == {}  # nothing written anywhere but memory
    qtbot.waitUntil(lambda: controller.state.kind is SyncStateKind.UP_TO_DATE, timeout=WAIT_MS)


def test_the_fields_stay_readable_when_a_long_error_shows_in_spanish(
    qtbot: QtBot,
    sync_server: SyncServer,
    open_sign_in: OpenSignIn,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    http = sync_server.client()
    http.offline = True
    language = LanguageSwitcher()
    language.apply("es")
    request.addfinalizer(language.uninstall)
    request.addfinalizer(lambda: language.apply("en"))
    _, dialog = open_sign_in(sync_server, http)
    fill(qtbot, dialog, "servidor-de-sincronizacion.empresa.example.com", ANA, PASSWORD)
    message = submit_and_wait_for_error(qtbot, dialog)
    assert message.startswith("No se puede contactar con el servidor")
    qtbot.wait(50)  # the layout settles
    for field in (dialog.server_field, dialog.email_field, dialog.password_field):
        assert field.height() >= field.sizeHint().height(), field.objectName()
    error = dialog.findChild(QLabel, "signInError")
    assert error is not None and error.height() >= error.heightForWidth(error.width())
    cancel = {b.text().replace("&", "") for b in dialog.findChildren(QPushButton)}
    assert "Cancelar" in cancel  # Qt's standard button, from qtbase_es
    shot = tmp_path / "sign-in-error-es.png"
    assert dialog.grab().save(str(shot))


def test_the_company_certificate_is_checked_kept_and_shown_again(
    qtbot: QtBot,
    sync_server: SyncServer,
    desktop_database: Database,
    open_sign_in: OpenSignIn,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    missing = tmp_path / "company-ca.pem"
    controller, dialog = open_sign_in(sync_server)
    fill(qtbot, dialog, SERVER_URL, ANA, PASSWORD)
    qtbot.keyClicks(dialog.ca_file_field, str(missing))
    message = submit_and_wait_for_error(qtbot, dialog)
    assert message.startswith(f"The certificate file {missing} cannot be used: ")
    assert dialog.focusWidget() is dialog.ca_file_field
    assert not controller.account.signed_in

    pytest.importorskip("cryptography")
    from deploy.certificates import make_certificates

    missing.write_bytes(make_certificates(tmp_path).ca_file.read_bytes())
    with qtbot.waitSignal(dialog.signed_in, timeout=WAIT_MS) as signed_in:
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert signed_in.args[0].identity.ca_file == str(missing)
    with desktop_database.session() as session:
        identity = load_identity(session)
    assert identity is not None and identity.ca_file == str(missing)

    language = LanguageSwitcher()
    language.apply("es")
    request.addfinalizer(language.uninstall)
    request.addfinalizer(lambda: language.apply("en"))
    again = open_dialog(qtbot, controller, server=SERVER_URL, email=ANA, ca_file=str(missing))
    assert again.ca_file_field.text() == str(missing)
    labels = {label.text() for label in again.findChildren(QLabel)}
    assert "&Certificado de la empresa:" in labels
    assert again.grab().save(str(tmp_path / "sign-in-ca-es.png"))
