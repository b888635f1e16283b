"""The rule that decides what a device sends back to a server restored from a backup.

Versions below the epoch's floor are the restored ones (shared with what the device knew);
versions above it were written after the restore. Property: a value newer than the backup's
is sent back and applies cleanly; a field somebody changed after the restore is never taken
silently (the conflict rule decides, and a later edit wins over the re-sent value).
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sfa_desktop.sync.restore_check import Recheck, resend_base, should_resend
from sync_server.protocol.hlc import Stamp
from sync_server.protocol.merge import FieldDecision, decide_field

FLOOR = 2**30
RESTORED_AT = 1_800_000_000_000
RESEND = Stamp(RESTORED_AT - 1, 0, "device-a")
CHECK = Recheck("epoch-2", FLOOR, str(RESEND))


@given(
    restored=st.integers(0, 500),
    known=st.integers(0, 1000),
    later_writes=st.integers(0, 3),
    created_after=st.booleans(),
)
def test_what_is_sent_back_and_how_it_is_decided(
    restored: int, known: int, later_writes: int, created_after: bool
) -> None:
    if created_after:  # recreated after the restore: its versions start again from 1
        server = 1 + later_writes
    else:
        server = FLOOR + later_writes if later_writes else restored
    changed_since = created_after or later_writes > 0
    resent = should_resend(known, server, CHECK, created_after)
    if not changed_since:
        assert resent is (known > restored)  # only what the backup lacks
    if not resent:
        return
    later = Stamp(RESTORED_AT + 5_000, 0, "device-b")  # an edit made after the restore
    decision = decide_field(
        server_version=server,
        base_version=resend_base(server, CHECK, created_after),
        server_stamp=later if changed_since else Stamp(RESTORED_AT - 60_000, 0, "device-b"),
        incoming_stamp=RESEND,
    )
    if changed_since:
        assert decision is FieldDecision.INCOMING_LOSES  # recorded as a conflict, not lost
    else:
        assert decision is FieldDecision.APPLY


def test_without_a_new_epoch_versions_are_compared_as_they_are() -> None:
    plain = Recheck(None, None, str(RESEND))
    assert should_resend(7, 5, plain, False) and resend_base(5, plain, False) == 5
    assert not should_resend(5, 7, plain, False)
