"""Record forms built from the entity catalog, and the dialog that saves them.

* :class:`RecordForm` — editors for some fields of one entity (laid out in columns), an
  inline error under each; ``set_record(values)``, ``values()`` (changed fields only),
  ``set_errors(ValidationErrors)``.
* :class:`RecordDialog` — Save/Cancel around a form; loads the record to edit and saves
  through :mod:`sfa_desktop.services.editing` on the database thread; Ctrl+Enter saves.
* :func:`account_dialog`, :func:`contact_dialog` — the dialogs for those two entities;
  the opportunity editor is :mod:`.opportunity_form` (it writes through the opportunities
  service, with the stage rules and history).
"""

from sfa_desktop.ui.forms.account_form import account_dialog
from sfa_desktop.ui.forms.contact_form import contact_dialog
from sfa_desktop.ui.forms.field_editors import FieldEditor
from sfa_desktop.ui.forms.record_dialog import FormRule, RecordDialog
from sfa_desktop.ui.forms.record_form import RecordForm
from sfa_desktop.ui.forms.reference_picker import (
    AccountSource,
    ContactSource,
    ReferenceChoice,
    ReferencePicker,
    ReferenceSource,
    UserSource,
)

__all__ = [
    "AccountSource",
    "ContactSource",
    "FieldEditor",
    "FormRule",
    "RecordDialog",
    "RecordForm",
    "ReferenceChoice",
    "ReferencePicker",
    "ReferenceSource",
    "UserSource",
    "account_dialog",
    "contact_dialog",
]
