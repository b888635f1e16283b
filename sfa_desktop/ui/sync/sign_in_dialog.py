"""File → Sign in…: server address, email and password (and, when the company runs its own
certificate authority, that authority's certificate file); signs in off the UI thread."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sfa_desktop.domain.errors import DomainError
from sfa_desktop.i18n import _, error_message
from sfa_desktop.services.errors import (
    CaFileUnusable,
    CertificateNotTrusted,
    ServerTimedOut,
    ServerUnreachable,
    SyncError,
)
from sfa_desktop.services.messages import error_text
from sfa_desktop.services.sync_account import SignInResult, normalize_server_address
from sfa_desktop.services.sync_session import looks_like_email
from sfa_desktop.ui.icons import icon

from .controller import SyncController

_NOT_FOUND = 404


def sign_in_error_text(error: BaseException, server: str) -> str:
    """The sentence the dialog shows for a failed sign-in, in the current language."""
    if isinstance(error, ServerUnreachable) and not isinstance(error, ServerTimedOut):
        return _(
            "Cannot reach the server at {server}. Check the address and your connection."
        ).format(server=server)
    if isinstance(error, SyncError) and error.status == _NOT_FOUND:
        return _("There is no SFA sync server at {server}. Check the address.").format(
            server=server
        )
    if isinstance(error, DomainError):
        return error_message(error.code, **error.params)
    return error_text(error)


class SignInDialog(QDialog):
    """Asks for the server, email and password; shows a busy bar while the server answers."""

    #: signed in (the dialog then closes itself)
    signed_in = Signal(object)

    def __init__(
        self,
        controller: SyncController,
        *,
        server: str = "",
        email: str = "",
        keyring_available: bool = True,
        ca_file: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("signInDialog")
        self.setWindowIcon(icon("app"))
        self.setMinimumWidth(480)
        self._controller = controller
        self._keyring_available = keyring_available
        self._busy = False
        self._error_server = ""

        self._intro = QLabel(self)
        self._intro.setWordWrap(True)
        self._build_form(server, email)
        self._build_ca_row(ca_file or "")
        self._keyring_notice = self._notice_label("keyringNotice", QPalette.ColorRole.WindowText)
        self._keyring_notice.setVisible(not keyring_available)
        self._error = self._notice_label("signInError", None)
        self._error.hide()
        self._build_busy_row()
        self._build_buttons()
        self._lay_out()
        self.retranslate()
        (
            self._password if server and email else self._server if not server else self._email
        ).setFocus()

    def _build_form(self, server: str, email: str) -> None:
        """The server, email and password fields with their labels."""
        self._server = self._line_edit("serverAddress", server)
        self._email = self._line_edit("email", email)
        self._password = self._line_edit("password", "")
        self._password.setEchoMode(QLineEdit.EchoMode.Password)
        self._form = QFormLayout()
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self._server_label = QLabel(self)
        self._email_label = QLabel(self)
        self._password_label = QLabel(self)
        for label, field in (
            (self._server_label, self._server),
            (self._email_label, self._email),
            (self._password_label, self._password),
        ):
            label.setBuddy(field)
            self._form.addRow(label, field)

    def _build_ca_row(self, ca_file: str) -> None:
        """The optional certificate authority file, with a Browse… button."""
        self._ca_file = self._line_edit("caFile", ca_file)
        self._ca_file.setMinimumWidth(180)  # leaves room for its button and its long label
        self._ca_browse = QPushButton(self)
        self._ca_browse.setObjectName("caFileBrowse")
        self._ca_browse.clicked.connect(self._browse_ca_file)
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._ca_file, 1)
        layout.addWidget(self._ca_browse)
        self._ca_label = QLabel(self)
        self._ca_label.setBuddy(self._ca_file)
        self._form.addRow(self._ca_label, row)
        self._ca_dialog: QFileDialog | None = None

    def _browse_ca_file(self) -> None:
        dialog = QFileDialog(self, _("Company certificate"))
        dialog.setObjectName("caFileDialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([_("Certificates (*.pem *.crt *.cer)"), _("All files (*)")])
        dialog.fileSelected.connect(self._ca_file.setText)
        self._ca_dialog = dialog
        dialog.open()

    def _build_busy_row(self) -> None:
        """The "signing in…" text and busy bar, hidden until the server is asked."""
        self._busy_label = QLabel(self)
        self._busy_bar = QProgressBar(self)
        self._busy_bar.setObjectName("signInBusy")
        self._busy_bar.setRange(0, 0)
        self._busy_bar.setTextVisible(False)
        self._busy_bar.setMaximumHeight(8)
        self._busy_row = QWidget(self)
        busy_layout = QHBoxLayout(self._busy_row)
        busy_layout.setContentsMargins(0, 0, 0, 0)
        busy_layout.addWidget(self._busy_label)
        busy_layout.addWidget(self._busy_bar, 1)
        self._busy_row.hide()

    def _build_buttons(self) -> None:
        self._buttons = QDialogButtonBox(self)
        self._sign_in_button = QPushButton(self)
        self._sign_in_button.setObjectName("signInButton")
        self._sign_in_button.setDefault(True)
        self._buttons.addButton(self._sign_in_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self._cancel_button = self._buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self._buttons.accepted.connect(self.submit)
        self._buttons.rejected.connect(self.reject)

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(self._intro)
        layout.addLayout(self._form)
        layout.addWidget(self._keyring_notice)
        layout.addWidget(self._error)
        layout.addWidget(self._busy_row)
        layout.addStretch(1)
        layout.addWidget(self._buttons)

    def _line_edit(self, name: str, text: str) -> QLineEdit:
        field = QLineEdit(text, self)
        field.setObjectName(name)
        field.setMinimumWidth(300)
        field.textEdited.connect(self._clear_error)
        return field

    def _notice_label(self, name: str, role: QPalette.ColorRole | None) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        palette = label.palette()
        color = palette.color(role) if role is not None else Qt.GlobalColor.darkRed
        palette.setColor(QPalette.ColorRole.WindowText, color)
        label.setPalette(palette)
        return label

    # --- texts -----------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.setWindowTitle(_("Sign in"))
        self._intro.setText(
            _(
                "Sign in to your company's sync server to send your changes and receive "
                "your colleagues'. You can keep working offline at any time."
            )
        )
        self._server_label.setText(_("&Server address:"))
        self._server.setPlaceholderText("https://sfa.example.com")
        self._email_label.setText(_("&Email:"))
        self._email.setPlaceholderText(_("name@company.com"))
        self._password_label.setText(_("&Password:"))
        self._ca_label.setText(_("&Company certificate:"))
        self._ca_file.setPlaceholderText(_("optional: only if your administrator gave you one"))
        self._ca_browse.setText(_("Browse…"))
        self._keyring_notice.setText(
            _(
                "This computer has no keyring to keep your sign-in safely, so it lasts until "
                "you close SFA Desktop; you will be asked for your password next time."
            )
        )
        self._busy_label.setText(_("Signing in…"))
        self._sign_in_button.setText(_("&Sign in"))
        self._cancel_button.setText(_("Cancel"))

    # --- what tests and the window read -----------------------------------------------------------

    @property
    def server_field(self) -> QLineEdit:
        return self._server

    @property
    def email_field(self) -> QLineEdit:
        return self._email

    @property
    def password_field(self) -> QLineEdit:
        return self._password

    @property
    def ca_file_field(self) -> QLineEdit:
        return self._ca_file

    @property
    def sign_in_button(self) -> QPushButton:
        return self._sign_in_button

    def error_text(self) -> str:
        return self._error.text() if not self._error.isHidden() else ""

    def is_busy(self) -> bool:
        return self._busy

    # --- signing in ------------------------------------------------------------------------------

    def submit(self) -> None:
        """Check the fields, then sign in in the background."""
        if self._busy:
            return
        try:
            server = normalize_server_address(self._server.text())
        except DomainError as error:
            self._show_error(error_message(error.code, **error.params), self._server)
            return
        email = self._email.text().strip()
        if not looks_like_email(email):
            message = (
                error_message("required")
                if not email
                else error_message("invalid_email", value=email)
            )
            self._show_error(message, self._email)
            return
        if not self._password.text():
            self._show_error(_("Enter your password."), self._password)
            return
        self._server.setText(server)
        self._error_server = server
        self._set_busy(True)
        self._controller.sign_in(
            server_url=server,
            email=email,
            password=self._password.text(),
            on_done=self._succeeded,
            on_error=self._failed,
            owner=self,
            ca_file=self._ca_file.text().strip() or None,
        )

    def _succeeded(self, result: SignInResult) -> None:
        self._set_busy(False)
        self._password.clear()
        self.signed_in.emit(result)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        message = sign_in_error_text(error, self._error_server)
        focus = self._server if isinstance(error, ServerUnreachable) else self._password
        if isinstance(error, SyncError) and error.status == _NOT_FOUND:
            focus = self._server
        if isinstance(error, CertificateNotTrusted | CaFileUnusable):
            focus = self._ca_file
        self._show_error(message, focus)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for field in (self._server, self._email, self._password, self._ca_file):
            field.setEnabled(not busy)
        self._ca_browse.setEnabled(not busy)
        self._sign_in_button.setEnabled(not busy)
        self._busy_row.setVisible(busy)
        if busy:
            self._error.hide()

    def _show_error(self, message: str, field: QLineEdit) -> None:
        self._error.setText(message)
        self._error.show()
        self._grow_to_fit()
        field.setFocus()
        field.selectAll()

    def _grow_to_fit(self) -> None:
        """Taller when a (wrapped) message appears, so the fields keep their height."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        width = self.width()
        needed = (
            layout.totalHeightForWidth(width)
            if layout.hasHeightForWidth()
            else layout.totalSizeHint().height()
        )
        if needed > self.height():
            self.resize(width, needed)

    def _clear_error(self) -> None:
        self._error.hide()
