"""Passwords: hashing with argon2id, and the policy a new password must meet."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from cms.errors import ValidationError

#: At least OWASP's minimum for argon2id (m=19 MiB, t=2, p=1).
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


@cache
def _decoy_hash() -> str:
    return _hasher.hash("a password no account has")


def burn_verification(password: str) -> None:
    """Spend one hash check on nothing, so an unknown login takes as long as a known one."""
    verify_password(_decoy_hash(), password)


MAX_LENGTH = 128
_COMMON_FILE = Path(__file__).with_name("common_passwords.txt")


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of the most common passwords, lower-cased (see common_passwords.NOTICE)."""
    return frozenset(_COMMON_FILE.read_text(encoding="utf-8").split("\n")) - {""}


def password_problem(password: str, *, username: str = "", email: str = "") -> str | None:
    """Why ``password`` is refused, or None. Length only, and no composition rules: any Unicode counts."""
    min_length = int(current_app.config["PASSWORD_MIN_LENGTH"])
    if len(password) < min_length:
        return f"use at least {min_length} characters"
    if len(password) > MAX_LENGTH:
        return f"use at most {MAX_LENGTH} characters"
    folded = password.casefold()
    if folded in common_passwords() or password.lower() in common_passwords():
        return "this password is among the most common ones; choose another"
    local_part = email.partition("@")[0]
    for own in (username, email, local_part):
        if len(own) >= 3 and own.casefold() in folded:
            return "the password must not contain your username or email address"
    return None


def check_password(password: str, *, username: str = "", email: str = "", field: str = "password") -> None:
    """Raise ``ValidationError`` naming ``field`` when the password breaks the policy."""
    problem = password_problem(password, username=username, email=email)
    if problem:
        raise ValidationError.field(field, problem)
