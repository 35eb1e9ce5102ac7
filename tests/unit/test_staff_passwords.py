"""Staff passwords are stored in Werkzeug's scrypt format, salted, and tokens only as their SHA-256."""

from __future__ import annotations

import hashlib

from werkzeug.security import check_password_hash

from dispatch.staff.accounts import hash_password
from dispatch.staff.accounts import token_digest


def test_a_password_hash_is_salted_scrypt_that_werkzeug_checks():
    first, second = hash_password("correct horse battery"), hash_password("correct horse battery")
    assert first.startswith("scrypt:32768:8:1$") and first != second
    assert check_password_hash(first, "correct horse battery")
    assert not check_password_hash(first, "correct horse battery!")


def test_a_token_is_stored_as_its_sha256():
    assert token_digest("abc") == hashlib.sha256(b"abc").hexdigest()
