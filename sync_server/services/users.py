"""Managing users (admin command line): add, list, deactivate, set a password.

The ``users`` table is the authority; every change is mirrored, in the same transaction, into
the catalog's ``user`` record (without secrets) so that clients pull names and roles.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from email_validator import EmailNotValidError, validate_email
from sqlalchemy.orm import Session

from sync_server.db import users
from sync_server.db.database import Database
from sync_server.db.models import User
from sync_server.protocol.catalog import ROLES, USER
from sync_server.protocol.ids import new_id
from sync_server.protocol.wire import MutationOp

from .actor import SyncContext
from .auth import normalise_email
from .errors import NotFound, ServiceError
from .passwords import MIN_PASSWORD_LENGTH, Passwords
from .push import apply_as_server, server_mutation

_REP_CODE = re.compile(r"^[A-Z0-9]{1,12}$")


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ServiceError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > 1024:
        raise ServiceError("the password is too long")
    return password


def _check_email(email: str) -> str:
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        raise ServiceError(f"not a valid email address: {email} ({error})") from None
    return normalise_email(email)


def _check_discount(text: str) -> str:
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ServiceError(f"the discount limit must be a percentage, not {text!r}") from None
    if not value.is_finite() or not 0 <= value <= 100:
        raise ServiceError("the discount limit must be between 0 and 100")
    return format(value.normalize(), "f")


def _suggest_rep_code(session: Session, name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z0-9]+", ascii_name))[:4].upper() or "R"
    for suffix in ["", *map(str, range(2, 10_000))]:
        code = f"{initials}{suffix}"
        if users.user_by_rep_code(session, rep_code=code) is None:
            return code
    raise ServiceError("could not find a free rep code: pass --rep-code")  # pragma: no cover


def user_record_values(user: User) -> dict[str, object]:
    """The public part of a user, as the catalog's ``user`` record."""
    values: dict[str, object] = {
        "name": user.name,
        "email": user.email,
        "role": user.role,
        "manager_id": user.manager_id,
        "rep_code": user.rep_code,
        "discount_limit_pct": user.discount_limit_pct,
        "active": user.active,
    }
    return {name: value for name, value in values.items() if value is not None}


def add_user(
    database: Database,
    *,
    context: SyncContext,
    passwords: Passwords,
    email: str,
    name: str,
    role: str,
    password: str,
    manager_email: str | None = None,
    rep_code: str | None = None,
    discount_limit_pct: str = "10",
) -> User:
    email = _check_email(email)
    name = name.strip()
    longest = USER.field("name").max_length or 200
    if not name or len(name) > longest:
        raise ServiceError(f"the name must be 1 to {longest} characters")
    if role not in ROLES:
        raise ServiceError(f"the role must be one of {', '.join(ROLES)}")
    discount = _check_discount(discount_limit_pct)
    password_hash = passwords.hash(check_password(password))
    now = context.now()
    with database.write_session() as session:
        if users.user_by_email(session, email=email) is not None:
            raise ServiceError(f"a user with email {email} exists already", code="duplicate")
        manager_id = _manager_id(session, manager_email)
        rep_code = _new_rep_code(session, rep_code, name)
        user = User(
            id=new_id(),
            email=email,
            name=name,
            role=role,
            manager_id=manager_id,
            rep_code=rep_code,
            discount_limit_pct=discount,
            active=True,
            password_hash=password_hash,
            created_at=now,
            updated_at=now,
        )
        users.add_user(session, user=user)
        create = server_mutation(
            context,
            entity="user",
            record_id=user.id,
            op=MutationOp.CREATE,
            value=user_record_values(user),
        )
        apply_as_server(session, mutations=[create], context=context)
    return user


def _manager_id(session: Session, manager_email: str | None) -> str | None:
    """The id of the new user's manager (a manager or an admin), None without one."""
    if not manager_email:
        return None
    manager = users.user_by_email(session, email=normalise_email(manager_email))
    if manager is None:
        raise NotFound(f"no user with email {manager_email}")
    if manager.role not in ("manager", "admin"):
        raise ServiceError(f"{manager.email} is a {manager.role}, not a manager")
    return manager.id


def _new_rep_code(session: Session, rep_code: str | None, name: str) -> str:
    """The given rep code, checked and free, or one suggested from the name."""
    if not rep_code:
        return _suggest_rep_code(session, name)
    rep_code = rep_code.strip().upper()
    if not _REP_CODE.match(rep_code):
        raise ServiceError("a rep code is 1 to 12 letters or digits")
    if users.user_by_rep_code(session, rep_code=rep_code) is not None:
        raise ServiceError(f"rep code {rep_code} is taken", code="duplicate")
    return rep_code


def list_users(database: Database) -> Sequence[User]:
    with database.read_session() as session:
        return users.all_users(session)


def _existing(session: Session, email: str) -> User:
    user = users.user_by_email(session, email=normalise_email(email))
    if user is None:
        raise NotFound(f"no user with email {email}")
    return user


def deactivate_user(database: Database, *, context: SyncContext, email: str) -> int:
    """Deactivate a user and revoke every device at once; returns how many were revoked."""
    now = context.now()
    with database.write_session() as session:
        user = _existing(session, email)
        revoked = users.revoke_user_devices(session, user_id=user.id, now=now)
        if user.active:
            user.active = False
            user.updated_at = now
            change = server_mutation(
                context,
                entity="user",
                record_id=user.id,
                op=MutationOp.SET,
                field="active",
                value=False,
            )
            apply_as_server(session, mutations=[change], context=context)
    return revoked


def set_password(
    database: Database, *, context: SyncContext, passwords: Passwords, email: str, password: str
) -> None:
    password_hash = passwords.hash(check_password(password))
    with database.write_session() as session:
        user = _existing(session, email)
        user.password_hash = password_hash
        user.updated_at = context.now()
